import { appContext } from '../../../../components/apps/render-common';
import { backupSecretFiles, renderJobs } from '../../../../components/apps/render-jobs';
import {
  renderShiroIni,
  ZEPPELIN_ADMIN_URLS,
  renderSparkDefaults,
  renderSparkmagicConfig,
} from '../../../../components/apps/render-notebooks';
import { renderBlazegraphWebXml, renderLivyConf } from '../../../../components/apps/render-services';
import { renderSparkApps, sparkDriverConf } from '../../../../components/apps/render-spark';
import { dnsNameFor, marathonDocumentPath, planApps } from '../../../../components/apps/plan-apps';
import { APP_DEFAULTS } from '../../../../components/model/app-settings';
import { appsSpec, LIGHTNING_IMAGE } from '../../../support/apps-spec';

const ldapZeppelin = {
  auth: 'ldap',
  ldapUrl: 'ldap://ldap.example.org:389',
  ldapSearchBase: 'ou=people,dc=example,dc=org',
  ldapBindUser: 'cn=zeppelin,dc=example,dc=org',
};

/** The admin-only REST paths every shiro.ini ends with, before `/** = authc`. */
const ADMIN_URL_LINES = [
  '/api/admin/** = authc, roles[admin]',
  '/api/configurations/** = authc, roles[admin]',
  '/api/credential/** = authc, roles[admin]',
  '/api/helium/** = authc, roles[admin]',
  '/api/interpreter/** = authc, roles[admin]',
  '/api/notebook-repositories/** = authc, roles[admin]',
];

