import { OPERATOR_ROUTES, planEdge, edgeRoutes } from '../../../../components/edge/plan-edge';
import {
  quoted,
  renderHtpasswd,
  renderHttpdConf,
  renderLoginDefines,
  ldapSearchUrl,
} from '../../../../components/edge/render-httpd';
import { planCluster } from '../../../../components/plan-cluster';
import { ClusterSpecError } from '../../../../components/model/issues';
import { stackSpec } from '../hosts/stack-spec';

const STAGING = planCluster(stackSpec('staging'));
const LDAP = {
  'stars:appSettings': {
    zeppelin: {
      auth: 'ldap',
      ldapUrl: 'ldap://ldap.example.org',
      ldapSearchBase: 'ou=People,dc=example,dc=org',
      ldapBindUser: 'cn=stars,dc=example,dc=org',
    },
  },
};

describe('edge routes (staging)', () => {
  test('one TLS port per UI and API, each to its backend, with the backend logins the edge sends', () => {
    expect(
      STAGING.edge.routes.map((r) => [
        r.id,
        r.port,
        r.backend,
        r.backendLogin ?? '-',
        r.forwardLogin,
        r.websocket,
      ]),
    ).toEqual([
      ['mesos', 9440, 'http://leader.mesos:5050', 'MESOS_LOGIN', false, false],
      ['marathon', 9441, 'http://127.0.0.1:8080', 'MARATHON_LOGIN', false, false],
      ['chronos', 9442, 'http://chronos.mesos:4400', 'CHRONOS_LOGIN', false, false],
      ['sparkDispatcherUi', 9443, 'http://dispatcher-spark.marathon.mesos:31081', '-', false, false],
      ['sparkHistory', 9444, 'http://history-spark.marathon.mesos:31880', '-', false, false],
      ['zeppelin', 9445, 'http://zeppelin.marathon.mesos:31890', '-', false, true],
      ['livy', 9446, 'http://livy.marathon.mesos:31998', '-', false, false],
      ['jupyter', 9447, 'http://jupyter.marathon.mesos:31888', '-', false, true],
      ['blazegraph', 9448, 'http://blazegraph.marathon.mesos:31999', '-', false, false],
      ['lightning', 9449, 'http://lightning.marathon.mesos:31300', '-', false, false],
    ]);
  });

  test('notebooks keep the browser Host (WebSocket origin checks) and get an hour; the rest five minutes', () => {
    expect(STAGING.edge.routes.filter((r) => r.preserveHost).map((r) => r.id)).toEqual([
      'zeppelin',
      'jupyter',
    ]);
    expect(STAGING.edge.routes.map((r) => [r.id, r.timeoutSeconds])).toEqual([
      ['mesos', 300],
      ['marathon', 300],
      ['chronos', 300],
      ['sparkDispatcherUi', 300],
      ['sparkHistory', 300],
      ['zeppelin', 3600],
      ['livy', 3600],
      ['jupyter', 3600],
      ['blazegraph', 300],
      ['lightning', 300],
    ]);
  });

  test('Livy gets the user login passed on only when it checks the same directory itself', () => {
    const plan = planCluster(stackSpec('staging', LDAP));
    expect(plan.edge.routes.find((r) => r.id === 'livy')?.forwardLogin).toBe(true);
  });

  test('without authentication the backends get no injected login', () => {
    // Auth off is refused outside mode local; the edge plan's branch is checked on the spec directly.
    const spec = { ...stackSpec('staging', { 'stars:environment': 'dev' }), authEnabled: false };
    expect(edgeRoutes(spec, planCluster(spec).apps).filter((r) => r.backendLogin !== undefined)).toEqual([]);
  });
});

