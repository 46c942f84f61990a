import * as http from 'http';
import { createServer, type AddressInfo, type Server } from 'net';
import { probeHttp, probeZookeeper, waitHealthy } from '../../../scripts/lib/health';
import { freePort } from './sshd-fixture';

/** The probes `restart` waits on, against real sockets on 127.0.0.1. */
const servers: (Server | http.Server)[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

async function zk(answer: string): Promise<number> {
  const s = createServer((sock) => sock.once('data', () => sock.end(answer)));
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

describe('probeZookeeper (srvr)', () => {
  test('a member that reports its Mode is healthy', async () => {
    const port = await zk('Zookeeper version: 3.9.5\nLatency min/avg/max: 0/0.1/3\nMode: leader\n');
    expect(await probeZookeeper('127.0.0.1', port)).toEqual({ ok: true, detail: 'mode leader' });
  });

  test('a member that is not serving (no quorum) is not healthy', async () => {
    const port = await zk('This ZooKeeper instance is not currently serving requests\n');
    expect(await probeZookeeper('127.0.0.1', port)).toEqual({
      ok: false,
      detail: 'This ZooKeeper instance is not currently serving requests',
    });
  });

  test('a closed port is not healthy and says why', async () => {
    expect(await probeZookeeper('127.0.0.1', await freePort())).toEqual({
      ok: false,
      detail: expect.stringContaining('ECONNREFUSED'),
    });
  });
});

describe('probeHttp', () => {
  test.each([
    [200, true],
    [204, true],
    [503, false],
    [401, false],
  ])('HTTP %i is healthy: %s', async (status, ok) => {
    const s = http.createServer((_q, res) => res.writeHead(status).end());
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    expect(await probeHttp(`http://127.0.0.1:${(s.address() as AddressInfo).port}/ping`)).toEqual({
      ok,
      detail: `HTTP ${status}`,
    });
  });

  test('sends basic auth when credentials are given', async () => {
    let auth: string | undefined;
    const s = http.createServer((q, res) => {
      auth = q.headers.authorization;
      res.writeHead(200).end();
    });
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    await probeHttp(`http://127.0.0.1:${(s.address() as AddressInfo).port}/`, {
      username: 'u',
      password: 'p',
    });
    expect(auth).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });
});

test('waitHealthy gives up after the timeout with the last failure', async () => {
  const seen: string[] = [];
  const r = await waitHealthy(async () => ({ ok: false, detail: 'HTTP 503' }), {
    timeoutMs: 50,
    intervalMs: 10,
    onWait: (last) => seen.push(last.detail),
  });
  expect(r).toEqual({ ok: false, detail: 'HTTP 503' });
  expect(seen.length).toBeGreaterThan(0);
});