describe('Zeppelin shiro.ini', () => {
  test('local auth lists users through one secret placeholder and keeps /api/version anonymous', () => {
    expect(renderShiroIni(APP_DEFAULTS.zeppelin)).toBe(
      [
        '[main]',
        'sessionManager = org.apache.shiro.web.session.mgt.DefaultWebSessionManager',
        'securityManager.sessionManager = $sessionManager',
        'securityManager.sessionManager.globalSessionTimeout = 86400000',
        'shiro.loginUrl = /api/login',
        '',
        '[users]',
        '{{secret:zeppelin-users-ini}}',
        '',
        '[roles]',
        'admin = *',
        '',
        '[urls]',
        '/api/version = anon',
        ...ADMIN_URL_LINES,
        '/** = authc',
        '',
      ].join('\n'),
    );
  });

  test('LDAP binds with the bind password placeholder, never a value', () => {
    expect(renderShiroIni({ ...APP_DEFAULTS.zeppelin, ...ldapZeppelin, auth: 'ldap' })).toBe(
      [
        '[main]',
        'ldapRealm = org.apache.zeppelin.realm.LdapRealm',
        'ldapRealm.contextFactory.url = ldap://ldap.example.org:389',
        'ldapRealm.contextFactory.systemUsername = cn=zeppelin,dc=example,dc=org',
        'ldapRealm.contextFactory.systemPassword = {{secret:ldap-bind-password}}',
        'ldapRealm.contextFactory.authenticationMechanism = simple',
        'ldapRealm.userSearchBase = ou=people,dc=example,dc=org',
        'ldapRealm.userSearchAttributeName = uid',
        'securityManager.realms = $ldapRealm',
        'sessionManager = org.apache.shiro.web.session.mgt.DefaultWebSessionManager',
        'securityManager.sessionManager = $sessionManager',
        'securityManager.sessionManager.globalSessionTimeout = 86400000',
        'shiro.loginUrl = /api/login',
        '',
        '[urls]',
        '/api/version = anon',
        ...ADMIN_URL_LINES,
        '/** = authc',
        '',
      ].join('\n'),
    );
  });

  test('LDAP with an admin group reads roles from the group cn, and only that cn reaches the admin URLs', () => {
    const ini = renderShiroIni({
      ...APP_DEFAULTS.zeppelin,
      ...ldapZeppelin,
      auth: 'ldap',
      adminGroup: 'zeppelin-admins',
    });
    expect(ini.split('\n').filter((l) => /authorizationEnabled|groupSearchBase|roles\[/.test(l))).toEqual([
      'ldapRealm.authorizationEnabled = true',
      'ldapRealm.groupSearchBase = ou=people,dc=example,dc=org',
      ...ZEPPELIN_ADMIN_URLS.map((u) => `${u} = authc, roles[zeppelin-admins]`),
    ]);
  });

  test('Active Directory maps exactly the admin group DN to the admin role', () => {
    const dn = 'CN=zeppelin-admins,OU=groups,DC=example,DC=org';
    const ini = renderShiroIni({
      ...APP_DEFAULTS.zeppelin,
      ...ldapZeppelin,
      auth: 'activeDirectory',
      adminGroup: dn,
    });
    expect(ini).toContain(`\nactiveDirectoryRealm.groupRolesMap = "${dn}":"admin"\n`);
    expect(ini).toContain('\n/api/interpreter/** = authc, roles[admin]\n');
  });

  test('the interpreter restart is not opened to every user, as the template does', () => {
    expect(renderShiroIni(APP_DEFAULTS.zeppelin)).not.toContain('/api/interpreter/setting/restart');
  });
});

describe('Spark settings', () => {
  test('drivers get the zk master, the Stars Spark image, sizes, pinned port bases, /tmp local dirs and (with auth) the principal placeholder', () => {
    const ctx = appContext(appsSpec());
    expect(ctx.sparkImage).toMatch(/^stars\/spark:3\.5\.6-[0-9a-f]{12}$/);
    expect(renderSparkDefaults(sparkDriverConf(ctx))).toBe(
      [
        'spark.blockManager.port 32200',
        'spark.cores.max 8',
        'spark.driver.blockManager.port 32150',
        'spark.driver.port 32100',
        'spark.dynamicAllocation.enabled true',
        'spark.eventLog.dir file:///var/lib/stars/spark-events',
        'spark.eventLog.enabled true',
        'spark.executor.cores 1',
        'spark.executor.memory 2g',
        'spark.executorEnv.SPARK_LOCAL_DIRS /tmp',
        'spark.master mesos://zk://10.0.1.1:2181/mesos',
        `spark.mesos.executor.docker.image ${ctx.sparkImage}`,
        'spark.mesos.executor.docker.volumes /tmp:/tmp:rw',
        'spark.mesos.executor.home /opt/spark',
        'spark.mesos.principal {{value:framework-principal}}',
        'spark.port.maxRetries 49',
        'spark.shuffle.service.enabled true',
        'spark.shuffle.service.port 31337',
        '',
      ].join('\n'),
    );
  });

  test('one shuffle service per agent, never two on a host', () => {
    const agents = ['a1', 'a2', 'a3'].map((name, i) => ({
      name,
      address: `10.0.2.${i + 1}`,
      cpus: 8,
      memMb: 32768,
    }));
    const shuffle = renderSparkApps(appContext(appsSpec({ agents }))).find(
      (a) => a.definition.id === '/spark/shuffle',
    );
    expect(shuffle?.definition.instances).toBe(3);
    expect(shuffle?.definition.constraints).toEqual([['hostname', 'UNIQUE']]);
  });

  test('the shuffle service gets its port through SPARK_SHUFFLE_OPTS (its main ignores --conf) and shares /tmp with executors', () => {
    const ctx = appContext(appsSpec());
    const shuffle = renderSparkApps(ctx).find((a) => a.definition.id === '/spark/shuffle')?.definition;
    expect(shuffle?.cmd).toBe(
      '/opt/spark/bin/spark-class org.apache.spark.deploy.mesos.MesosExternalShuffleService',
    );
    expect(shuffle?.env).toEqual({ SPARK_SHUFFLE_OPTS: '-Dspark.shuffle.service.port=31337' });
    expect(shuffle?.portDefinitions?.[0].port).toBe(31337);
    expect(shuffle?.container?.volumes).toEqual([{ containerPath: '/tmp', hostPath: '/tmp', mode: 'RW' }]);
    expect(sparkDriverConf(ctx)['spark.mesos.executor.docker.volumes']).toBe('/tmp:/tmp:rw');
  });

  test('the drivers the dispatcher launches get every driver setting, variable and volume as driverDefault.*', () => {
    const ctx = appContext(appsSpec());
    const args = (renderSparkApps(ctx)[0].definition.cmd ?? '').split(' ');
    const prefix = 'spark.mesos.dispatcher.driverDefault.';
    const defaults = Object.fromEntries(
      args
        .filter((a, i) => args[i - 1] === '--conf' && a.startsWith(prefix))
        .map((a) => [a.slice(prefix.length, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]),
    );
    expect(defaults).toEqual({
      'spark.blockManager.port': '32200',
      'spark.cores.max': '8',
      'spark.driver.blockManager.port': '32150',
      'spark.driver.port': '32100',
      'spark.dynamicAllocation.enabled': 'true',
      'spark.eventLog.dir': 'file:///var/lib/stars/spark-events',
      'spark.eventLog.enabled': 'true',
      'spark.executor.cores': '1',
      'spark.executor.memory': '2g',
      'spark.executorEnv.SPARK_LOCAL_DIRS': '/tmp',
      'spark.mesos.driverEnv.LD_LIBRARY_PATH': '/opt/mesos/lib',
      'spark.mesos.driverEnv.MESOS_NATIVE_JAVA_LIBRARY': '/opt/mesos/lib/libmesos.so',
      'spark.mesos.driverEnv.SASL_PATH': '/opt/mesos/lib/sasl2',
      'spark.mesos.driverEnv.SPARK_MESOS_PRINCIPAL': '{{value:framework-principal}}',
      'spark.mesos.driverEnv.SPARK_MESOS_SECRET_FILE': '/run/secrets/stars/framework-secret',
      'spark.mesos.driverEnv.STARS_MESOS_MASTERS': '10.0.1.1',
      'spark.mesos.executor.docker.image': ctx.sparkImage,
      'spark.mesos.executor.docker.volumes':
        '/tmp:/tmp:rw,/var/lib/stars/spark-events:/var/lib/stars/spark-events:rw,/var/lib/stars/app-secrets/spark:/run/secrets/stars:ro',
      'spark.mesos.executor.home': '/opt/spark',
      'spark.mesos.principal': '{{value:framework-principal}}',
      'spark.port.maxRetries': '49',
      'spark.shuffle.service.enabled': 'true',
      'spark.shuffle.service.port': '31337',
    });
  });

  test.each([
    ['/spark/dispatcher', 'spark-class'],
    ['/livy', 'mkdir'],
    ['/zeppelin', 'mkdir'],
  ])(
    '%s advertises the agent address to the master (LIBPROCESS_IP=$HOST) before anything else',
    (id, first) => {
      const plan = planApps(appsSpec({ apps: ['spark', 'livy', 'zeppelin'] }));
      const cmd = plan.apps.find((a) => a.definition.id === id)?.definition.cmd ?? '';
      expect(cmd).toMatch(new RegExp(`-c 'export LIBPROCESS_IP="\\$HOST" && \\S*${first}`));
    },
  );

  test('without the shuffle service executors keep their sandbox: no /tmp volume', () => {
    const ctx = appContext(appsSpec({ appSettings: { spark: { shuffleService: false } } }));
    expect(sparkDriverConf(ctx)['spark.mesos.executor.docker.volumes']).toBeUndefined();
    expect(renderSparkApps(ctx).map((a) => a.definition.id)).not.toContain('/spark/shuffle');
  });

  test('the dispatcher reads the framework secret from its secret file; the definition names only the path', () => {
    const [rendered] = renderSparkApps(appContext(appsSpec()));
    expect(rendered.definition.env).toEqual({
      LD_LIBRARY_PATH: '/opt/mesos/lib',
      MESOS_NATIVE_JAVA_LIBRARY: '/opt/mesos/lib/libmesos.so',
      SASL_PATH: '/opt/mesos/lib/sasl2',
      SPARK_MESOS_PRINCIPAL: '{{value:framework-principal}}',
      SPARK_MESOS_SECRET_FILE: '/run/secrets/stars/framework-secret',
      STARS_MESOS_MASTERS: '10.0.1.1',
    });
    expect(rendered.secretFiles).toEqual([
      { app: 'spark', name: 'framework-secret', uid: 185, content: '{{secret:framework-secret}}' },
    ]);
    expect(rendered.definition.container?.volumes).toContainEqual({
      containerPath: '/run/secrets/stars',
      hostPath: '/var/lib/stars/app-secrets/spark',
      mode: 'RO',
    });
  });
});

describe('Livy, sparkmagic and Blazegraph configs', () => {
  test('livy.conf points Spark at Mesos with the session timeout', () => {
    expect(renderLivyConf(appContext(appsSpec({ appSettings: { livy: { sessionTimeout: '2h' } } })))).toBe(
      [
        'livy.server.host = 0.0.0.0',
        'livy.server.port = 31998',
        'livy.spark.master = mesos://zk://10.0.1.1:2181/mesos',
        'livy.spark.deploy-mode = client',
        'livy.server.session.timeout = 2h',
        'livy.server.session.timeout-check = true',
        'livy.server.recovery.mode = off',
        '',
      ].join('\n'),
    );
  });

  test('with LDAP configured and auth on, Livy authenticates against the directory', () => {
    const spec = appsSpec({ appSettings: { zeppelin: ldapZeppelin } });
    expect(renderLivyConf(appContext(spec)).split('\n').slice(7)).toEqual([
      'livy.server.auth.type = ldap',
      'livy.server.auth.ldap.url = ldap://ldap.example.org:389',
      'livy.server.auth.ldap.base-dn = ou=people,dc=example,dc=org',
      'livy.server.auth.ldap.security-authentication = simple',
      '',
    ]);
  });

  test('sparkmagic config.json sends every kernel to Livy', () => {
    expect(JSON.parse(renderSparkmagicConfig('http://livy.marathon.mesos:31998', false))).toEqual({
      heartbeat_refresh_seconds: 30,
      ignore_ssl_errors: false,
      kernel_python_credentials: {
        auth: 'None',
        password: '',
        url: 'http://livy.marathon.mesos:31998',
        username: '',
      },
      kernel_r_credentials: {
        auth: 'None',
        password: '',
        url: 'http://livy.marathon.mesos:31998',
        username: '',
      },
      kernel_scala_credentials: {
        auth: 'None',
        password: '',
        url: 'http://livy.marathon.mesos:31998',
        username: '',
      },
      livy_server_heartbeat_timeout_seconds: 0,
      livy_session_startup_timeout_seconds: 120,
      server_extension_default_kernel_name: 'pysparkkernel',
      wait_for_idle_timeout_seconds: 15,
    });
  });

  test('Blazegraph is read-only by default: the staging app gets readOnly true', () => {
    const spec = appsSpec();
    expect(spec.apps.blazegraph.readOnly).toBe(true);
  });

  test('Blazegraph web.xml sets read-only and no CORS filter (the 2.1.5 jar has none)', () => {
    expect(renderBlazegraphWebXml(true)).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<web-app xmlns="http://java.sun.com/xml/ns/javaee" version="3.0">',
        '  <context-param>',
        '    <param-name>readOnly</param-name>',
        '    <param-value>true</param-value>',
        '  </context-param>',
        '</web-app>',
        '',
      ].join('\n'),
    );
  });
});

