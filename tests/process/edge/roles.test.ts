/**
 * The edge's two roles under a real Apache httpd (Debian's 2.4) on loopback, with the program's rendered
 * configuration for every route of a stack with all apps: operators (admin, stars, stars:edgeOperators) reach
 * every route, other logins only the user routes; with the site's directory (a real OpenLDAP slapd on loopback)
 * a member of the operators' group reaches every route and anyone else only the user routes. A refused request
 * never reaches the backend (an HTTP double that records what arrives). Writes from another origin are refused.
 */
import { spawn, type ChildProcess } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { planCluster } from '../../../components/plan-cluster';
import { edgeHttpdConfig } from '../../../components/edge/plan-edge';
import {
  renderHtpasswd,
  renderHttpdConf,
  renderLoginDefines,
  type EdgeRoute,
} from '../../../components/edge/render-httpd';
import type { ClusterSpec } from '../../../components/model/types';
import { stackSpec } from '../../unit/components/hosts/stack-spec';
import { reportSkip } from '../../support/skips';
import {
  MODULES,
  bcrypt2a,
  canRunEdge,
  edgeFiles,
  freePort,
  httpsRequest,
  makeTestPki,
  startHttpd,
  stopProcessGroup,
  waitListening,
} from './edge-fixture';

const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';
const canRun = canRunEdge && existsSync(SLAPD) && existsSync(SLAPADD);
if (!canRun)
  reportSkip('tests/process/edge/roles: needs root, openssl, apache2 and slapd (.ci/run installs them)');
const suite = canRun ? describe : describe.skip;

const BASE = 'dc=example,dc=org';
const OPERATORS_DN = `cn=stars-operators,ou=Groups,${BASE}`;
const PASSWORDS: Readonly<Record<string, string>> = {
  admin: 'admin-pw',
  stars: 'stars-pw',
  carol: 'carol-pw',
  bob: 'bob-pw',
  alice: 'alice-pw',
  dave: 'dave-pw',
};

const ALL_APPS = [...stackSpec('staging').apps.enabled, 'jenkins'];

interface Edge {
  dir: string;
  readonly routes: EdgeRoute[];
  httpd?: ChildProcess;
}

let root: string;
let ca: string;
let backend: http.Server;
let backendUrl: string;
let slapd: ChildProcess | undefined;
let ldapPort: number;
const seen: string[] = [];
const local: Edge = { dir: '', routes: [] };
const directory: Edge = { dir: '', routes: [] };

function slapdFiles(dir: string): { conf: string; ldif: string } {
  const conf = [
    'include /etc/ldap/schema/core.schema',
    'include /etc/ldap/schema/cosine.schema',
    'include /etc/ldap/schema/inetorgperson.schema',
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    `pidfile ${path.join(dir, 'slapd.pid')}`,
    'database mdb',
    'maxsize 10485760',
    `suffix "${BASE}"`,
    `rootdn "cn=admin,${BASE}"`,
    'rootpw bind-pw',
    `directory ${path.join(dir, 'db')}`,
    '',
  ].join('\n');
  const person = (uid: string) =>
    [
      `dn: uid=${uid},ou=People,${BASE}`,
      'objectClass: inetOrgPerson',
      `uid: ${uid}`,
      `cn: ${uid}`,
      `sn: ${uid}`,
      `userPassword: ${PASSWORDS[uid]}`,
    ].join('\n');
  const ldif = [
    `dn: ${BASE}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example`,
    `dn: ou=People,${BASE}\nobjectClass: organizationalUnit\nou: People`,
    `dn: ou=Groups,${BASE}\nobjectClass: organizationalUnit\nou: Groups`,
    person('alice'),
    person('dave'),
    `dn: ${OPERATORS_DN}\nobjectClass: groupOfNames\ncn: stars-operators\nmember: uid=alice,ou=People,${BASE}`,
    '',
  ].join('\n\n');
  return { conf, ldif };
}

