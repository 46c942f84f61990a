/**
 * Contract: every flag, environment variable and config key the platform containers get exists upstream for
 * the version they run, and the values parse in the upstream format. For every committed stack and every
 * supported version of each platform component (one varied at a time), against tests/contract/upstream.
 */
import { zookeeperConnect } from '../../components/plan/topology';
import { planPlatform, type ContainerPlan } from '../../components/platform/plan-platform';
import type { ClusterSpec } from '../../components/model/types';
import { factValues, facts, flagNames, versionedStackSpecs } from './support/upstream-facts';

const CASES = versionedStackSpecs(['mesos', 'marathon', 'chronos', 'mesosDns', 'zookeeper']);
const containers = (spec: ClusterSpec, service: ContainerPlan['service']): ContainerPlan[] =>
  planPlatform(spec).containers.filter((c) => c.service === service);
/** Secret placeholders stand for alphanumeric passwords when a document's format is checked. */
const filled = (text: string): string => text.replace(/\{\{secret:[a-z-]+\}\}/g, 'Secret0');

function unknown(names: readonly string[], known: ReadonlySet<string>): string[] {
  return [...new Set(names)].filter((n) => !known.has(n)).sort();
}

describe.each(CASES)('%s', (_name, spec) => {
  const v = spec.versions;

  test.each([
    ['mesos-master', 'master'],
    ['mesos-agent', 'agent'],
  ] as const)(
    '%s: every flag and MESOS_ variable is one it accepts, and --no- only negates booleans',
    (service, role) => {
      const accepted = factValues('mesos', v.mesos, `${role}FlagsAccepted`);
      const booleans = factValues('mesos', v.mesos, `${role}BooleanFlags`);
      for (const c of containers(spec, service)) {
        const names = flagNames(c.args);
        expect(
          unknown(
            names.map((n) => n.replace(/^no-/, '')),
            accepted,
          ),
        ).toEqual([]);
        expect(
          unknown(
            names.filter((n) => n.startsWith('no-')).map((n) => n.slice(3)),
            booleans,
          ),
        ).toEqual([]);
        const envFlags = Object.keys(c.env).map((k) => k.replace(/^MESOS_/, '').toLowerCase());
        expect(unknown(envFlags, accepted)).toEqual([]);
      }
    },
  );

  test('mesos: durations, resources and attributes parse in the stout formats', () => {
    const units = [...factValues('mesos', '1.10.0', 'durationUnits')].join('|');
    const duration = new RegExp(`^[0-9.]+(${units})$`);
    for (const c of [...containers(spec, 'mesos-agent'), ...containers(spec, 'mesos-master')]) {
      for (const a of c.args) {
        const [flag, value] = a.replace(/^--/, '').split(/=(.*)/s);
        if (/timeout|interval/.test(flag)) expect(value).toMatch(duration);
        if (flag === 'resources')
          expect(value).toMatch(/^([a-z]+:(\d+(\.\d+)?|\[\d+-\d+\]);)*[a-z]+:(\d+(\.\d+)?|\[\d+-\d+\])$/);
        // Text attribute values: the documented characters (the parser splits on ';' and the first ':').
        if (flag === 'attributes')
          expect(value).toMatch(/^([A-Za-z0-9_/.-]+:[A-Za-z0-9_/.-]+;)*[A-Za-z0-9_/.-]+:[A-Za-z0-9_/.-]+$/);
      }
    }
  });

  test('mesos credentials files are the JSON protobuf forms (1.11 drops the text form)', () => {
    const listKeys = factValues('mesos', v.mesos, 'credentialsJsonKeys');
    const oneKeys = factValues('mesos', v.mesos, 'credentialJsonKeys');
    const credentialFiles = [...containers(spec, 'mesos-master'), ...containers(spec, 'mesos-agent')]
      .flatMap((c) => c.files)
      .filter((f) => f.path.endsWith('.json') && !f.path.endsWith('acls.json'));
    for (const f of credentialFiles) {
      const doc = JSON.parse(filled(f.content)) as Record<string, unknown>;
      if (f.path.endsWith('credentials.json')) {
        expect(Object.keys(doc)).toEqual(['credentials']);
        for (const cred of doc.credentials as Record<string, unknown>[]) {
          expect(unknown(Object.keys(cred), listKeys)).toEqual([]);
          expect(Object.keys(cred).sort()).toEqual(['principal', 'secret']);
        }
      } else {
        expect(unknown(Object.keys(doc), oneKeys)).toEqual([]);
        expect(Object.keys(doc).sort()).toEqual(['principal', 'secret']);
      }
    }
  });

  test('mesos ACLs use only acls.proto fields and entity forms, and name only registered principals', () => {
    const top = factValues('mesos', v.mesos, 'aclsTopLevelFields');
    const fields = facts('mesos', v.mesos).facts.aclFieldsByAction.value as Record<string, string[]>;
    const anyOrNone = factValues('mesos', v.mesos, 'aclObjectsAnyOrNoneOnly');
    const entityTypes = factValues('mesos', v.mesos, 'aclEntityTypes');
    for (const c of containers(spec, 'mesos-master')) {
      const file = c.files.find((f) => f.path.endsWith('acls.json'));
      expect(file === undefined).toBe(!spec.authEnabled);
      if (file === undefined) continue;
      const credentials = c.files.find((f) => f.path.endsWith('credentials.json'))?.content ?? '';
      const principals = new Set(
        (JSON.parse(credentials) as { credentials: { principal: string }[] }).credentials.map(
          (p) => p.principal,
        ),
      );
      const acls = JSON.parse(file.content) as Record<string, unknown>;
      expect(unknown(Object.keys(acls), top)).toEqual([]);
      for (const [action, rules] of Object.entries(acls)) {
        if (action === 'permissive') continue;
        for (const rule of rules as Record<string, { type?: string; values?: string[] }>[]) {
          // Every field the message requires is there (a missing one stops the master), and no other.
          expect(Object.keys(rule).sort()).toEqual(fields[action]);
          for (const [field, entity] of Object.entries(rule)) {
            if (entity.type !== undefined) expect(entityTypes.has(entity.type)).toBe(true);
            if (anyOrNone.has(`${action}.${field}`)) expect(['ANY', 'NONE']).toContain(entity.type);
            if (field === 'principals') expect(unknown(entity.values ?? [], principals)).toEqual([]);
          }
        }
      }
    }
  });

  test('mesos: with auth every HTTP endpoint but the health check asks for a login', () => {
    if (!spec.authEnabled) return;
    const basic = facts('mesos', v.mesos).facts.defaultHttpAuthenticator.value;
    for (const c of containers(spec, 'mesos-master')) {
      expect(c.args).toEqual(
        expect.arrayContaining([
          '--authenticate_http_readwrite',
          '--authenticate_http_readonly',
          '--authenticate_http_frameworks',
          `--http_framework_authenticators=${String(basic)}`,
        ]),
      );
    }
    for (const c of containers(spec, 'mesos-agent')) {
      expect(c.args).toEqual(
        expect.arrayContaining(['--authenticate_http_readwrite', '--authenticate_http_readonly']),
      );
    }
    // The CLI's health checks use the routes that never authenticate (restart-order.ts).
    expect(factValues('mesos', v.mesos, 'masterRoutesWithoutAuthentication').has('/health')).toBe(true);
    expect(factValues('mesos', v.mesos, 'agentRoutesWithoutAuthentication').has('/health')).toBe(true);
  });

  test('marathon: with auth its start-up dump of every option (the HTTP login in clear text) never reaches the log', () => {
    if (!spec.authEnabled) return;
    const f = facts('marathon', v.marathon).facts;
    const logger = /logger (\S+), INFO/.exec(f.startupConfigLog.value as string)?.[1];
    for (const c of containers(spec, 'marathon')) {
      const logback = c.files.find((x) => x.path.endsWith('logback.xml'));
      expect(c.env.JAVA_OPTS).toBe(`-Dlogback.configurationFile=${logback?.path ?? ''}`);
      expect(logback?.content).toContain(`<logger name="${logger ?? ''}" level="WARN"/>`);
      // The rest logs as Marathon's own configuration does.
      expect(logback?.content).toContain(`<pattern>${f.logbackBundled.value as string}</pattern>`);
    }
  });

  test('marathon: every flag and environment variable exists upstream', () => {
    const flags = factValues('marathon', v.marathon, 'marathonFlags');
    const env = new Set([
      ...factValues('marathon', v.marathon, 'envVars'),
      // libprocess inside Marathon's libmesos reads these (Marathon's README names them).
      ...factValues('marathon', v.marathon, 'libprocessEnvVarsDocumented'),
      // The start script hands JAVA_OPTS to the JVM (sbt-native-packager's template).
      ...factValues('marathon', v.marathon, 'startScriptJvmEnvVars'),
    ]);
    const prefix = facts('marathon', v.marathon).facts.envVarFlagPrefix.value as string;
    for (const c of containers(spec, 'marathon')) {
      expect(unknown(flagNames(c.args), flags)).toEqual([]);
      // MARATHON_<X> becomes --<x> inside the JVM (Main.envToArgs), so it must name a flag.
      const asFlags = Object.keys(c.env).filter((k) => k.startsWith(prefix));
      expect(
        unknown(
          asFlags.map((k) => k.slice(prefix.length).toLowerCase()),
          flags,
        ),
      ).toEqual([]);
      expect(
        unknown(
          Object.keys(c.env).filter((k) => !k.startsWith(prefix)),
          env,
        ),
      ).toEqual([]);
      // envToArgs puts env flags before the command line: one flag in both would be given twice.
      expect(flagNames(c.args).filter((f) => asFlags.includes(`${prefix}${f.toUpperCase()}`))).toEqual([]);
    }
  });

  test('ZooKeeper logins: Mesos reads its URL from a file, Marathon from MARATHON_ZK, both in the upstream URL forms', () => {
    const secret = /\{\{secret:[a-z-]+\}\}/g;
    const pattern = new RegExp(facts('marathon', v.marathon).facts.zkUrlPattern.value as string);
    for (const c of containers(spec, 'marathon')) {
      const url = c.env.MARATHON_ZK;
      expect(url === undefined).toBe(!spec.authEnabled);
      if (url !== undefined) {
        // Generated passwords are alphanumeric; the placeholder stands for one.
        const m = pattern.exec(url.replace(secret, 'Secret0'));
        expect(m?.slice(1, 2)).toEqual(['marathon']);
        expect(m?.[4]).toBe('/marathon');
      }
    }
    for (const c of containers(spec, 'mesos-master')) {
      const zk = c.args.find((a) => a.startsWith('--zk='));
      if (!spec.authEnabled) continue;
      expect(zk).toBe('--zk=file:///etc/mesos/zk');
      const file = c.files.find((f) => f.path === '/etc/mesos/zk');
      // The path starts at the first "/" after zk:// and the login ends at the last "@" (url.hpp).
      const body = file!.content.replace(secret, 'Secret0').slice('zk://'.length);
      expect(body.slice(0, body.indexOf('/')).split('@')).toEqual(['mesos:Secret0', zookeeperConnect(spec)]);
      expect(body.slice(body.indexOf('/'))).toBe('/mesos');
    }
  });

  test('chronos: every flag and environment variable exists upstream', () => {
    const flags = factValues('chronos', v.chronos, 'chronosFlags');
    const env = new Set([
      ...factValues('chronos', v.chronos, 'envVars'),
      ...factValues('chronos', v.chronos, 'startScriptEnvVars'),
      ...factValues('mesos', v.mesos, 'libprocessEnv'),
    ]);
    for (const c of containers(spec, 'chronos')) {
      expect(unknown(flagNames(c.args), flags)).toEqual([]);
      expect(unknown(Object.keys(c.env), env)).toEqual([]);
    }
  });

  test('mesos-dns: config keys are fields of its Config struct, which ignores unknown keys silently', () => {
    const keys = factValues('mesosDns', v.mesosDns, 'configKeysLowercase');
    const sources = factValues('mesosDns', v.mesosDns, 'ipSources');
    const flags = factValues('mesosDns', v.mesosDns, 'cliFlags');
    for (const c of containers(spec, 'mesos-dns')) {
      expect(unknown(flagNames(c.args), flags)).toEqual([]);
      const config = JSON.parse(c.files[0].content) as Record<string, unknown>;
      expect(
        unknown(
          Object.keys(config).map((k) => k.toLowerCase()),
          keys,
        ),
      ).toEqual([]);
      expect(unknown(config.IPSources as string[], sources)).toEqual([]);
    }
  });

  test('zookeeper: zoo.cfg keys are read by the server, 4lw names exist, the entrypoint knows the env', () => {
    const keys = factValues('zookeeper', v.zookeeper, 'zooCfgAllKeys');
    const prefixes = [...factValues('zookeeper', v.zookeeper, 'zooCfgKeyPrefixes')];
    const words = factValues('zookeeper', v.zookeeper, 'fourLetterWords');
    const env = factValues('zookeeper', 'image', 'entrypointEnvVars');
    for (const c of containers(spec, 'zookeeper')) {
      expect(unknown(Object.keys(c.env), env)).toEqual([]);
      const cfg = c.files.find((f) => f.path.endsWith('zoo.cfg'))?.content ?? '';
      const lines = cfg.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
      const names = lines.map((l) => l.split('=')[0]);
      expect(names.filter((n) => !keys.has(n) && !prefixes.some((p) => n.startsWith(p)))).toEqual([]);
      const whitelist = lines.find((l) => l.startsWith('4lw.commands.whitelist='))?.split('=')[1] ?? '';
      expect(unknown(whitelist.split(','), words)).toEqual([]);
    }
  });
});

test('no platform container is given libprocess SSL settings: the pinned package is not known to read them', () => {
  const f = facts('mesos', '1.10.0').facts;
  // On a build without SSL these are silently ignored, so setting them would only pretend to encrypt.
  expect(f.packageSslBuild.value).toBe('unknown');
  const ssl = factValues('mesos', '1.10.0', 'libprocessSslEnvironment');
  for (const [, spec] of CASES)
    for (const c of planPlatform(spec).containers)
      expect(Object.keys(c.env).filter((k) => ssl.has(k) || k.startsWith('LIBPROCESS_SSL_'))).toEqual([]);
});

test('the fixtures say where they come from: repository, tag, and a source for every fact', () => {
  for (const [component, version] of [
    ['mesos', '1.10.0'],
    ['marathon', '1.10.26'],
    ['chronos', '3.0.2'],
    ['mesosDns', '0.6.0'],
    ['zookeeper', '3.9.5'],
  ] as const) {
    const f = facts(component, version);
    expect(f.repository).toMatch(/^[\w.-]+\/[\w.-]+/);
    expect(f.tag).not.toBe('');
    for (const fact of Object.values(f.facts)) expect(fact.source.length).toBeGreaterThan(0);
  }
});