describe('upgrades that can finish', () => {
  test('every app pinned to one host on a fixed port is stopped before its replacement starts (the port is taken until then)', () => {
    const plan = planApps(
      appsSpec({
        apps: ['spark', 'zeppelin', 'livy', 'blazegraph', 'lightning', 'jupyter', 'jenkins'],
        appSettings: { lightning: { image: LIGHTNING_IMAGE } },
      }),
    );
    const pinned = plan.apps
      .map((a) => a.definition)
      .filter(
        (d) =>
          d.requirePorts === true &&
          (d.constraints ?? []).some((c) => c[0] === 'hostname' && c[1] === 'CLUSTER'),
      );
    expect(pinned.map((d) => d.id).sort()).toEqual([
      '/blazegraph',
      '/jenkins',
      '/jupyter',
      '/lightning',
      '/spark/history',
      '/zeppelin',
    ]);
    for (const d of pinned)
      expect([d.id, d.upgradeStrategy]).toEqual([d.id, { minimumHealthCapacity: 0, maximumOverCapacity: 0 }]);
  });
});

describe('Zeppelin keeps its state on its data volume', () => {
  test('notes and their permissions, saved credentials and interpreter settings live under /data, its hostPath', () => {
    const plan = planApps(appsSpec({ apps: ['spark', 'zeppelin'] }));
    const zeppelin = plan.apps.find((a) => a.definition.id === '/zeppelin')?.definition;
    expect([zeppelin?.env?.ZEPPELIN_NOTEBOOK_DIR, zeppelin?.env?.ZEPPELIN_CONFIG_FS_DIR]).toEqual([
      '/data/notebook',
      '/data/conf',
    ]);
    expect(zeppelin?.cmd).toContain('mkdir -p /data/notebook /data/conf ');
    expect(zeppelin?.container?.volumes).toContainEqual({
      containerPath: '/data',
      hostPath: '/var/lib/stars/apps/zeppelin',
      mode: 'RW',
    });
  });
});

