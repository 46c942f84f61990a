/**
 * What the edge's process tests share: Debian's apache2 (the 2.4 line the edge image pins) started on a rendered
 * httpd.conf, a test CA and server certificate made with openssl, bcrypt logins in the `$2a$` form
 * @pulumi/random's bcryptHash writes, and an HTTPS client that trusts only that CA. Everything is on loopback
 * under one temporary directory.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'fs';
import type * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as path from 'path';

export const APACHE = '/usr/sbin/apache2';
export const MODULES = '/usr/lib/apache2/modules';
export const canRunEdge =
  existsSync(APACHE) && process.getuid?.() === 0 && spawnSync('openssl', ['version']).status === 0;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The files the rendered config names, under the test's directory. */
export function edgeFiles(
  dir: string,
): Record<'certificate' | 'key' | 'users' | 'groups' | 'logins', string> {
  return {
    certificate: path.join(dir, 'server.crt'),
    key: path.join(dir, 'server.key'),
    users: path.join(dir, 'users'),
    groups: path.join(dir, 'groups'),
    logins: path.join(dir, 'logins.conf'),
  };
}

/** A CA and a certificate for 127.0.0.1 it signs; the server file holds the chain the edge serves. Returns the CA PEM. */
export function makeTestPki(dir: string): string {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  mkdirSync(path.join(dir, 'logs'), { recursive: true });
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
  const ca = readFileSync(path.join(dir, 'ca.crt'), 'utf8');
  const files = edgeFiles(dir);
  writeFileSync(files.certificate, readFileSync(files.certificate, 'utf8') + ca);
  chmodSync(files.key, 0o400);
  return ca;
}

/** `$2a$10$…` for `password`: crypt(3)'s bcrypt, written with the prefix Go's bcrypt (the random provider) uses. */
export function bcrypt2a(password: string): string {
  const py =
    'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024)))';
  const out = execFileSync('/usr/bin/python3', ['-W', 'ignore', '-c', py, password], {
    encoding: 'utf8',
  }).trim();
  return out.replace(/^\$2b\$/, '$2a$');
}

export async function waitListening(port: number, log: string): Promise<void> {
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
  throw new Error(`httpd did not listen on ${port}: ${readFileSync(log, 'utf8')}`);
}

/** httpd in the foreground, in its own process group so its children stop with it; waits for `port`. */
export async function startHttpd(dir: string, config: string, port: number): Promise<ChildProcess> {
  writeFileSync(path.join(dir, 'httpd.conf'), config);
  const logFile = path.join(dir, 'httpd.log');
  // A file, as in a container (a FIFO there): httpd opens /proc/self/fd/2, which fails on a socket.
  const log = openSync(logFile, 'w');
  const child = spawn(APACHE, ['-f', path.join(dir, 'httpd.conf'), '-DFOREGROUND'], {
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  await waitListening(port, logFile);
  return child;
}

export async function stopProcessGroup(child: ChildProcess | undefined): Promise<void> {
  if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const pid = child.pid;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-pid, 'SIGTERM');
  const late = setTimeout(() => process.kill(-pid, 'SIGKILL'), 3_000);
  await exited;
  clearTimeout(late);
}

export interface EdgeAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
}

export function httpsRequest(
  ca: string,
  port: number,
  opts: { path?: string; auth?: string; method?: string; headers?: Record<string, string> } = {},
): Promise<EdgeAnswer> {
  return new Promise((resolve, reject) => {
    const r = https.request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
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