describe('the optional Jenkins app', () => {
  const plan = planCluster(stackSpec('staging', { 'stars:apps': ['spark', 'jenkins'] }));
  const jenkins = plan.apps.apps.find((a) => a.definition.id === '/jenkins');

  test('is off by default', () => {
    expect(STAGING.apps.apps.some((a) => a.definition.id === '/jenkins')).toBe(false);
  });

  test('runs the image entrypoint on its fixed port, home on the pinned agent, healthy once /login answers', () => {
    expect(jenkins?.definition).toMatchObject({
      id: '/jenkins',
      cpus: 1,
      mem: 2048,
      instances: 1,
      env: { JENKINS_OPTS: '--httpPort=31808 --httpListenAddress=0.0.0.0', JAVA_OPTS: '-Xmx1228m' },
      portDefinitions: [{ port: 31808, protocol: 'tcp', name: 'http' }],
      requirePorts: true,
      constraints: [['hostname', 'CLUSTER', '10.20.2.21']],
      upgradeStrategy: { minimumHealthCapacity: 0, maximumOverCapacity: 0 },
    });
    expect(jenkins?.definition.cmd).toBeUndefined();
    expect(jenkins?.definition.container?.volumes).toEqual([
      { containerPath: '/var/jenkins_home', hostPath: '/var/lib/stars/apps/jenkins', mode: 'RW' },
    ]);
  });

  test('sits behind the edge on 9450 like a notebook (WebSockets, the browser Host), with no login passed on', () => {
    expect(plan.edge.routes.find((r) => r.id === 'jenkins')).toEqual({
      id: 'jenkins',
      audience: 'operators',
      port: 9450,
      backend: 'http://jenkins.marathon.mesos:31808',
      forwardLogin: false,
      websocket: true,
      preserveHost: true,
      timeoutSeconds: 3600,
    });
    expect(plan.edge.appUrls).toContainEqual({ key: 'jenkins', port: 9450, path: '/' });
  });
});