describe('maintenance jobs', () => {
  test('one Docker cleanup per agent pinned by address, and a backup chain that reaches each scheduler leader by name, as root, files 0600 (umask 077), the login in a curl config from the secret directory (not the command line, not the env)', () => {
    const jobs = renderJobs(appContext(appsSpec()));
    expect(jobs.map((j) => j.name)).toEqual(['docker-cleanup-a1', 'marathon-backup', 'chronos-backup']);
    expect(jobs[0].constraints).toEqual([['hostname', 'EQUALS', '10.0.2.1']]);
    // The Stars images are built where they run (no registry holds them): the cleanup spares them by label.
    expect(jobs[0].command).toBe(
      'docker system prune --all --force --filter until=168h --filter label!=stars.project-image',
    );
    expect(jobs[1]).toEqual({
      name: 'marathon-backup',
      description: 'Save the Marathon app definitions to /var/lib/stars/backups on 10.0.2.1, keeping 14 days',
      command:
        'set -e; umask 077; d=/backups/$(date -u +%Y%m%d); mkdir -p "$d"; ' +
        'curl -fsS --location-trusted -K /run/secrets/stars/marathon.curlrc ' +
        '> "$d/marathon-apps.json"; find /backups -mindepth 1 -maxdepth 1 -mtime +14 -exec rm -rf {} +',
      owner: 'stars-operators',
      retries: 2,
      cpus: 0.1,
      mem: 64,
      constraints: [['hostname', 'EQUALS', '10.0.2.1']],
      container: {
        type: 'DOCKER',
        image: 'curlimages/curl:8.11.1',
        network: 'HOST',
        volumes: [
          { containerPath: '/backups', hostPath: '/var/lib/stars/backups', mode: 'RW' },
          { containerPath: '/run/secrets/stars', hostPath: '/var/lib/stars/app-secrets/backups', mode: 'RO' },
        ],
        parameters: [{ key: 'user', value: '0' }],
      },
      schedule: 'R/2026-01-01T02:00:00Z/P1D',
      scheduleTimeZone: 'UTC',
    });
    expect(backupSecretFiles(true, 'mesos')).toEqual([
      {
        app: 'backups',
        name: 'marathon.curlrc',
        uid: 0,
        content:
          'url = "http://marathon.mesos:8080/v2/apps"\n' +
          'user = "{{value:marathon-username}}:{{secret:marathon-password}}"\n',
      },
      {
        app: 'backups',
        name: 'chronos.curlrc',
        uid: 0,
        content:
          'url = "http://chronos.mesos:4400/v1/scheduler/jobs"\n' +
          'user = "{{value:chronos-username}}:{{secret:chronos-password}}"\n',
      },
    ]);
    expect(jobs[2].parents).toEqual(['marathon-backup']);
    // The Chronos leader by its Mesos-DNS scheduler name, not the Mesos leader (which may be another master).
    expect(jobs[2].command).toContain(' -K /run/secrets/stars/chronos.curlrc > ');
    expect(jobs[2].schedule).toBeUndefined();
  });
});