async function startSlapd(dir: string): Promise<void> {
  mkdirSync(path.join(dir, 'db'));
  const { conf, ldif } = slapdFiles(dir);
  writeFileSync(path.join(dir, 'slapd.conf'), conf);
  writeFileSync(path.join(dir, 'data.ldif'), ldif);
  await new Promise<void>((resolve, reject) => {
    const p = spawn(SLAPADD, ['-f', path.join(dir, 'slapd.conf'), '-l', path.join(dir, 'data.ldif')], {
      stdio: 'ignore',
    });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`slapadd exited ${code}`))));
  });
  ldapPort = await freePort();
  slapd = spawn(
    SLAPD,
    ['-f', path.join(dir, 'slapd.conf'), '-h', `ldap://127.0.0.1:${ldapPort}/`, '-d', '0'],
    {
      stdio: 'ignore',
      detached: true,
    },
  );
  await waitListening(ldapPort, '/dev/null');
}

async function startEdge(edge: Edge, spec: ClusterSpec, users: Record<string, string>): Promise<void> {
  const dir = edge.dir;
  const plan = planCluster(spec);
  for (const r of plan.edge.routes) edge.routes.push({ ...r, port: await freePort(), backend: backendUrl });
  const files = edgeFiles(dir);
  writeFileSync(
    files.users,
    renderHtpasswd(Object.fromEntries(Object.keys(users).map((u) => [u, bcrypt2a(users[u])]))),
    { mode: 0o444 },
  );
  writeFileSync(files.groups, plan.edge.groupFile, { mode: 0o444 });
  writeFileSync(
    files.logins,
    renderLoginDefines(
      Object.fromEntries(
        plan.edge.backendLogins.map((l) => [l.define, { username: l.username, password: 'b' }]),
      ),
    ),
  );
  writeFileSync(path.join(dir, 'ldap-bind-password'), 'bind-pw\n', { mode: 0o400 });
  const config = renderHttpdConf(
    edgeHttpdConfig(spec, edge.routes, '127.0.0.1', {
      serverRoot: dir,
      modulesDir: MODULES,
      pidFile: path.join(dir, 'httpd.pid'),
      files: { ...files, ldapBindPassword: path.join(dir, 'ldap-bind-password') },
    }),
  );
  edge.httpd = await startHttpd(dir, config, edge.routes[0].port);
}

/** Reuses the one test PKI: each edge's directory gets the same certificate and key. */
function copyPki(to: string): void {
  mkdirSync(path.join(to, 'logs'), { recursive: true });
  chmodSync(to, 0o755);
  for (const f of ['server.crt', 'server.key']) {
    const src = path.join(root, 'pki', f);
    const dst = path.join(to, f);
    writeFileSync(dst, readFileSync(src));
    chmodSync(dst, 0o400);
  }
}

