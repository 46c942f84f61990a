/**
 * The on-prem host firewall (50-firewall.sh) applied for real in network namespaces: two cluster hosts (a master
 * and an agent), an operator on an admin network and an outsider, all on one bridge. Each host runs the real
 * script (nft, the rollback, the confirm) inside its own network namespace and a private mount namespace (so
 * /etc, /var/lib and /run of this machine are never written), and real TCP connections prove the matrix.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sha256 } from '../../../components/hosts/plan-hosts';
import { renderFirewallCommand, renderFirewallScript } from '../../../components/hosts/render-firewall';
import type { ClusterSpec } from '../../../components/model/types';
import { stackSpec } from '../../unit/components/hosts/stack-spec';
import { reportSkip } from '../../support/skips';

const ADDRESSES = { m1: '10.77.0.11', a1: '10.77.0.21', adm: '10.77.9.5', out: '10.77.5.5' } as const;
type Node = keyof typeof ADDRESSES;
const NODES = Object.keys(ADDRESSES) as Node[];

const specFor = (adminCidrs: string[]): ClusterSpec =>
  stackSpec('staging', {
    'stars:adminCidrs': adminCidrs,
    'stars:hosts': [
      { name: 'm1', address: ADDRESSES.m1, roles: ['master'] },
      { name: 'a1', address: ADDRESSES.a1, roles: ['agent'] },
    ],
  });
const SPEC = specFor(['10.77.9.0/24']);

const tool = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const root = process.getuid?.() === 0;
const capable = root && tool('nft') && tool('ip') && tool('unshare');
if (!capable) reportSkip('host firewall tests: they need root, nft, ip and unshare');
const describeIf = capable ? describe : describe.skip;

const ns = (node: Node): string => `stars-fw-${process.pid}-${node}`;
const SWITCH = `stars-fw-${process.pid}-sw`;

function run(args: string[], input?: string): { status: number; out: string } {
  const r = spawnSync(args[0], args.slice(1), { encoding: 'utf8', input, timeout: 30_000 });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}
function must(args: string[]): string {
  const r = run(args);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.out}`);
  return r.out;
}

let work: string;
const listeners: ChildProcess[] = [];

/**
 * Runs the firewall on `node` exactly as the program's remote Command does: the script on stdin, the command
 * string from renderFirewallCommand under `sh` (with `sudo` a pass-through: the test is root already). The host's
 * /etc, /var/lib and /run are private copies, so the script writes only into `work`.
 */
function onHost(
  node: 'm1' | 'a1',
  spec: ClusterSpec,
  mode: 'apply' | 'confirm',
  env: Record<string, string> = {},
): { status: number; out: string } {
  const host = spec.hosts.find((h) => h.name === node);
  if (host === undefined) throw new Error(`no host ${node}`);
  const script = renderFirewallScript(spec, host);
  const dir = path.join(work, node);
  const setup = [
    `mkdir -p ${dir}/etc ${dir}/varlib ${dir}/run`,
    `cp -L /etc/passwd /etc/group /etc/os-release ${dir}/etc/ 2>/dev/null; true`,
    `mount --bind ${dir}/etc /etc && mount --bind ${dir}/varlib /var/lib && mount --bind ${dir}/run /run`,
  ].join(' && ');
  const vars = Object.entries({ PATH: `${work}/bin:${process.env.PATH ?? ''}`, ...env }).map(
    ([k, v]) => `${k}='${v}'`,
  );
  return run(
    [
      'ip',
      'netns',
      'exec',
      ns(node),
      'unshare',
      '-m',
      'sh',
      '-c',
      `${setup} && exec env ${vars.join(' ')} sh -c "$0"`,
      renderFirewallCommand(sha256(script), mode),
    ],
    script,
  );
}

function apply(node: 'm1' | 'a1', spec = SPEC, rollbackSeconds = 60, sshClient?: string): string {
  const r = onHost(node, spec, 'apply', {
    STARS_FIREWALL_ROLLBACK_SECONDS: String(rollbackSeconds),
    ...(sshClient === undefined ? {} : { SSH_CLIENT: sshClient }),
  });
  if (r.status !== 0) throw new Error(`firewall script failed (${r.status}): ${r.out}`);
  return r.out;
}
function confirm(node: 'm1' | 'a1', spec = SPEC): string {
  const r = onHost(node, spec, 'confirm');
  if (r.status !== 0) throw new Error(`firewall confirm failed (${r.status}): ${r.out}`);
  return r.out;
}