describe('planApps', () => {
  test.each([
    ['/zeppelin', 'zeppelin.marathon.mesos', 'marathon/zeppelin.json'],
    ['/spark/dispatcher', 'dispatcher-spark.marathon.mesos', 'marathon/spark-dispatcher.json'],
  ])('%s resolves as %s and is written to %s', (id, dns, path) => {
    expect(dnsNameFor(id, 'mesos')).toBe(dns);
    expect(marathonDocumentPath(id)).toBe(path);
  });

  test('documents cover every app and job, and no secret value appears in them', () => {
    const plan = planApps(appsSpec());
    expect(plan.documents.map((d) => d.path)).toEqual([
      'apps/secret-files.json',
      'apps/secret-files.sh',
      'chronos/chronos-backup.json',
      'chronos/docker-cleanup-a1.json',
      'chronos/marathon-backup.json',
      'marathon/blazegraph.json',
      'marathon/jupyter.json',
      'marathon/lightning.json',
      'marathon/livy.json',
      'marathon/spark-dispatcher.json',
      'marathon/spark-history.json',
      'marathon/spark-shuffle.json',
      'marathon/zeppelin.json',
    ]);
    expect(plan.generated.map((g) => g.name)).toEqual([
      'zeppelin-password-admin',
      'lightning-password',
      'jupyter-password',
    ]);
    // Definitions carry no secret, not even as a placeholder: secrets are files (apps/secret-files.json).
    for (const d of plan.documents.filter((x) => !x.path.startsWith('apps/')))
      expect([d.path, d.content]).toEqual([d.path, expect.not.stringMatching(/\{\{secret:/)]);
    expect(plan.apps.every((a) => a.secrets.length === 0)).toBe(true);
    expect(plan.secretFiles.map((f) => [f.app, f.name, f.uid])).toEqual([
      ['backups', 'chronos.curlrc', 0],
      ['backups', 'marathon.curlrc', 0],
      ['jupyter', 'jupyter_server_config.json', 1000],
      ['lightning', 'lightning-password', 0],
      ['livy', 'framework-secret', 185],
      ['spark', 'framework-secret', 185],
      ['zeppelin', 'framework-secret', 1000],
      ['zeppelin', 'shiro.ini', 1000],
    ]);
    expect(
      JSON.parse(plan.documents.find((d) => d.path === 'apps/secret-files.json')?.content ?? ''),
    ).toEqual(JSON.parse(JSON.stringify(plan.secretFiles)));
  });

  test('apps whose dependency is not enabled do not wait for it', () => {
    const plan = planApps(appsSpec({ apps: ['spark', 'blazegraph'] }));
    expect(plan.apps.map((a) => [a.definition.id, a.after])).toEqual([
      ['/blazegraph', []],
      ['/spark/dispatcher', []],
      ['/spark/history', []],
      ['/spark/shuffle', []],
    ]);
  });
});