suite('edge roles under a real httpd, with local logins and with a real LDAP directory', () => {
  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'stars-edge-roles-'));
    chmodSync(root, 0o755);
    mkdirSync(path.join(root, 'pki'));
    ca = makeTestPki(path.join(root, 'pki'));
    backend = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.end('backend');
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', () => r()));
    backendUrl = `http://127.0.0.1:${(backend.address() as net.AddressInfo).port}`;
    mkdirSync(path.join(root, 'ldap'));
    await startSlapd(path.join(root, 'ldap'));

    local.dir = path.join(root, 'local');
    directory.dir = path.join(root, 'directory');
    for (const d of [local.dir, directory.dir]) {
      mkdirSync(d);
      copyPki(d);
    }
    const localSpec = stackSpec('staging', {
      'stars:apps': ALL_APPS,
      'stars:edgeUsers': ['bob', 'carol'],
      'stars:edgeOperators': ['carol'],
    });
    const { admin, stars, carol, bob } = PASSWORDS;
    await startEdge(local, localSpec, { admin, stars, carol, bob });
    const directorySpec = stackSpec('staging', {
      'stars:apps': ALL_APPS,
      'stars:appSettings': {
        zeppelin: {
          auth: 'ldap',
          ldapUrl: `ldap://127.0.0.1:${ldapPort}`,
          ldapSearchBase: `ou=People,${BASE}`,
          ldapBindUser: `cn=admin,${BASE}`,
        },
      },
      'stars:edgeOperators': [OPERATORS_DN],
    });
    await startEdge(directory, directorySpec, { stars });
  }, 120_000);

  afterAll(async () => {
    await stopProcessGroup(local.httpd);
    await stopProcessGroup(directory.httpd);
    await stopProcessGroup(slapd);
    backend?.closeAllConnections();
    await new Promise<void>((r) => (backend === undefined ? r() : backend.close(() => r())));
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  }, 20_000);

  const cases: [string, Edge, string, boolean][] = [
    ['local', local, 'admin', true],
    ['local', local, 'stars', true],
    ['local', local, 'carol', true],
    ['local', local, 'bob', false],
    ['directory', directory, 'alice', true],
    ['directory', directory, 'stars', true],
    ['directory', directory, 'dave', false],
  ];

  test.each(cases)(
    '%s edge: %s (operator: %s) reaches every user route, and an operator route only as an operator',
    async (_kind, edge, user, operator) => {
      const answers: string[] = [];
      const expected: string[] = [];
      for (const r of edge.routes) {
        const before = seen.length;
        const a = await httpsRequest(ca, r.port, {
          path: `/probe-${r.id}`,
          auth: `${user}:${PASSWORDS[user]}`,
        });
        const reached = seen.length > before;
        answers.push(`${r.id} ${a.status} ${reached ? 'reached' : 'not reached'}`);
        const allowed = r.audience === 'users' || operator;
        expected.push(`${r.id} ${allowed ? '200 reached' : '403 not reached'}`);
      }
      expect(answers).toEqual(expected);
    },
  );

  test('the stack with all apps has operator routes and user routes to check', () => {
    expect(local.routes.filter((r) => r.audience === 'operators').map((r) => r.id)).toEqual([
      'mesos',
      'marathon',
      'chronos',
      'jenkins',
    ]);
    expect(local.routes.filter((r) => r.audience === 'users').length).toBeGreaterThanOrEqual(6);
  });

  test.each([
    ['a wrong directory password', 'alice:wrong', 401],
    ['a user the directory does not know', 'mallory:x', 401],
  ])('%s is refused on the directory edge (401)', async (_what, auth, status) => {
    const r = directory.routes.find((x) => x.id === 'zeppelin') as EdgeRoute;
    expect((await httpsRequest(ca, r.port, { auth })).status).toBe(status);
  });

  const zeppelin = () => local.routes.find((x) => x.id === 'zeppelin') as EdgeRoute;
  test.each([
    ['another origin', { Origin: 'https://evil.example' }, 403],
    ['a cross-site fetch', { 'Sec-Fetch-Site': 'cross-site' }, 403],
    ['a same-site fetch from another edge port', { 'Sec-Fetch-Site': 'same-site' }, 403],
    ['no browser headers (CLI, sparkmagic)', {}, 200],
  ])('a POST with %s answers %i', async (_what, headers, status) => {
    const r = await httpsRequest(ca, zeppelin().port, {
      method: 'POST',
      auth: `bob:${PASSWORDS.bob}`,
      headers: headers as Record<string, string>,
    });
    expect(r.status).toBe(status);
  });

  test("a POST from the edge's own origin is let through, and a GET from any origin", async () => {
    const port = zeppelin().port;
    const auth = `bob:${PASSWORDS.bob}`;
    const same = { Origin: `https://127.0.0.1:${port}`, 'Sec-Fetch-Site': 'same-origin' };
    expect((await httpsRequest(ca, port, { method: 'POST', auth, headers: same })).status).toBe(200);
    const other = { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' };
    expect((await httpsRequest(ca, port, { method: 'GET', auth, headers: other })).status).toBe(200);
  });
});
