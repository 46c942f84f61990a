/**
 * The agents' cgroup step (40-cgroups.sh), run for real as root: on this machine's own hierarchy, and on a
 * cgroup v2 host made in a private mount namespace (cgroup2 mounted on /sys/fs/cgroup, a scratch /etc/default
 * and /run, and an update-grub stand-in that records its calls), so the host itself is never changed.
 */
import { spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderCgroupScript } from '../../../components/hosts/render-cgroups';
import { stackSpec } from '../../unit/components/hosts/stack-spec';
import { reportSkip } from '../../support/skips';

const agent = stackSpec('staging').hosts.find((h) => h.name === 'a1');
if (agent === undefined) throw new Error('staging has no agent a1');
const script = renderCgroupScript(agent);
const root = process.getuid?.() === 0;
const hierarchy = spawnSync('stat', ['-fc', '%T', '/sys/fs/cgroup'], { encoding: 'utf8' }).stdout.trim();
const probe = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t cgroup2 none /sys/fs/cgroup'], {
  encoding: 'utf8',
});
const namespaces = root && probe.status === 0;
if (!namespaces)
  reportSkip(`cgroup v2 script tests: need root and mount namespaces (${probe.stderr.trim()})`);

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'stars-cgroups-'));
  for (const d of ['default', 'run', 'bin']) mkdirSync(path.join(work, d));
  writeFileSync(path.join(work, 'cgroups.sh'), script);
  writeFileSync(path.join(work, 'bin', 'update-grub'), `#!/bin/sh\necho ran >>${work}/update-grub.log\n`);
  chmodSync(path.join(work, 'bin', 'update-grub'), 0o755);
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** Runs the step `times` times on a cgroup v2 view of this host; returns each run's status and output. */
function onCgroupV2(times: number, env = ''): { status: number; out: string }[] {
  const runs = Array.from(
    { length: times },
    (_, i) => `${env} bash ${work}/cgroups.sh >${work}/out${i} 2>&1; echo $? >${work}/rc${i}`,
  );
  const r = spawnSync(
    'unshare',
    [
      '-m',
      'sh',
      '-c',
      [
        [
          'mount -t cgroup2 none /sys/fs/cgroup',
          `mount --bind ${work}/default /etc/default`,
          `mount --bind ${work}/run /run`,
        ].join(' && ') + ' || exit 1',
        `export PATH=${work}/bin:$PATH`,
        ...runs,
      ].join('\n'),
    ],
    { encoding: 'utf8' },
  );
  expect(r.stderr).toBe('');
  return Array.from({ length: times }, (_, i) => ({
    status: Number(readFileSync(path.join(work, `rc${i}`), 'utf8')),
    out: readFileSync(path.join(work, `out${i}`), 'utf8'),
  }));
}

const STOP =
  'stars bootstrap [a1] ERROR: host a1 runs cgroup v2, but Mesos 1.x agents need cgroup v1: the kernel command ' +
  'line now selects it; reboot a1 (sudo systemctl reboot), then run pulumi up again\n';

(root && hierarchy !== 'cgroup2fs' ? test : test.skip)(
  'on a cgroup v1 host (this machine) it changes nothing and says so',
  () => {
    const r = spawnSync('bash', [path.join(work, 'cgroups.sh')], { encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n')).toContain(
      'stars bootstrap [a1] cgroup v1 hierarchy, as Mesos 1.x agents need',
    );
  },
);

(namespaces ? describe : describe.skip)('on a cgroup v2 host', () => {
  test('it selects cgroup v1 for the next boot, marks the host and stops, naming the reboot', () => {
    const [first] = onCgroupV2(1);
    expect(first.status).toBe(1);
    expect(first.out).toContain(
      'stars bootstrap [a1] the kernel command line selects cgroup v1 from the next boot\n',
    );
    expect(first.out.endsWith(STOP)).toBe(true);
    expect(readFileSync(path.join(work, 'default', 'grub.d', '90-stars-cgroup.cfg'), 'utf8')).toBe(
      '# Managed by Stars: Mesos 1.x agents need the cgroup v1 hierarchy.\n' +
        'GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX systemd.unified_cgroup_hierarchy=0"\n',
    );
    expect(readFileSync(path.join(work, 'update-grub.log'), 'utf8')).toBe('ran\n');
    expect(existsSync(path.join(work, 'run', 'stars-reboot-required'))).toBe(true);
  });

  test('run again before the reboot, it rewrites nothing and runs update-grub no more, and still stops', () => {
    const [, second] = onCgroupV2(2);
    expect(second.status).toBe(1);
    expect(second.out).not.toContain('selects cgroup v1');
    expect(second.out.endsWith(STOP)).toBe(true);
    expect(readFileSync(path.join(work, 'update-grub.log'), 'utf8')).toBe('ran\n');
  });

  test('from cloud-init (first boot on AWS) it marks the host and succeeds, leaving the reboot to cloud-init', () => {
    const [first] = onCgroupV2(1, 'STARS_CGROUP_DEFER_REBOOT=yes');
    expect(first.status).toBe(0);
    expect(first.out).toContain(
      'stars bootstrap [a1] cgroup v2 now: rebooting into cgroup v1 when cloud-init is done\n',
    );
    expect(existsSync(path.join(work, 'run', 'stars-reboot-required'))).toBe(true);
  });
});
