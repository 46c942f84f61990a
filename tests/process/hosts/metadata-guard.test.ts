/**
 * The AWS metadata guard (25-metadata-guard.sh) for real: three network namespaces stand for a container on a
 * Docker network (C), the instance (H, forwarding C's packets) and the metadata service (M, answering on
 * 169.254.169.254 and on an ordinary address). The rendered loader and ruleset are loaded into H under a private
 * /etc; processes are put into cgroups of the cgroup v2 tree (a task's `docker/<id>`, and a host service's own)
 * before they connect, as Docker's cgroupfs driver and systemd place them. Real TCP connections prove the guard.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, statfsSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  CONTAINER_CGROUP,
  METADATA_ADDRESSES,
  METADATA_GUARD_TABLE,
  renderMetadataGuardLoader,
  renderMetadataGuardRuleset,
} from '../../../components/hosts/render-metadata-guard';
import type { HostSpec } from '../../../components/model/types';
import { stackSpec } from '../../unit/components/hosts/stack-spec';
import { reportSkip } from '../../support/skips';

const CGROUP2_MAGIC = 0x63677270;
/** The cgroup v2 tree as the loader finds it: unified, or beside cgroup v1 (hybrid, as this machine may be). */
const TREE = ['/sys/fs/cgroup', '/sys/fs/cgroup/unified'].find(
  (p) => existsSync(p) && statfsSync(p).type === CGROUP2_MAGIC,
);
const tool = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const capable =
  process.getuid?.() === 0 &&
  ['nft', 'ip', 'unshare', 'nsenter', 'timeout'].every(tool) &&
  TREE !== undefined &&
  spawnSync('mkdir', ['-p', `${TREE}/${CONTAINER_CGROUP}`]).status === 0;
if (!capable)
  reportSkip('metadata guard tests: they need root, nft, ip, unshare, nsenter and a writable cgroup v2 tree');
const describeIf = capable ? describe : describe.skip;

const tag = `smg${process.pid}`;
const NS = { C: `${tag}-c`, H: `${tag}-h`, M: `${tag}-m` } as const;
const OTHER_ADDRESS = '10.232.0.2';
const IMDS = METADATA_ADDRESSES.ipv4;
const CGROUPS = {
  task: `${TREE}/${CONTAINER_CGROUP}/${tag}`,
  service: `${TREE}/${tag}-service`,
} as const;

const spec = stackSpec('production');
const byRole = (role: 'master' | 'agent'): HostSpec => {
  const h = spec.hosts.find(
    (x) => x.roles.includes(role) && !x.roles.includes(role === 'master' ? 'agent' : 'master'),
  );
  if (h === undefined) throw new Error(`no ${role} in the production stack`);
  return h;
};

