/**
 * Contract: every Spark key, dispatcher argument, Livy key, Zeppelin and sparkmagic setting, environment
 * variable and download URL the apps use exists upstream for the version they run. An environment variable is
 * either read by the app (an upstream fact) or carries a document the task's own command writes (`$NAME` in
 * cmd). For every committed stack and every supported Spark, Livy and Zeppelin version, one varied at a time.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { planApps, type PlannedApp } from '../../components/apps/plan-apps';
import { renderShiroIni, SPARKMAGIC_VERSION } from '../../components/apps/render-notebooks';
import { BLAZEGRAPH_RELEASES, LIVY_RELEASES } from '../../components/model/artefacts';
import { APP_DEFAULTS } from '../../components/model/app-settings';
import { VERSION_CATALOG } from '../../components/model/catalog';
import { factValues, facts, versionedStackSpecs } from './support/upstream-facts';

const EVERY_APP = {
  'stars:apps': ['spark', 'zeppelin', 'livy', 'blazegraph', 'lightning', 'jupyter'],
  // Lightning runs only from a site image: no published Lightning image is on record.
  'stars:appSettings': { lightning: { image: 'registry.example.org/lightning:1.3.0' } },
};

const app = (apps: readonly PlannedApp[], id: string): PlannedApp => {
  const found = apps.find((a) => a.definition.id === id);
  if (found === undefined) throw new Error(`no app ${id}`);
  return found;
};
const env = (a: PlannedApp): Record<string, string> => a.definition.env ?? {};
const cmd = (a: PlannedApp): string => a.definition.cmd ?? '';
/** Env names neither read by the app (per upstream) nor written to a file by the task's own command. */
function unexplained(a: PlannedApp, upstream: ReadonlySet<string>): string[] {
  return Object.keys(env(a))
    .filter((k) => !upstream.has(k) && !cmd(a).includes(`$${k}`) && !cmd(a).includes(`"${k}"`))
    .sort();
}
const sparkKeys = (version: string): ((key: string) => boolean) => {
  const keys = new Set([
    ...factValues('spark', version, 'mesosConfigKeys'),
    ...factValues('spark', version, 'coreConfigKeys'),
    ...factValues('spark', version, 'eventLogConfigKeys'),
  ]);
  const prefixes = [
    ...factValues('spark', version, 'mesosConfigKeyPrefixes'),
    ...factValues('spark', version, 'coreConfigKeyPrefixes'),
  ];
  return (key) => keys.has(key) || prefixes.some((p) => key.startsWith(p));
};
/** Variables the Stars Spark image's spark-env.sh reads (images/spark), sourced before every Spark JVM. */
const SPARK_ENV_READS = [
  ...readFileSync(path.resolve(__dirname, '../../images/spark/spark-env.sh'), 'utf8').matchAll(
    /\$\{?([A-Z_]+)/g,
  ),
].map((m) => m[1]);
const DRIVER_DEFAULT = 'spark.mesos.dispatcher.driverDefault.';
const DRIVER_ENV = 'spark.mesos.driverEnv.';
const defaultsKeys = (text: string): string[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split(' ')[0]);

describe.each(versionedStackSpecs(['spark', 'livy', 'zeppelin'], EVERY_APP))(
  '%s with every app',
  (_name, spec) => {
    const v = spec.versions;
    const plan = planApps(spec);
    const driverEnv = new Set([
      ...factValues('spark', v.spark, 'envVars'),
      ...factValues('spark', v.spark, 'mesosJavaBindingEnvVars'),
      ...factValues('system', '2026', 'processEnv'),
      ...factValues('mesos', v.mesos, 'libprocessEnv'),
      ...SPARK_ENV_READS,
    ]);

    test('spark: every conf key and dispatcher argument exists in Spark', () => {
      const known = sparkKeys(v.spark);
      const dispatcher = app(plan.apps, '/spark/dispatcher');
      const args = cmd(dispatcher).split(' ');
      const confs = args.filter((_, i) => args[i - 1] === '--conf').map((c) => c.split('=')[0]);
      expect(confs.filter((k) => !known(k))).toEqual([]);
      // What the dispatcher hands its drivers must be a Spark key too, and a driver variable one a driver reads.
      const defaults = confs
        .filter((k) => k.startsWith(DRIVER_DEFAULT))
        .map((k) => k.slice(DRIVER_DEFAULT.length));
      expect(defaults.filter((k) => !known(k))).toEqual([]);
      const envs = defaults.filter((k) => k.startsWith(DRIVER_ENV)).map((k) => k.slice(DRIVER_ENV.length));
      expect(envs.filter((k) => !driverEnv.has(k))).toEqual([]);
      const dispatcherArgs = factValues('spark', v.spark, 'dispatcherArgs');
      const options = args.slice(args.indexOf('org.apache.spark.deploy.mesos.MesosClusterDispatcher') + 1);
      expect(
        options
          .filter((a) => a.startsWith('-'))
          .map((a) => a.replace(/^--?/, ''))
          .filter((a) => !dispatcherArgs.has(a)),
      ).toEqual([]);
      for (const id of ['/livy', '/zeppelin']) {
        expect(defaultsKeys(env(app(plan.apps, id)).SPARK_DEFAULTS).filter((k) => !known(k))).toEqual([]);
      }
    });

    test('spark: the history and shuffle JVM options are Spark keys, passed in the variables their launcher reads', () => {
      const known = sparkKeys(v.spark);
      const launcher = facts('spark', v.spark).facts.launcherEnvPerClass.value as Record<string, string[]>;
      for (const [id, cls] of [
        ['/spark/history', 'org.apache.spark.deploy.history.HistoryServer'],
        ['/spark/shuffle', 'org.apache.spark.deploy.mesos.MesosExternalShuffleService'],
      ]) {
        const a = app(plan.apps, id);
        expect(Object.keys(env(a)).filter((k) => !launcher[cls].includes(k))).toEqual([]);
        const props = Object.values(env(a)).flatMap((o) => [...o.matchAll(/-D([\w.]+)=/g)].map((m) => m[1]));
        expect(props.filter((p) => !known(p))).toEqual([]);
      }
    });

    test('spark drivers: every environment variable is read by Spark, libmesos or the loader', () => {
      expect(unexplained(app(plan.apps, '/spark/dispatcher'), driverEnv)).toEqual([]);
      const livyEnv = new Set([...driverEnv, ...factValues('livy', v.livy, 'envVars')]);
      expect(unexplained(app(plan.apps, '/livy'), livyEnv)).toEqual([]);
      const zeppelinEnv = new Set([...driverEnv, ...factValues('zeppelin', v.zeppelin, 'envVars')]);
      expect(unexplained(app(plan.apps, '/zeppelin'), zeppelinEnv)).toEqual([]);
    });

    test('livy: livy.conf keys exist at the tag, and the release artefact is one Livy publishes', () => {
      const livy = app(plan.apps, '/livy');
      const keys = factValues('livy', v.livy, 'livyConfKeys');
      const conf = env(livy)
        .LIVY_CONF.split('\n')
        .filter((l) => l !== '');
      expect(conf.map((l) => l.split(' = ')[0]).filter((k) => !keys.has(k))).toEqual([]);
      const artefacts = factValues('livy', v.livy, 'binaryArtefacts');
      const uri = LIVY_RELEASES[v.livy].url;
      expect(artefacts.has(uri.slice(uri.lastIndexOf('/') + 1))).toBe(true);
      const modes = factValues('livy', v.livy, 'recoveryModeValues');
      expect(
        modes.has(conf.find((l) => l.startsWith('livy.server.recovery.mode'))?.split(' = ')[1] ?? ''),
      ).toBe(true);
    });

    test('jupyter: the password hash comes from a JSON config file given with --config, an option jupyter_core defines', () => {
      const cmd = app(plan.apps, '/jupyter').definition.cmd ?? '';
      const f = facts('jupyter', v.jupyter).facts;
      expect(f.jupyterAppConfigAlias.value).toBe('config=JupyterApp.config_file');
      const config = /--config=(\S+)/.exec(cmd)?.[1] ?? '';
      expect(config).toBe('/run/secrets/stars/jupyter_server_config.json');
      const file = plan.secretFiles.find((x) => x.app === 'jupyter')?.content ?? '';
      expect(Object.keys(JSON.parse(file).PasswordIdentityProvider as object)).toEqual(
        [...factValues('jupyter', v.jupyter, 'passwordIdentityProviderTraits')].filter(
          (t) => t === 'hashed_password',
        ),
      );
      expect(cmd).not.toContain('hashed_password');
    });

    test('zeppelin: shiro.ini sections and the login URL are those Zeppelin reads', () => {
      const shiro =
        plan.secretFiles.find((f) => f.app === 'zeppelin' && f.name === 'shiro.ini')?.content ?? '';
      const sections = [...shiro.matchAll(/^\[(\w+)\]$/gm)].map((m) => m[1]);
      expect(sections.filter((s) => !factValues('zeppelin', v.zeppelin, 'shiroIniSections').has(s))).toEqual(
        [],
      );
      expect(shiro).toContain(
        `shiro.loginUrl = ${facts('zeppelin', v.zeppelin).facts.shiroLoginUrl.value as string}`,
      );
    });

    test('jupyter: sparkmagic config keys, credential fields and auth values exist in sparkmagic', () => {
      const j = app(plan.apps, '/jupyter');
      const config = JSON.parse(env(j).SPARKMAGIC_CONFIG_JSON) as Record<string, unknown>;
      const keys = factValues('sparkmagic', SPARKMAGIC_VERSION, 'configKeys');
      const fields = factValues('sparkmagic', SPARKMAGIC_VERSION, 'credentialsFields');
      const auths = factValues('sparkmagic', SPARKMAGIC_VERSION, 'authValues');
      expect(Object.keys(config).filter((k) => !keys.has(k))).toEqual([]);
      for (const [k, value] of Object.entries(config)) {
        if (!k.endsWith('_credentials')) continue;
        const cred = value as Record<string, string>;
        expect(Object.keys(cred).filter((f) => !fields.has(f))).toEqual([]);
        expect(auths.has(cred.auth)).toBe(true);
      }
      expect(unexplained(j, factValues('sparkmagic', SPARKMAGIC_VERSION, 'envVars'))).toEqual([]);
    });

    test('blazegraph: the release URL, system properties, journal properties and web.xml params exist', () => {
      const b = app(plan.apps, '/blazegraph');
      const f = facts('blazegraph', v.blazegraph).facts;
      expect(BLAZEGRAPH_RELEASES[v.blazegraph].url).toBe(f.releaseJarUrl.value);
      expect(BLAZEGRAPH_RELEASES[v.blazegraph].sha256).toBe(f.releaseJarSha256.value);
      const props = [...cmd(b).matchAll(/-D([\w.]+)=/g)].map((m) => m[1]);
      expect(props.filter((p) => !factValues('blazegraph', v.blazegraph, 'systemProperties').has(p))).toEqual(
        [],
      );
      const keys = env(b)
        .BLAZEGRAPH_PROPERTIES.split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('=')[0]);
      expect(keys.filter((k) => !factValues('blazegraph', v.blazegraph, 'propertyKeys').has(k))).toEqual([]);
      const params = [...env(b).BLAZEGRAPH_WEB_XML.matchAll(/<param-name>(\w+)<\/param-name>/g)].map(
        (m) => m[1],
      );
      expect(
        params.filter((p) => !factValues('blazegraph', v.blazegraph, 'webXmlContextParams').has(p)),
      ).toEqual([]);
    });

    test('lightning: every environment variable is one Lightning reads', () => {
      const l = app(plan.apps, '/lightning');
      expect(unexplained(l, factValues('lightning', v.lightning, 'envVars'))).toEqual([]);
    });
  },
);

