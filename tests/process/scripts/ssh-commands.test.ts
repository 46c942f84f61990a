import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as http from 'http';
import { createServer, type AddressInfo, type Server } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import { main } from '../../../scripts/stars';
import { startSshd, type SshdFixture } from './sshd-fixture';
import { captureIo, type CapturedIo } from '../../support/capture-io';

/**
 * run / cleanup / restart against a real sshd on 127.0.0.1. Host a2 is "down": it resolves to 127.0.0.2,
 * where nothing listens on the SSH port, so connecting fails exactly as an unreachable host would.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
jest.setTimeout(120_000);

let sshd: SshdFixture;
let work: string;
let outputsFile: string;

const capture = (): CapturedIo => captureIo(true);

function sshFlags(): string[] {
  return ['--identity', sshd.identityFile, '--known-hosts', sshd.knownHostsFile, '--connect-timeout', '5'];
}

/** `stars run` on a role over the test sshd: options, then the command after `--`. */
function runArgs(role: string, options: readonly string[], command: readonly string[]): string[] {
  return ['run', '--outputs-file', outputsFile, '--role', role, ...options, ...sshFlags(), '--', ...command];
}

/** The real CLI in its own process, as `npm run stars -- …` runs it. */
function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'scripts/stars.ts', ...args],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  sshd = await startSshd();
  work = mkdtempSync(path.join(tmpdir(), 'stars-ops-'));
  outputsFile = path.join(work, 'outputs.json');
  writeFileSync(
    outputsFile,
    JSON.stringify({
      environment: 'dev',
      sshUser: sshd.user,
      sshPort: sshd.port,
      hosts: [
        { name: 'm1', roles: ['master'], address: '127.0.0.1', publicAddress: '127.0.0.1' },
        { name: 'a1', roles: ['agent'], address: '127.0.0.1' },
        { name: 'a2', roles: ['agent'], address: '127.0.0.2' },
      ],
    }),
  );
});

