/**
 * The edge's rendered httpd.conf run by a real Apache httpd (Debian's apache2 2.4, the line the edge image pins)
 * on loopback, in front of an HTTP double that records what reaches it: TLS with a certificate of our own CA,
 * the login (bcrypt users in the `$2a$` form @pulumi/random's bcryptHash writes), the backend login injected and
 * the user's removed, WebSocket upgrades tunnelled, and `httpd -t` on the exact staging and directory configs.
 * The renderer is the program's; only the paths (server root, modules, files) and ports are the test's.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  openSync,
  readFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'fs';
import * as http from 'http';
import * as https from 'https';
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
import { stackSpec } from '../../unit/components/hosts/stack-spec';
import { HttpClient } from '../../../components/apps/api/http';
import { probe } from '../../../scripts/lib/health';
import { reportSkip } from '../../support/skips';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';
const canRun =
  existsSync(APACHE) && process.getuid?.() === 0 && spawnSync('openssl', ['version']).status === 0;
if (!canRun) reportSkip('tests/process/edge: needs root, openssl and Debian apache2 (.ci/run installs it)');
const suite = canRun ? describe : describe.skip;

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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** `$2a$10$…` for `password`: crypt(3)'s bcrypt, written with the prefix Go's bcrypt (the random provider) uses. */
function bcrypt2a(password: string): string {
  const py =
    'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024)))';
  const out = execFileSync('/usr/bin/python3', ['-W', 'ignore', '-c', py, password], {
    encoding: 'utf8',
  }).trim();
  return out.replace(/^\$2b\$/, '$2a$');
}

function files(): Record<'certificate' | 'key' | 'users' | 'logins', string> {
  return {
    certificate: path.join(dir, 'server.crt'),
    key: path.join(dir, 'server.key'),
    users: path.join(dir, 'users'),
    logins: path.join(dir, 'logins.conf'),
  };
}

function configTest(config: string): { status: number; stderr: string } {
  const file = path.join(dir, `t-${Math.random().toString(36).slice(2)}.conf`);
  writeFileSync(file, config);
  const r = spawnSync(APACHE, ['-t', '-f', file], { encoding: 'utf8' });
  return { status: r.status ?? -1, stderr: r.stderr };
}

function request(
  port: number,
  opts: { path?: string; auth?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const r = https.request(
      {
        host: '127.0.0.1',
        port,
        path: opts.path ?? '/',
        ca,
        ...(opts.auth === undefined ? {} : { auth: opts.auth }),
        headers: opts.headers ?? {},
        timeout: 10_000,
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    r.on('error', reject);
    r.end();
  });
}

async function waitListening(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`httpd did not listen on ${port}`);
}

const staging = planCluster(stackSpec('staging'));

suite('the edge under a real Apache httpd', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'stars-edge-'));
    chmodSync(dir, 0o755);
    mkdirSync(path.join(dir, 'logs'));
    openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key');
    openssl(
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-subj',
      '/CN=Stars test edge CA',
      '-days',
      '2',
      '-out',
      'ca.crt',
    );
    openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'server.key');
    openssl('req', '-new', '-key', 'server.key', '-subj', '/CN=127.0.0.1', '-out', 'server.csr');
    writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    openssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      'san.ext',
      '-out',
      'server.crt',
    );
    ca = readFileSync(path.join(dir, 'ca.crt'), 'utf8');
    // The chain the edge serves: its certificate, then the CA's (edge.ts).
    writeFileSync(files().certificate, readFileSync(files().certificate, 'utf8') + ca);
    chmodSync(files().key, 0o400);

    writeFileSync(
      files().users,
      renderHtpasswd({ admin: bcrypt2a('s3cret-admin'), stars: bcrypt2a('s3cret-stars') }),
    );
    chownSync(files().users, 33, 33);
    chmodSync(files().users, 0o400);
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
    writeFileSync(path.join(dir, 'httpd.conf'), config);
    // A file, as in a container (a FIFO there): httpd opens /proc/self/fd/2, which fails on a socket.
    const log = openSync(path.join(dir, 'httpd.log'), 'w');
    httpd = spawn(APACHE, ['-f', path.join(dir, 'httpd.conf'), '-DFOREGROUND'], {
      stdio: ['ignore', log, log],
      // Its own process group, so the children go with it.
      detached: true,
    });
    closeSync(log);
    await waitListening(ports.marathon).catch((e: Error) => {
      throw new Error(`${e.message}: ${readFileSync(path.join(dir, 'httpd.log'), 'utf8')}`);
    });
  }, 60_000);

  afterAll(async () => {
    // Upgraded sockets are no longer the server's: close() would wait for them.
    for (const t of tunnels) t.destroy();
    backend?.closeAllConnections();
    await new Promise<void>((r) => (backend === undefined ? r() : backend.close(() => r())));
    if (httpd?.pid !== undefined && httpd.exitCode === null) {
      const exited = new Promise((r) => httpd?.once('exit', r));
      process.kill(-httpd.pid, 'SIGTERM');
      const late = setTimeout(() => httpd?.pid !== undefined && process.kill(-httpd.pid, 'SIGKILL'), 3_000);
      await exited;
      clearTimeout(late);
    }
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
