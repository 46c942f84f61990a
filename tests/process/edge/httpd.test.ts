/**
 * The edge's rendered httpd.conf run by a real Apache httpd (Debian's apache2 2.4, the line the edge image pins)
 * on loopback, in front of an HTTP double that records what reaches it: TLS with a certificate of our own CA,
 * the login (bcrypt users in the `$2a$` form @pulumi/random's bcryptHash writes), the backend login injected and
 * the user's removed, WebSocket upgrades tunnelled, and `httpd -t` on the exact staging and directory configs.
 * The renderer is the program's; only the paths (server root, modules, files) and ports are the test's.
 */
import { spawnSync, type ChildProcess } from 'child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { planCluster } from '../../../components/plan-cluster';
import { edgeHttpdConfig } from '../../../components/edge/plan-edge';
import {
  renderGroupFile,
  renderHtpasswd,
  renderHttpdConf,
  renderLoginDefines,
  type EdgeRoute,
} from '../../../components/edge/render-httpd';
import { stackSpec } from '../../unit/components/hosts/stack-spec';
import { HttpClient } from '../../../components/apps/api/http';
import { probe } from '../../../scripts/lib/health';
import { reportSkip } from '../../support/skips';
import {
  APACHE,
  MODULES,
  bcrypt2a,
  canRunEdge,
  edgeFiles,
  freePort,
  httpsRequest,
  makeTestPki,
  startHttpd,
  stopProcessGroup,
} from './edge-fixture';

if (!canRunEdge)
  reportSkip('tests/process/edge: needs root, openssl and Debian apache2 (.ci/run installs it)');
const suite = canRunEdge ? describe : describe.skip;

interface Seen {
  readonly url: string;
  readonly authorization?: string;
  readonly host?: string;
  readonly proto?: string;
}

let dir: string;
let httpd: ChildProcess | undefined;
let backend: http.Server;
let ca: string;
let backendUrl: string;
const seen: Seen[] = [];
const tunnels: import('stream').Duplex[] = [];
const ports: Record<string, number> = {};

const files = () => edgeFiles(dir);

function configTest(config: string): { status: number; stderr: string } {
  const file = path.join(dir, `t-${Math.random().toString(36).slice(2)}.conf`);
  writeFileSync(file, config);
  const r = spawnSync(APACHE, ['-t', '-f', file], { encoding: 'utf8' });
  return { status: r.status ?? -1, stderr: r.stderr };
}

function request(
  port: number,
  opts: { path?: string; auth?: string; headers?: Record<string, string> } = {},
): ReturnType<typeof httpsRequest> {
  return httpsRequest(ca, port, opts);
}

const staging = planCluster(stackSpec('staging'));