const DIRECTORY = {
  ldapUrl: 'ldap://ldap.example.org:389',
  ldapSearchBase: 'ou=people,dc=example,dc=org',
  ldapBindUser: 'cn=zeppelin,dc=example,dc=org',
};

describe.each(VERSION_CATALOG.zeppelin.supported)('Zeppelin %s: who is an admin', (version) => {
  const f = facts('zeppelin', version).facts;
  const dn = 'CN=zeppelin-admins,OU=groups,DC=example,DC=org';
  const realms = {
    local: renderShiroIni({ ...APP_DEFAULTS.zeppelin, admins: [] }),
    ldap: renderShiroIni({ ...APP_DEFAULTS.zeppelin, ...DIRECTORY, auth: 'ldap', adminGroup: 'z-admins' }),
    activeDirectory: renderShiroIni({
      ...APP_DEFAULTS.zeppelin,
      ...DIRECTORY,
      auth: 'activeDirectory',
      adminGroup: dn,
    }),
  };

  test.each(Object.entries(realms))(
    '%s: every URL the template keeps for admins (and Helium) needs the admin role; the open restart is gone',
    (_realm, ini) => {
      const limited = ini
        .split('\n')
        .filter((l) => /= authc, roles\[/.test(l))
        .map((l) => l.split(' = ')[0]);
      expect(limited).toEqual(
        [...factValues('zeppelin', version, 'shiroAdminUrls'), f.heliumRestPath.value as string].sort(),
      );
      expect(ini).not.toContain(f.shiroAuthenticatedRestartUrl.value as string);
    },
  );

  test('every realm property set exists on the realm Zeppelin ships (own or documented)', () => {
    const known = new Set([
      ...factValues('zeppelin', version, 'ldapRealmOwnProperties'),
      ...factValues('zeppelin', version, 'ldapRealmInheritedPropertiesUsedInDocs'),
    ]);
    const knownAd = new Set([
      ...factValues('zeppelin', version, 'activeDirectoryGroupRealmOwnProperties'),
      ...factValues('zeppelin', version, 'activeDirectoryRealmPropertiesUsedInDocs'),
    ]);
    const props = (ini: string, realm: string): string[] =>
      [...ini.matchAll(new RegExp(`^${realm}\\.([\\w.]+) =`, 'gm'))].map((m) => m[1]);
    expect(props(realms.ldap, 'ldapRealm').filter((p) => !known.has(p))).toEqual([]);
    expect(props(realms.activeDirectory, 'activeDirectoryRealm').filter((p) => !knownAd.has(p))).toEqual([]);
    expect(realms.ldap).toContain(
      `ldapRealm.${(f.ldapRealmRoles as unknown as { authorizationKey: string }).authorizationKey} = true`,
    );
    expect(realms.activeDirectory).toContain(
      `activeDirectoryRealm.${(f.activeDirectoryGroupRoles as unknown as { key: string }).key} = "${dn}":"admin"`,
    );
  });

  test('new notes are private: the switch Zeppelin reads is set against its default', () => {
    const z = planApps(versionedStackSpecs(['zeppelin'], EVERY_APP)[0][1]).apps.find(
      (a) => a.definition.id === '/zeppelin',
    );
    const notebook = f.notebookPublic as unknown as { env: string; default: boolean };
    expect([notebook.default, z?.definition.env?.[notebook.env]]).toEqual([true, 'false']);
  });
});