afterAll(async () => {
  await sshd?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

beforeEach(() => rmSync(path.join(sshd.dir, 'docker.log'), { force: true }));

describe('stars run over SSH', () => {
  test('runs the command on every reachable host, prefixes output by host, and exits 1 naming the down host', () => {
    const r = cli([
      'run',
      '--outputs-file',
      outputsFile,
      '--role',
      'all',
      ...sshFlags(),
      '--',
      'echo',
      'hello',
      'from',
      '$0',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\[a1\] hello from /m);
    expect(r.stdout).toMatch(/^\[m1\] hello from /m);
    expect(r.stdout).toContain('summary:\n  a1: ok\n  a2: exit 255\n  m1: ok\n2/3 hosts succeeded\n');
    expect(r.stderr).toContain('[a2] ssh: connect to host 127.0.0.2 port');
    expect(r.stderr).toContain('error: failed on 1 host(s): a2\n');
  });

  test('exits 0 with a per-host summary when every host succeeds', async () => {
    const io = capture();
    const code = await main(runArgs('master', [], ['echo', 'ok']), io);
    expect(code).toBe(0);
    expect(io.stdout).toContain('[m1] ok');
    expect(io.stdout.slice(-3)).toEqual(['summary:', '  m1: ok', '1/1 hosts succeeded']);
  });

  test('each argument arrives as one word: spaces, quotes and $() are not re-split or expanded', async () => {
    const io = capture();
    const code = await main(runArgs('master', [], ['printf', '%s|\\n', 'a b', "it's", '$(echo no)']), io);
    expect(code).toBe(0);
    expect(io.stdout.filter((l) => l.startsWith('[m1]'))).toEqual([
      '[m1] a b|',
      "[m1] it's|",
      '[m1] $(echo no)|',
    ]);
  });

  test("reports each host's own non-zero exit code", async () => {
    const io = capture();
    const code = await main(runArgs('all', ['--parallel', '1'], ['sh', '-c', 'exit 7']), io);
    expect(code).toBe(1);
    expect(io.stdout.slice(-5)).toEqual([
      'summary:',
      '  a1: exit 7',
      '  a2: exit 255',
      '  m1: exit 7',
      '0/3 hosts succeeded',
    ]);
    expect(io.stderr).toContain('error: failed on 3 host(s): a1, a2, m1');
  });

  test('refuses a host key that does not match known_hosts (StrictHostKeyChecking=yes)', async () => {
    const empty = path.join(work, 'empty_known_hosts');
    writeFileSync(empty, '');
    const io = capture();
    const code = await main(
      [
        'run',
        '--outputs-file',
        outputsFile,
        '--role',
        'master',
        '--identity',
        sshd.identityFile,
        '--known-hosts',
        empty,
        '--',
        'true',
      ],
      io,
    );
    expect(code).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/\[m1\] Host key verification failed/);
  });

  test.each([
    ['its own key: connects with no known_hosts at all', true],
    ['another key: refused, whatever known_hosts says', false],
  ])('a host key pinned in the outputs is the only one trusted, %s', async (_what, right) => {
    const other = path.join(work, `other_key_${String(right)}`);
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const hostKey = readFileSync(right ? path.join(sshd.dir, 'host_key.pub') : `${other}.pub`, 'utf8')
      .trim()
      .split(' ')
      .slice(0, 2)
      .join(' ');
    const pinnedFile = path.join(work, `pinned_${String(right)}.json`);
    writeFileSync(
      pinnedFile,
      JSON.stringify({
        environment: 'dev',
        sshUser: sshd.user,
        sshPort: sshd.port,
        hosts: [{ name: 'm1', roles: ['master'], address: '127.0.0.1', hostKey }],
      }),
    );
    const io = capture();
    const args = ['run', '--outputs-file', pinnedFile, '--role', 'master', '--identity', sshd.identityFile];
    // The fixture's known_hosts trusts the real key; a pinned key must win over it either way.
    const code = await main([...args, '--known-hosts', sshd.knownHostsFile, '--', 'true'], io);
    expect(code).toBe(right ? 0 : 1);
    if (!right) expect(io.stderr.join('\n')).toMatch(/\[m1\] Host key verification failed/);
  });

  test('bad arguments exit 64 with the usage and contact no host', () => {
    const r = cli(['run', '--outputs-file', outputsFile, '--role', 'workers', '--', 'true']);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(
      /^error: --role must be one of master, agent, all, got "workers"\n\nusage: npm run stars -- run /,
    );
  });
});

describe('stars cleanup over SSH', () => {
  test('prunes containers, images and volumes on the reachable agents and names the down one', async () => {
    const io = capture();
    const code = await main(['cleanup', '--outputs-file', outputsFile, ...sshFlags()], io);
    expect(code).toBe(1);
    expect(sshd.dockerCalls()).toEqual([
      'docker container prune -f',
      'docker image prune -f',
      'docker volume prune -f',
    ]);
    expect(io.stdout).toContain('  a1: ok');
    expect(io.stderr).toContain('error: cleanup failed on 1 host(s): a2');
  });

  test('--reset without --yes is refused before any host is contacted', async () => {
    const io = capture();
    const code = await main(['cleanup', '--outputs-file', outputsFile, '--reset', ...sshFlags()], io);
    expect(code).toBe(64);
    expect(io.stderr[0]).toBe(
      'error: --reset reinstalls Docker and deletes every container and image on the hosts; add --yes to confirm',
    );
    expect(sshd.dockerCalls()).toEqual([]);
  });
});

/** Health endpoints on ephemeral ports, reached through --health-port. */
let zk: Server;
let web: http.Server;
let webHits = 0;
const port = (s: Server | http.Server): number => (s.address() as AddressInfo).port;

describe('stars restart over SSH', () => {
  beforeAll(async () => {
    zk = createServer((sock) => {
      sock.once('data', (d) => {
        sock.end(d.toString() === 'srvr' ? 'Zookeeper version: 3.8.4\nMode: follower\nNode count: 5\n' : '');
      });
    });
    // Unhealthy on the first probe, healthy afterwards: restart must wait, not just fire and forget.
    web = http.createServer((_req, res) => {
      webHits++;
      res.writeHead(webHits === 1 ? 503 : 200);
      res.end(webHits === 1 ? 'starting' : 'pong');
    });
    await new Promise<void>((r) => zk.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise((r) => zk.close(r));
    await new Promise((r) => web.close(r));
  });
  beforeEach(() => {
    webHits = 0;
    rmSync(path.join(sshd.dir, 'fail-containers'), { force: true });
  });

  const healthPorts = (): string[] => [
    '--health-port',
    `zookeeper=${port(zk)},marathon=${port(web)},mesos-agent=${port(web)}`,
    '--health-interval',
    '1',
    '--health-timeout',
    '10',
  ];

  test('restarts master services in dependency order, waiting for each to be healthy', async () => {
    const io = capture();
    const code = await main(
      [
        'restart',
        '--outputs-file',
        outputsFile,
        '--role',
        'master',
        '--service',
        'marathon,zookeeper',
        ...healthPorts(),
        ...sshFlags(),
      ],
      io,
    );
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(sshd.dockerCalls()).toEqual(['docker restart stars-zookeeper', 'docker restart stars-marathon']);
    expect(io.stdout).toContain('[1/2] zookeeper on m1 healthy (mode follower)');
    expect(io.stdout.some((l) => /marathon on m1 not healthy yet after \d+s: HTTP 503/.test(l))).toBe(true);
    expect(io.stdout).toContain('[2/2] marathon on m1 healthy (HTTP 200)');
  });

  test('stops at the first host that fails and names what was not restarted', async () => {
    const io = capture();
    const code = await main(
      ['restart', '--outputs-file', outputsFile, '--role', 'agent', ...healthPorts(), ...sshFlags()],
      io,
    );
    expect(code).toBe(1);
    expect(sshd.dockerCalls()).toEqual(['docker restart stars-mesos-agent']);
    expect(io.stdout).toContain('[1/2] mesos-agent on a1 healthy (HTTP 200)');
    expect(io.stderr).toContain('error: docker restart stars-mesos-agent failed on a2 (exit 255)');
  });

  test('a failing docker restart stops the rolling restart before the next service', async () => {
    writeFileSync(path.join(sshd.dir, 'fail-containers'), 'stars-zookeeper\n');
    const io = capture();
    const code = await main(
      [
        'restart',
        '--outputs-file',
        outputsFile,
        '--role',
        'master',
        '--service',
        'zookeeper,marathon',
        ...healthPorts(),
        ...sshFlags(),
      ],
      io,
    );
    expect(code).toBe(1);
    expect(sshd.dockerCalls()).toEqual(['docker restart stars-zookeeper']);
    expect(io.stderr).toContain('[m1] Error response from daemon: No such container: stars-zookeeper');
    expect(io.stderr).toContain(
      'error: docker restart stars-zookeeper failed on m1 (exit 42); not restarted: marathon on m1',
    );
  });
});