function run(args: string[]): { status: number; out: string } {
  const r = spawnSync(args[0], args.slice(1), { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}
function must(script: string): void {
  const r = run(['sh', '-ec', script]);
  if (r.status !== 0) throw new Error(`${script}: ${r.out}`);
}

let work: string;
let server: ChildProcess | undefined;
let madeContainerCgroup = false;

/** Loads the rendered guard of `host` into H exactly as its unit does: the loader, under a private /etc. */
function loadGuard(host: HostSpec): { status: number; out: string } {
  const etc = path.join(work, 'etc');
  mkdirSync(path.join(etc, 'stars'), { recursive: true });
  writeFileSync(path.join(etc, 'stars', 'metadata-guard.nft'), renderMetadataGuardRuleset(host));
  writeFileSync(path.join(work, 'loader'), renderMetadataGuardLoader(), { mode: 0o755 });
  return run([
    'nsenter',
    `--net=/run/netns/${NS.H}`,
    'unshare',
    '-m',
    'sh',
    '-c',
    `mount --bind ${etc} /etc && exec ${path.join(work, 'loader')}`,
  ]);
}

/**
 * True when a TCP connection to address:80 is accepted within two seconds, from namespace `from`, by a process
 * placed in `cgroup` first (nsenter keeps /sys/fs/cgroup, which `ip netns exec` would remount away).
 */
function connects(from: 'C' | 'H', cgroup: keyof typeof CGROUPS, address: string): boolean {
  const probe = `echo $$ > ${CGROUPS[cgroup]}/cgroup.procs && exec timeout 2 bash -c 'exec 3<>/dev/tcp/${address}/80'`;
  return run(['nsenter', `--net=/run/netns/${NS[from]}`, 'sh', '-c', probe]).status === 0;
}

const unguard = (): void => {
  run(['nsenter', `--net=/run/netns/${NS.H}`, 'nft', 'delete', 'table', 'inet', METADATA_GUARD_TABLE]);
};

describeIf('the AWS metadata guard in network namespaces', () => {
  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'stars-mdg-'));
    madeContainerCgroup = !existsSync(`${TREE}/${CONTAINER_CGROUP}/cgroup.procs`);
    for (const dir of Object.values(CGROUPS)) mkdirSync(dir, { recursive: true });
    must(`
      ip netns add ${NS.C}; ip netns add ${NS.H}; ip netns add ${NS.M}
      ip link add ${tag}c netns ${NS.C} type veth peer name ${tag}h netns ${NS.H}
      ip link add ${tag}i netns ${NS.H} type veth peer name ${tag}m netns ${NS.M}
      ip -n ${NS.C} addr add 10.231.0.2/30 dev ${tag}c
      ip -n ${NS.H} addr add 10.231.0.1/30 dev ${tag}h
      ip -n ${NS.H} addr add 10.232.0.1/30 dev ${tag}i
      ip -n ${NS.M} addr add ${OTHER_ADDRESS}/30 dev ${tag}m
      ip -n ${NS.M} addr add ${METADATA_ADDRESSES.ipv4}/32 dev lo
      for ns in ${NS.C} ${NS.H} ${NS.M}; do ip -n $ns link set lo up; done
      ip -n ${NS.C} link set ${tag}c up; ip -n ${NS.H} link set ${tag}h up
      ip -n ${NS.H} link set ${tag}i up; ip -n ${NS.M} link set ${tag}m up
      ip -n ${NS.C} route add default via 10.231.0.1
      ip -n ${NS.H} route add ${METADATA_ADDRESSES.ipv4}/32 via ${OTHER_ADDRESS}
      ip -n ${NS.M} route add 10.231.0.0/30 via 10.232.0.1
      ip netns exec ${NS.H} sysctl -q -w net.ipv4.ip_forward=1
    `);
    server = spawn(
      'ip',
      [
        'netns',
        'exec',
        NS.M,
        process.execPath,
        '-e',
        "require('net').createServer((s) => s.end()).listen(80, '0.0.0.0')",
      ],
      { stdio: 'ignore' },
    );
    // Bounded wait for the service to answer.
    for (let i = 0; i < 50 && !connects('H', 'service', OTHER_ADDRESS); i++) spawnSync('sleep', ['0.1']);
  });

  afterAll(() => {
    server?.kill('SIGKILL');
    for (const ns of Object.values(NS)) run(['ip', 'netns', 'del', ns]);
    for (const dir of Object.values(CGROUPS)) if (existsSync(dir)) rmdirSync(dir);
    if (madeContainerCgroup) run(['rmdir', `${TREE}/${CONTAINER_CGROUP}`]);
    rmSync(work, { recursive: true, force: true });
  });

  afterEach(unguard);

  /** [who, what it reaches, allowed, from, cgroup, address] */
  const cases: [string, string, boolean, 'C' | 'H', keyof typeof CGROUPS, string][] = [
    ['a task on the host network', 'the metadata service', false, 'H', 'task', IMDS],
    ['a container on a Docker network', 'the metadata service', false, 'C', 'task', IMDS],
    ['a host service (cloud-init, the SSM agent)', 'the metadata service', true, 'H', 'service', IMDS],
    ['a task on the host network', 'another address', true, 'H', 'task', OTHER_ADDRESS],
    ['a container on a Docker network', 'another address', true, 'C', 'task', OTHER_ADDRESS],
  ];

  test.each(cases)(
    'without the guard %s reaches %s (the topology works)',
    (_who, _what, _allowed, from, cgroup, address) => {
      expect(connects(from, cgroup, address)).toBe(true);
    },
  );

  test.each(cases)(
    'on an agent, %s reaching %s is allowed: %s',
    (_who, _what, allowed, from, cgroup, address) => {
      const r = loadGuard(byRole('agent'));
      expect(r).toEqual({ status: 0, out: '' });
      expect(connects(from, cgroup, address)).toBe(allowed);
    },
  );

  test('on a master (no tasks) forwarded containers are refused, the host itself is not told apart', () => {
    expect(loadGuard(byRole('master'))).toEqual({ status: 0, out: '' });
    expect([connects('C', 'task', IMDS), connects('H', 'service', IMDS)]).toEqual([false, true]);
  });

  test('loading twice leaves one table with the same rules (the reload is atomic and idempotent)', () => {
    expect(loadGuard(byRole('agent')).status).toBe(0);
    expect(loadGuard(byRole('agent')).status).toBe(0);
    const tables = run(['nsenter', `--net=/run/netns/${NS.H}`, 'nft', 'list', 'tables']).out;
    expect(tables.split('\n').filter((l) => l.includes(METADATA_GUARD_TABLE))).toEqual([
      `table inet ${METADATA_GUARD_TABLE}`,
    ]);
    expect(connects('H', 'task', IMDS)).toBe(false);
  });
});