/** True when a TCP connection from `from` to `to:port` is accepted within two seconds. */
function connects(from: Node, to: Node, port: number): boolean {
  const probe = `exec 3<>/dev/tcp/${ADDRESSES[to]}/${port}`;
  return run(['ip', 'netns', 'exec', ns(from), 'timeout', '2', 'bash', '-c', probe]).status === 0;
}

const table = (node: Node): { status: number; out: string } =>
  run(['ip', 'netns', 'exec', ns(node), 'nft', 'list', 'table', 'inet', 'stars']);

const LISTENER = `
const net = require('net');
for (const p of process.argv.slice(1)) net.createServer((s) => s.pipe(s)).listen(Number(p), '0.0.0.0');
`;
const PORTS: Record<'m1' | 'a1', number[]> = {
  m1: [22, 2181, 2888, 5050, 8080, 9441],
  a1: [22, 5051, 31000, 31337, 32100, 40000],
};

function flush(node: 'm1' | 'a1'): void {
  run(['ip', 'netns', 'exec', ns(node), 'nft', 'delete', 'table', 'inet', 'stars']);
  for (const pid of run(['ip', 'netns', 'pids', ns(node)]).out.split('\n')) {
    // Only the rollback timers; the listeners are this test's own children.
    if (pid !== '' && !listeners.some((l) => String(l.pid) === pid)) run(['kill', '-9', pid]);
  }
  rmSync(path.join(work, node), { recursive: true, force: true });
}