suite('the edge under a real Apache httpd', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'stars-edge-'));
    chmodSync(dir, 0o755);
    ca = makeTestPki(dir);

    writeFileSync(
      files().users,
      renderHtpasswd({ admin: bcrypt2a('s3cret-admin'), stars: bcrypt2a('s3cret-stars') }),
    );
    chownSync(files().users, 33, 33);
    chmodSync(files().users, 0o400);
    writeFileSync(files().groups, renderGroupFile(['admin', 'stars']), { mode: 0o444 });
    writeFileSync(
      files().logins,
      renderLoginDefines({
        CHRONOS_LOGIN: { username: 'stars', password: 'chronos-pw' },
        MARATHON_LOGIN: { username: 'stars', password: 'backend-pw' },
        MESOS_LOGIN: { username: 'stars', password: 'mesos-pw' },
      }),
    );
    chmodSync(files().logins, 0o400);

    backend = http.createServer((req, res) => {
      seen.push({
        url: req.url ?? '',
        ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }),
        ...(req.headers.host === undefined ? {} : { host: req.headers.host }),
        ...(typeof req.headers['x-forwarded-proto'] === 'string'
          ? { proto: req.headers['x-forwarded-proto'] }
          : {}),
      });
      res.setHeader('Content-Type', 'text/plain');
      res.end(`backend saw ${req.url}`);
    });
    backend.on('upgrade', (_req, socket) => {
      tunnels.push(socket);
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
      socket.on('data', (d: Buffer) => socket.write(`echo:${d.toString()}`));
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', () => r()));
    backendUrl = `http://127.0.0.1:${(backend.address() as net.AddressInfo).port}`;

    const pick = (id: string): EdgeRoute => {
      const r = staging.edge.routes.find((x) => x.id === id);
      if (r === undefined) throw new Error(`staging has no ${id} route`);
      return r;
    };
    const routes: EdgeRoute[] = [];
    for (const id of ['marathon', 'zeppelin']) {
      ports[id] = await freePort();
      routes.push({ ...pick(id), port: ports[id], backend: backendUrl });
    }
    const spec = stackSpec('staging');
    const config = renderHttpdConf(
      edgeHttpdConfig(spec, routes, '127.0.0.1', {
        serverRoot: dir,
        modulesDir: MODULES,
        pidFile: path.join(dir, 'httpd.pid'),
        files: files(),
      }),
    );
    httpd = await startHttpd(dir, config, ports.marathon);
  }, 60_000);

  afterAll(async () => {
    // Upgraded sockets are no longer the server's: close() would wait for them.
    for (const t of tunnels) t.destroy();
    backend?.closeAllConnections();
    await new Promise<void>((r) => (backend === undefined ? r() : backend.close(() => r())));
    await stopProcessGroup(httpd);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }, 15_000);

  test('the staging httpd.conf of every master, with Debian paths, passes httpd -t', () => {
    const spec = stackSpec('staging');
    for (const h of staging.edge.hosts) {
      const c = edgeHttpdConfig(spec, staging.edge.routes, h.address, {
        serverRoot: dir,
        modulesDir: MODULES,
        pidFile: path.join(dir, 'httpd.pid'),
        files: files(),
      });
      expect(configTest(renderHttpdConf(c))).toEqual({ status: 0, stderr: 'Syntax OK\n' });
    }
  });

  test('a config with the site directory (ldaps, bind password read by exec) passes httpd -t', () => {
    const spec = stackSpec('staging', {
      'stars:appSettings': {
        zeppelin: {
          auth: 'ldap',
          ldapUrl: 'ldaps://ldap.example.org',
          ldapSearchBase: 'ou=People,dc=example,dc=org',
          ldapBindUser: 'cn=stars,ou=Services,dc=example,dc=org',
        },
      },
    });
    const plan = planCluster(spec);
    writeFileSync(path.join(dir, 'ldap-bind-password'), 'bind-pw\n', { mode: 0o400 });
    const c = edgeHttpdConfig(spec, plan.edge.routes, '127.0.0.1', {
      serverRoot: dir,
      modulesDir: MODULES,
      pidFile: path.join(dir, 'httpd.pid'),
      files: { ...files(), ldapBindPassword: path.join(dir, 'ldap-bind-password') },
    });
    expect(c.directory?.userAttribute).toBe('uid');
    expect(configTest(renderHttpdConf(c))).toEqual({ status: 0, stderr: 'Syntax OK\n' });
  });

  test('without a login the edge answers 401 and the backend sees nothing', async () => {
    const before = seen.length;
    const r = await request(ports.marathon, { path: '/v2/apps' });
    expect([r.status, r.headers['www-authenticate']]).toEqual([401, 'Basic realm="Stars"']);
    expect(seen.length).toBe(before);
  });

  test('a wrong password is refused (401)', async () => {
    expect((await request(ports.marathon, { auth: 'admin:wrong' })).status).toBe(401);
  });

  test.each([['admin:s3cret-admin'], ['stars:s3cret-stars']])(
    'with %s Marathon is reached over TLS, with the backend login in place of the user one',
    async (auth) => {
      const r = await request(ports.marathon, { path: '/v2/apps?embed=apps.tasks', auth });
      expect([r.status, r.body]).toEqual([200, 'backend saw /v2/apps?embed=apps.tasks']);
      expect(r.headers['strict-transport-security']).toBe('max-age=31536000');
      expect(seen[seen.length - 1]).toEqual({
        url: '/v2/apps?embed=apps.tasks',
        authorization: `Basic ${Buffer.from('stars:backend-pw').toString('base64')}`,
        host: new URL(backendUrl).host,
        proto: 'https',
      });
    },
  );

  test('an app behind the edge gets no Authorization at all, and keeps the browser Host', async () => {
    const r = await request(ports.zeppelin, { path: '/api/version', auth: 'admin:s3cret-admin' });
    expect(r.status).toBe(200);
    expect(seen[seen.length - 1]).toEqual({
      url: '/api/version',
      host: `127.0.0.1:${ports.zeppelin}`,
      proto: 'https',
    });
  });

  test('a notebook WebSocket upgrade is tunnelled through the edge', async () => {
    const tls = await import('tls');
    const answer = await new Promise<string>((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port: ports.zeppelin, ca, servername: undefined }, () => {
        s.write(
          'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
            'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
            `Authorization: Basic ${Buffer.from('admin:s3cret-admin').toString('base64')}\r\n\r\n`,
        );
      });
      let data = '';
      s.on('data', (d: Buffer) => {
        data += d.toString();
        if (data.includes('\r\n\r\n') && !data.includes('echo:')) s.write('ping');
        if (data.includes('echo:ping')) {
          s.destroy();
          resolve(data);
        }
      });
      s.on('error', reject);
      const timer = setTimeout(
        () => reject(new Error(`no echo through the tunnel; got ${JSON.stringify(data)}`)),
        10_000,
      );
      s.on('close', () => clearTimeout(timer));
    });
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
    expect(answer.endsWith('echo:ping')).toBe(true);
  });

  test("the program's REST client (providers, stars CLI) reaches Marathon through the edge with the CA and the stars login", async () => {
    const client = new HttpClient({
      baseUrls: [`https://127.0.0.1:${ports.marathon}/`],
      username: 'stars',
      password: 's3cret-stars',
      ca,
      retries: 0,
    });
    const r = await client.request('GET', '/v2/info');
    expect([r.status, r.text, r.url]).toEqual([
      200,
      'backend saw /v2/info',
      `https://127.0.0.1:${ports.marathon}/v2/info`,
    ]);
    await expect(
      new HttpClient({ baseUrls: [`https://127.0.0.1:${ports.marathon}`], retries: 0 }).request(
        'GET',
        '/v2/info',
      ),
    ).rejects.toThrow(
      /GET https:\/\/127\.0\.0\.1:\d+\/v2\/info failed: fetch failed \(SELF_SIGNED_CERT_IN_CHAIN\)/,
    );
  });

  test("stars restart's health probe reaches Marathon through the edge with the CA and the login", async () => {
    const check = { kind: 'http' as const, port: ports.marathon, path: '/ping' };
    expect(await probe('127.0.0.1', check, { username: 'stars', password: 's3cret-stars' }, ca)).toEqual({
      ok: true,
      detail: 'HTTP 200',
    });
    expect(await probe('127.0.0.1', check, undefined, ca)).toEqual({ ok: false, detail: 'HTTP 401' });
  });

  test('a client that does not trust the stack CA is refused by its own TLS check', async () => {
    await expect(
      new Promise((resolve, reject) => {
        https.get({ host: '127.0.0.1', port: ports.marathon, path: '/' }, resolve).on('error', reject);
      }),
    ).rejects.toThrow('self-signed certificate in certificate chain');
  });
});