describe('edge plan', () => {
  test('one httpd.conf per master in the plan documents, each naming its own master', () => {
    expect(
      STAGING.edge.hosts.map((h) => [h.host, h.config.split('\n').find((l) => l.startsWith('ServerName'))]),
    ).toEqual([
      ['m1', 'ServerName "10.20.1.11"'],
      ['m2', 'ServerName "10.20.1.12"'],
      ['m3', 'ServerName "10.20.1.13"'],
    ]);
    expect(STAGING.documents.filter((d) => d.path.includes('/edge/')).map((d) => d.path)).toEqual([
      'hosts/m1/edge/groups',
      'hosts/m1/edge/httpd.conf',
      'hosts/m2/edge/groups',
      'hosts/m2/edge/httpd.conf',
      'hosts/m3/edge/groups',
      'hosts/m3/edge/httpd.conf',
    ]);
  });

  test('operator routes are Mesos, Marathon, Chronos and Jenkins; every other route serves users', () => {
    expect(STAGING.edge.routes.map((r) => [r.id, r.audience])).toEqual([
      ['mesos', 'operators'],
      ['marathon', 'operators'],
      ['chronos', 'operators'],
      ['sparkDispatcherUi', 'users'],
      ['sparkHistory', 'users'],
      ['zeppelin', 'users'],
      ['livy', 'users'],
      ['jupyter', 'users'],
      ['blazegraph', 'users'],
      ['lightning', 'users'],
    ]);
    expect(OPERATOR_ROUTES).toEqual(['mesos', 'marathon', 'chronos', 'jenkins']);
  });

  test('only routes without a backend login serve users: a user login never reaches an operator backend', () => {
    const injected = STAGING.edge.routes.filter((r) => r.backendLogin !== undefined).map((r) => r.id);
    expect(injected).toEqual(['mesos', 'marathon', 'chronos']);
    for (const r of STAGING.edge.routes)
      if (r.backendLogin !== undefined) expect([r.id, r.audience]).toEqual([r.id, 'operators']);
  });

  test.each([
    ['no edgeOperators', {}, 'operators: admin stars\n'],
    [
      'edgeOperators',
      { 'stars:edgeUsers': ['carol', 'bob'], 'stars:edgeOperators': ['carol'] },
      'operators: admin carol stars\n',
    ],
    ['a directory for people', LDAP, 'operators: stars\n'],
  ])('the group file with %s', (_what, overrides, file) => {
    expect(planCluster(stackSpec('staging', overrides)).edge.groupFile).toBe(file);
  });

  test('a directory operator group becomes a Require ldap-group on the operator routes only', () => {
    const dn = 'cn=stars-operators,ou=Groups,dc=example,dc=org';
    const plan = planCluster(stackSpec('staging', { ...LDAP, 'stars:edgeOperators': [dn] }));
    const conf = plan.edge.hosts[0].config;
    const blocks = conf.split('\n# ').slice(1);
    const withGroup = blocks
      .filter((b) => b.includes(`Require ldap-group ${dn}\n`))
      .map((b) => b.split('\n')[0]);
    expect(withGroup).toEqual(['mesos', 'marathon', 'chronos']);
    expect(blocks.filter((b) => b.includes('Require valid-user')).length).toBe(7);
  });

  test.each([
    ['no edgeUsers', {}, ['admin', 'stars']],
    ['edgeUsers', { 'stars:edgeUsers': ['carol', 'bob'] }, ['admin', 'bob', 'carol', 'stars']],
    ['a directory for people', LDAP, ['stars']],
  ])('local logins with %s', (_what, overrides, users) => {
    expect(planCluster(stackSpec('staging', overrides)).edge.users).toEqual(users);
  });

  test('the dev laptop trial has no edge: nothing planned, appUrls on the local host (Mesos-DNS names elsewhere)', () => {
    const dev = planCluster(stackSpec('dev'));
    expect([dev.edge.enabled, dev.edge.hosts, dev.edge.documents]).toEqual([false, [], []]);
    expect(dev.edge.clusterAppUrls.zeppelin).toBe('http://127.0.0.1:31890/');
    // The edge off on real hosts is refused by the parser; the plan's branch is checked on the spec directly.
    const devOnprem = stackSpec('staging', { 'stars:environment': 'dev' });
    const onprem = planCluster({ ...devOnprem, edge: { ...devOnprem.edge, enabled: false } });
    expect(onprem.edge.clusterAppUrls.zeppelin).toBe('http://zeppelin.marathon.mesos:31890/');
  });

  test('appUrls through the edge: key, edge port and path of each app UI', () => {
    expect([...STAGING.edge.appUrls].sort((a, b) => a.port - b.port)).toEqual([
      { key: 'spark-dispatcher', port: 9443, path: '/' },
      { key: 'spark-history', port: 9444, path: '/' },
      { key: 'zeppelin', port: 9445, path: '/' },
      { key: 'livy', port: 9446, path: '/ui' },
      { key: 'jupyter', port: 9447, path: '/lab' },
      { key: 'blazegraph', port: 9448, path: '/blazegraph/sparql' },
      { key: 'lightning', port: 9449, path: '/' },
    ]);
  });

  test('the same spec renders the same bytes; the file ends with one newline and holds no secret', () => {
    const again = planEdge(stackSpec('staging'), planCluster(stackSpec('staging')).apps);
    expect(again.hosts.map((h) => h.config)).toEqual(STAGING.edge.hosts.map((h) => h.config));
    const conf = STAGING.edge.hosts[0].config;
    expect(conf.endsWith('>\n')).toBe(true);
    expect(conf).not.toMatch(/\{\{|Basic [A-Za-z0-9+/=]{8,}|mock-password/);
  });

  test('Marathon gets the injected login; an app vhost removes the user login instead', () => {
    const conf = STAGING.edge.hosts[0].config;
    const vhost = (id: string) => conf.slice(conf.indexOf(`# ${id}\n`)).split('</VirtualHost>')[0];
    expect(vhost('marathon')).toContain('  RequestHeader set Authorization "${MARATHON_LOGIN}"\n');
    expect(vhost('zeppelin')).toContain('  RequestHeader unset Authorization\n');
    expect(vhost('zeppelin')).toContain(
      '  ProxyPass "/" "http://zeppelin.marathon.mesos:31890/" timeout=3600 addressttl=60 upgrade=websocket\n',
    );
  });
});

describe('render-httpd', () => {
  test.each([['a "quote'], ['back\\slash'], ['new\nline']])('refuses %j as an httpd argument', (v) => {
    expect(() => quoted(v)).toThrow('cannot be an httpd argument');
  });

  test('login Defines: base64 of user:password, sorted, one line each', () => {
    expect(
      renderLoginDefines({
        MESOS_LOGIN: { username: 'stars', password: 'b' },
        CHRONOS_LOGIN: { username: 'stars', password: 'a' },
      }),
    ).toBe(
      `Define CHRONOS_LOGIN "Basic ${Buffer.from('stars:a').toString('base64')}"\nDefine MESOS_LOGIN "Basic ${Buffer.from('stars:b').toString('base64')}"\n`,
    );
  });

  test('htpasswd takes only bcrypt hashes and plain login names', () => {
    const hash = `$2a$10$${'a'.repeat(53)}`;
    expect(renderHtpasswd({ stars: hash, admin: hash })).toBe(`admin:${hash}\nstars:${hash}\n`);
    expect(() => renderHtpasswd({ admin: 'plain' })).toThrow('edge: admin has no valid bcrypt hash');
    expect(() => renderHtpasswd({ 'a:b': hash })).toThrow('has no valid bcrypt hash');
  });

  test('the directory search URL percent-encodes the base DN (RFC 4516)', () => {
    expect(
      ldapSearchUrl({
        url: 'ldap://h:389',
        searchBase: 'ou=My People,dc=x?y',
        bindDn: '',
        userAttribute: 'uid',
      }),
    ).toBe('ldap://h:389/ou=My%20People,dc=x%3Fy?uid?sub?(objectClass=*)');
  });

  test('two routes on one port are refused', () => {
    const c = planEdge(stackSpec('staging'), STAGING.apps);
    const r = c.routes[0];
    expect(() =>
      renderHttpdConf({
        serverRoot: '/x',
        modulesDir: 'modules',
        serverName: 'h',
        user: 'u',
        group: 'g',
        pidFile: 'p',
        routes: [r, { ...r, id: 'chronos' }],
        files: { certificate: 'c', key: 'k', users: 'u', groups: 'g' },
      }),
    ).toThrow('two routes share a port');
  });
});

describe('edge config', () => {
  const issues = (overrides: Record<string, unknown>) => {
    try {
      stackSpec('staging', overrides);
      return [];
    } catch (e) {
      if (!(e instanceof ClusterSpecError)) throw e;
      return e.issues.map((i) => `${i.path}: ${i.message}`);
    }
  };

  test.each([
    [
      { 'stars:edge': false },
      [
        'edge: may be false only in dev; staging serves every UI and API through the TLS edge (remove the key)',
      ],
    ],
    [
      { 'stars:edgeUsers': ['Bob'] },
      ['edgeUsers[0]: "Bob" is not a login name; use lowercase letters, digits, "_", "." and "-" (1-32)'],
    ],
    [
      { 'stars:edgeUsers': ['stars'] },
      ['edgeUsers[0]: "stars" is generated by the program already; remove it'],
    ],
    [{ 'stars:edgeUsers': ['bo', 'bo'] }, ['edgeUsers[1]: "bo" is listed twice']],
    [
      { 'stars:edgeOperators': ['dave'] },
      [
        'edgeOperators[0]: "dave" is not in edgeUsers; add the login to edgeUsers too (operators are edge logins first)',
      ],
    ],
    [{ 'stars:edgeOperators': ['admin'] }, ['edgeOperators[0]: "admin" is an operator already; remove it']],
    [
      { ...LDAP, 'stars:edgeOperators': ['cn=ops,dc=x', 'cn=b,dc=x'] },
      ['edgeOperators: takes one group DN while the directory checks logins; list the one group'],
    ],
    [
      { ...LDAP, 'stars:edgeOperators': ['cn=${MESOS_LOGIN},dc=x'] },
      [
        'edgeOperators[0]: "cn=${MESOS_LOGIN},dc=x" is not a group DN; write a distinguished name such as cn=name,ou=Groups,dc=example,dc=org: attribute=value pairs of ASCII letters, digits, spaces, ".", "_", "@", "\'" and "-", separated by commas (at most 512 characters)',
      ],
    ],
    [
      { ...LDAP, 'stars:edgeUsers': ['bo'] },
      [
        'edgeUsers: is not used while Zeppelin auth is ldap: the directory checks edge logins; remove edgeUsers',
      ],
    ],
    [
      {
        'stars:appSettings': {
          zeppelin: { ...LDAP['stars:appSettings'].zeppelin, ldapBindUser: 'cn="x",dc=y' },
        },
      },
      [
        'appSettings.zeppelin.ldapBindUser: may not contain " or \\ while the edge checks logins against the directory (the value goes into a quoted httpd.conf argument)',
      ],
    ],
  ])('%j is refused, naming the field and the fix', (overrides, expected) => {
    expect(issues(overrides)).toEqual(expected);
  });
});