describeIf('host firewall in network namespaces', () => {
  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'stars-fw-'));
    mkdirSync(path.join(work, 'bin'));
    writeFileSync(path.join(work, 'bin', 'sudo'), '#!/bin/sh\nexec "$@"\n', { mode: 0o755 });
    must(['ip', 'netns', 'add', SWITCH]);
    must(['ip', 'netns', 'exec', SWITCH, 'ip', 'link', 'add', 'br0', 'type', 'bridge']);
    must(['ip', 'netns', 'exec', SWITCH, 'ip', 'link', 'set', 'br0', 'up']);
    NODES.forEach((node, i) => {
      must(['ip', 'netns', 'add', ns(node)]);
      must([
        'ip',
        'link',
        'add',
        `sfw${i}h`,
        'netns',
        ns(node),
        'type',
        'veth',
        'peer',
        'sfw' + i + 's',
        'netns',
        SWITCH,
      ]);
      must(['ip', 'netns', 'exec', SWITCH, 'ip', 'link', 'set', `sfw${i}s`, 'master', 'br0', 'up']);
      must([
        'ip',
        'netns',
        'exec',
        ns(node),
        'ip',
        'addr',
        'add',
        `${ADDRESSES[node]}/16`,
        'dev',
        `sfw${i}h`,
      ]);
      must(['ip', 'netns', 'exec', ns(node), 'ip', 'link', 'set', `sfw${i}h`, 'up']);
      must(['ip', 'netns', 'exec', ns(node), 'ip', 'link', 'set', 'lo', 'up']);
    });
    for (const node of ['m1', 'a1'] as const) {
      const l = spawn(
        'ip',
        ['netns', 'exec', ns(node), process.execPath, '-e', LISTENER, ...PORTS[node].map(String)],
        {
          stdio: 'ignore',
        },
      );
      listeners.push(l);
    }
    // Bounded wait for the listeners (and the bridge) to answer.
    for (let i = 0; i < 50 && !(connects('out', 'm1', 8080) && connects('out', 'a1', 31000)); i++)
      spawnSync('sleep', ['0.1']);
  });

  afterAll(() => {
    for (const node of ['m1', 'a1'] as const) flush(node);
    for (const l of listeners) l.kill('SIGKILL');
    for (const node of NODES) run(['ip', 'netns', 'del', ns(node)]);
    run(['ip', 'netns', 'del', SWITCH]);
    rmSync(work, { recursive: true, force: true });
  });

  afterEach(() => {
    for (const node of ['m1', 'a1'] as const) flush(node);
  });

  it('lets each source reach exactly the ports the matrix gives it', () => {
    apply('m1');
    apply('a1');
    const cases: [Node, Node, number, boolean][] = [
      ['a1', 'm1', 2181, true],
      ['adm', 'm1', 2181, false],
      ['out', 'm1', 2181, false],
      ['a1', 'm1', 2888, false],
      ['adm', 'm1', 5050, true],
      ['out', 'm1', 5050, false],
      // With the TLS edge, operators reach Marathon and the apps only through it; the edge reaches the apps.
      ['adm', 'm1', 8080, false],
      ['a1', 'm1', 8080, true],
      ['adm', 'm1', 9441, true],
      ['out', 'm1', 9441, false],
      ['adm', 'm1', 22, true],
      ['a1', 'm1', 22, true],
      ['out', 'm1', 22, false],
      ['m1', 'a1', 5051, true],
      ['adm', 'a1', 31000, false],
      ['m1', 'a1', 31000, true],
      ['out', 'a1', 31000, false],
      // The shuffle service answers anyone, so only cluster hosts reach it.
      ['adm', 'a1', 31337, false],
      ['m1', 'a1', 31337, true],
      // Spark's RPC and block managers: drivers and executors, agents only.
      ['m1', 'a1', 32100, false],
      ['adm', 'a1', 32100, false],
      // A Spark driver's libmesos on an ephemeral port: the master calls it back.
      ['m1', 'a1', 40000, true],
      ['adm', 'a1', 40000, false],
    ];
    const seen = cases.map(([from, to, port]) => [from, to, port, connects(from, to, port)]);
    expect(seen).toEqual(cases);
  });

  it('keeps the SSH session that applies the rules (untracked until then), and refuses new ones from its source', () => {
    const client = spawn(
      'ip',
      [
        'netns',
        'exec',
        ns('out'),
        process.execPath,
        '-e',
        `const s = require('net').connect(22, '${ADDRESSES.m1}');
         s.setEncoding('utf8');
         s.on('connect', () => process.stdout.write('port ' + s.localPort + '\\n'));
         process.stdin.on('data', (d) => s.write(d));
         s.on('data', (d) => process.stdout.write(d));`,
      ],
      { stdio: ['pipe', 'pipe', 'ignore'] },
    );
    const echoed = (text: string): Promise<string> =>
      new Promise((resolve) => {
        let got = '';
        const timer = setTimeout(() => resolve(got), 3000);
        client.stdout?.on('data', (d: Buffer) => {
          got += d.toString();
          if (got.includes(text)) {
            clearTimeout(timer);
            resolve(got);
          }
        });
        client.stdin?.write(text);
      });
    return echoed('before\n')
      .then((before) => {
        const port = /port (\d+)/.exec(before)?.[1];
        expect(before).toMatch(/^port \d+\nbefore\n$/);
        apply('m1', SPEC, 60, `${ADDRESSES.out} ${port} 22`);
        return echoed('after\n');
      })
      .then((after) => {
        expect(after).toContain('after\n');
        expect(connects('out', 'm1', 22)).toBe(false);
      })
      .finally(() => client.kill('SIGKILL'));
  });

  it('rolls an unconfirmed ruleset back, and keeps a confirmed one for boot', () => {
    expect(apply('m1', SPEC, 1)).toContain('rolled back in 1 s unless confirmed');
    for (let i = 0; i < 40 && table('m1').status === 0; i++) spawnSync('sleep', ['0.1']);
    expect(table('m1').status).not.toBe(0);
    expect(connects('out', 'm1', 22)).toBe(true);
    expect(confirm('m1')).toContain('firewall: nothing to confirm');

    apply('m1', SPEC, 1);
    expect(confirm('m1')).toContain('firewall confirmed over a new SSH session');
    spawnSync('sleep', ['1.5']);
    expect(table('m1').status).toBe(0);
    expect(run(['cat', path.join(work, 'm1', 'etc', 'stars', 'firewall.nft')]).out).toContain(
      'table inet stars {',
    );
  });

  it('changes nothing when the rules are already applied, and says so', () => {
    apply('m1');
    confirm('m1');
    const before = table('m1').out;
    expect(apply('m1')).toContain('firewall unchanged');
    expect(table('m1').out).toBe(before);
  });

  it('rolls a changed ruleset back to the last confirmed one, not to an open host', () => {
    apply('m1');
    confirm('m1');
    const confirmed = table('m1').out;
    const locked = specFor(['10.77.200.0/24']);
    expect(apply('m1', locked, 3)).toContain('firewall applied; rolled back in 3 s');
    expect(connects('adm', 'm1', 22)).toBe(false);
    for (let i = 0; i < 60 && table('m1').out !== confirmed; i++) spawnSync('sleep', ['0.1']);
    expect(table('m1').out).toBe(confirmed);
    expect(connects('adm', 'm1', 22)).toBe(true);
  });
});
