import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import * as path from 'path';
import * as os from 'os';
import { renderBundleRunCommand } from '../../components/hosts/render-bootstrap-bundle';
import { renderFirewallCommand } from '../../components/hosts/render-firewall';
import { docker } from '../../scripts/lib/lab/docker';
import { labStatus, labUp } from '../../scripts/lib/lab/lab';
import { main as stars } from '../../scripts/stars';
import { reportSkip } from '../support/skips';
import { modeOf, until, zkCli, ZK_CLI } from '../support/zookeeper-client';
import { addressOf, onHost, ssh, startLab, TEST_LAB, type TestLab } from './support/lab';
import { buildRuntimeImage, quorumOf, startEnsemble, ZK_CONTAINER, type ZkMember } from './support/zookeeper';

/**
 * The hosts layer for real: a lab of 3 masters and 2 agents (containers with systemd, sshd and their own Docker
 * engine) made by the same code as `npm run lab -- up`. Everything reaches the hosts over real SSH with the
 * lab's key and pinned host keys, as the program's remote.Command and the `stars` CLI do. One file, so the
 * suites share one lab in order: bootstrap, ZooKeeper, the stars CLI, then the firewall.
 */

jest.setTimeout(300_000);

let lab: TestLab;

/** What the lab needs from this machine; CI (.ci/run sets STARS_LAB_REQUIRED) fails instead of skipping. */
const missing = [
  spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0
    ? undefined
    : 'a Docker engine that answers',
  process.getuid?.() === 0 ? undefined : 'root (debootstrap builds the host image)',
  existsSync(ZK_CLI) ? undefined : `${ZK_CLI} (apt-get install zookeeper)`,
].filter((m): m is string => m !== undefined);
const required = process.env.STARS_LAB_REQUIRED === '1';
if (missing.length > 0 && !required)
  reportSkip(`tests/lab: needs ${missing.join(', ')}; .ci/run provides them`);
const describeLab = missing.length === 0 || required ? describe : describe.skip;

beforeAll(async () => {
  if (missing.length > 0 && required) throw new Error(`the lab tests need ${missing.join(', ')}`);
  if (missing.length === 0) lab = await startLab();
}, 1_800_000);

afterAll(async () => {
  await lab?.stop();
}, 300_000);

const hostPlan = (name: string) => {
  const h = lab.hosts.hosts.find((x) => x.name === name);
  if (h?.bundle === undefined) throw new Error(`no bundle for ${name}`);
  return { ...h, bundle: h.bundle };
};

/** The host's bootstrap bundle over SSH exactly as remoteBootstrap sends it: the run command, the bundle on stdin. */
const bootstrap = (name: string) => {
  const h = hostPlan(name);
  return ssh(lab, h.spec.address, renderBundleRunCommand(h.bundle.sha256), h.bundle.content);
};
const lastLine = (out: string): string => out.trimEnd().split('\n').at(-1) ?? '';
const hostNames = (): string[] => lab.plan.hosts.map((h) => h.name);

describeLab('the lab', () => {
  test('its stack file is a valid onprem stack: every lab host, each host key pinned, the distribution engine', () => {
    expect(lab.spec.mode).toBe('onprem');
    expect(lab.spec.hosts.map((h) => [h.name, h.address, h.roles.join()])).toEqual(
      lab.plan.hosts.map((h) => [h.name, h.address, h.role]).sort(),
    );
    expect(lab.spec.hosts.every((h) => h.ssh.hostKey?.startsWith('ssh-ed25519 '))).toBe(true);
    expect(lab.spec.packageSources.dockerEngine).toBe('distribution');
  });
});

describeLab('lab hosts take keys only', () => {
  test('sshd on every host refuses passwords, keyboard-interactive logins and root', async () => {
    for (const name of hostNames()) {
      const settings = (await onHost(lab, name, 'sshd -T'))
        .split('\n')
        .filter((l) => /^(passwordauthentication|kbdinteractiveauthentication|permitrootlogin) /.test(l))
        .sort();
      expect({ name, settings }).toEqual({
        name,
        settings: ['kbdinteractiveauthentication no', 'passwordauthentication no', 'permitrootlogin no'],
      });
    }
  });
});

describeLab('npm run lab: up twice, status and refusals', () => {
  test('up again with the same options leaves one lab: the same containers, the same host keys', async () => {
    const before = (await docker(['ps', '-q', '--filter', `label=dev.stars.lab=${lab.plan.name}`])).stdout
      .split('\n')
      .sort();
    const keys = readFileSync(lab.knownHosts, 'utf8');
    const paths = { stateDir: path.dirname(lab.knownHosts), stackFile: lab.stackFile };
    await labUp({ ...TEST_LAB, ...paths, log: () => undefined });
    const after = (await docker(['ps', '-q', '--filter', `label=dev.stars.lab=${lab.plan.name}`])).stdout
      .split('\n')
      .sort();
    expect(after).toEqual(before);
    expect(readFileSync(lab.knownHosts, 'utf8')).toBe(keys);
  });

  test('status: every host with its address, sshd and its Docker engine answering', async () => {
    const status = await labStatus(lab.plan.name);
    expect(status.map((h) => [h.name, h.address, h.state, h.sshd, h.engine !== undefined])).toEqual(
      [...lab.plan.hosts]
        .sort((a, b) => a.container.localeCompare(b.container))
        .map((h) => [h.name, h.address, 'running', true, true]),
    );
  });

  test('another lab on a taken subnet is refused naming the flag, and nothing of it is created', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'stars-lab-taken-'));
    try {
      await expect(
        labUp({
          ...TEST_LAB,
          name: 'stars-labtest-two',
          stateDir: path.join(dir, 's'),
          stackFile: path.join(dir, 'P.yaml'),
          log: () => undefined,
        }),
      ).rejects.toThrow(
        /^the subnet 172\.31\.251\.0\/24 is taken \(.*\); pass --subnet with a free private \/24$/,
      );
      expect((await docker(['ps', '-aq', '--filter', 'label=dev.stars.lab=stars-labtest-two'])).stdout).toBe(
        '',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeLab('bootstrap over real SSH', () => {
  test('a fresh host converges: the engine answers the SSH user, chrony is enabled, kernel settings and directories are in place', async () => {
    const runs = await Promise.all(hostNames().map(bootstrap));
    runs.forEach((r, i) => {
      expect({ host: hostNames()[i], code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({
        host: hostNames()[i],
        code: 0,
        stderr: '',
      });
      expect(lastLine(r.stdout)).toMatch(
        new RegExp(`^stars bootstrap \\[${hostNames()[i]}\\] converged: \\d+ change\\(s\\)$`),
      );
    });
    for (const name of hostNames()) {
      const check = await ssh(
        lab,
        addressOf(lab, name),
        [
          "docker version --format '{{.Server.Version}}'",
          'systemctl is-enabled chrony',
          'cat /etc/sysctl.d/90-stars.conf | grep -c " = "',
          'stat -c %a:%U /var/lib/mesos /var/lib/stars',
          'grep -c registry-mirrors /etc/docker/daemon.json || true',
        ].join(' && '),
      );
      expect(check.code).toBe(0);
      const [engine, chrony, settings, ...rest] = check.stdout.trim().split('\n');
      expect([engine.length > 0, chrony, settings, rest]).toEqual([
        true,
        'enabled',
        // Every kernel setting of the bootstrap (SYSCTL_SETTINGS), the ephemeral port range among them.
        '6',
        ['755:root', '755:root', '0'],
      ]);
    }
  });

  test('a second run changes nothing and says so', async () => {
    const runs = await Promise.all(hostNames().map(bootstrap));
    expect(runs.map((r) => [r.code, lastLine(r.stdout)])).toEqual(
      hostNames().map((n) => [0, `stars bootstrap [${n}] converged: nothing changed`]),
    );
  });

  test('a drifted host is repaired: an app directory owner put back, a stopped engine started, then nothing to do', async () => {
    const appDir = '/var/lib/stars/apps/jupyter';
    const owner = (await onHost(lab, 'a1', `stat -c %u:%g ${appDir}`)).trim();
    await onHost(lab, 'a1', `chown 0:0 ${appDir} && systemctl stop docker.socket docker`);
    const repair = await bootstrap('a1');
    expect(repair.code).toBe(0);
    const changes = repair.stdout
      .split('\n')
      .filter((l) => / (now owned by|started the Docker engine)/.test(l));
    expect(changes).toEqual([
      `stars bootstrap [a1] ${appDir} now owned by ${owner}`,
      'stars bootstrap [a1] started the Docker engine',
    ]);
    expect((await onHost(lab, 'a1', `stat -c %u:%g ${appDir}; systemctl is-active docker`)).trim()).toBe(
      `${owner}\nactive`,
    );
    expect(lastLine((await bootstrap('a1')).stdout)).toBe('stars bootstrap [a1] converged: nothing changed');
  });
});

let members: ZkMember[] = [];

describeLab('a ZooKeeper ensemble across three lab hosts, from the rendered zoo.cfg and myid', () => {
  beforeAll(async () => {
    members = await startEnsemble(lab);
  }, 300_000);

  test('elects one leader and replicates a write to every member', async () => {
    const modes = await quorumOf(members);
    expect(Object.values(modes).sort()).toEqual(['follower', 'follower', 'leader']);
    zkCli(members[0].address, 'create', '/stars-lab', 'written-on-m1');
    for (const m of members) expect(zkCli(m.address, 'get', '/stars-lab')).toContain('written-on-m1');
  });

  test('survives the loss of its leader host: the other two elect a leader and keep the data', async () => {
    const modes = await quorumOf(members);
    const leader = members.find((m) => modes[m.host] === 'leader');
    if (leader === undefined) throw new Error('no leader');
    const container = lab.plan.hosts.find((h) => h.name === leader.host)?.container ?? '';
    expect((await docker(['stop', '-t', '5', container])).code).toBe(0);
    const rest = members.filter((m) => m !== leader);
    try {
      await quorumOf(rest);
      expect(zkCli(rest[0].address, 'get', '/stars-lab')).toContain('written-on-m1');
      zkCli(rest[1].address, 'set', '/stars-lab', 'written-without-the-leader');
    } finally {
      expect((await docker(['start', container])).code).toBe(0);
    }
    // The host boots again, its engine restarts the member (restart unless-stopped) and it rejoins.
    await quorumOf(members, 180_000);
    expect(zkCli(leader.address, 'get', '/stars-lab')).toContain('written-without-the-leader');
  });
});

/** The stars CLI in-process, its output captured. */
async function runStars(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await stars(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}
const sshArgs = (): string[] => [
  '--outputs-file',
  lab.outputsFile,
  '--identity',
  lab.identity,
  '--known-hosts',
  lab.knownHosts,
];

describeLab('the stars CLI against lab hosts over real SSH', () => {
  test('run: every host answers, one line per host prefixed with its name', async () => {
    const r = await runStars(['run', '--role', 'all', ...sshArgs(), '--', 'hostname']);
    expect(r.code).toBe(0);
    expect(r.out.filter((l) => /^\[\w+\] \w+$/.test(l)).sort()).toEqual(
      hostNames()
        .map((n) => `[${n}] ${n}`)
        .sort(),
    );
    expect(r.out.at(-1)).toBe(`${hostNames().length}/${hostNames().length} hosts succeeded`);
  });

  test('run with a host stopped mid-run: the others finish, the summary and exit code name the one that failed', async () => {
    const a2 = lab.plan.hosts.find((h) => h.name === 'a2')?.container ?? '';
    const running = runStars(['run', '--role', 'all', ...sshArgs(), '--', 'sh', '-c', 'sleep 6; echo done']);
    await new Promise((r) => setTimeout(r, 2000));
    expect((await docker(['stop', '-t', '1', a2])).code).toBe(0);
    try {
      const r = await running;
      expect(r.code).toBe(1);
      expect(r.out.filter((l) => l.endsWith('] done')).sort()).toEqual([
        '[a1] done',
        '[m1] done',
        '[m2] done',
        '[m3] done',
      ]);
      const summary = r.out.slice(r.out.indexOf('summary:'));
      expect(summary.filter((l) => l.startsWith('  a2: '))).toEqual([
        expect.stringMatching(/^ {2}a2: exit \d+$/),
      ]);
      expect(summary.at(-1)).toBe('4/5 hosts succeeded');
      // ssh's own word on the lost connection is passed on under the host's name, then the verdict.
      expect(r.err.at(-1)).toBe('error: failed on 1 host(s): a2');
      expect(r.err.slice(0, -1).every((l) => l.startsWith('[a2] '))).toBe(true);
    } finally {
      expect((await docker(['start', a2])).code).toBe(0);
      await until('a2 answering SSH again', 120_000, async () =>
        (await ssh(lab, addressOf(lab, 'a2'), 'true')).code === 0 ? true : undefined,
      );
    }
  });

  test('restart --service zookeeper: one master at a time, each healthy again before the next; the ensemble keeps its data', async () => {
    await quorumOf(members);
    const r = await runStars([
      'restart',
      '--role',
      'master',
      '--service',
      'zookeeper',
      '--health-interval',
      '1',
      ...sshArgs(),
    ]);
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: [] });
    expect(r.out.filter((l) => l.startsWith('['))).toEqual(
      expect.arrayContaining([`[1/3] restarting zookeeper on m1 (docker restart ${ZK_CONTAINER})`]),
    );
    await quorumOf(members);
    expect(zkCli(members[2].address, 'get', '/stars-lab')).toContain('written-without-the-leader');
  });

  test('cleanup on agents removes a stopped container and keeps a running one', async () => {
    for (const a of ['a1', 'a2']) {
      await buildRuntimeImage(lab, a);
      await onHost(
        lab,
        a,
        'docker rm -f junk keep >/dev/null 2>&1; docker create --name junk stars-lab-runtime:1 true >/dev/null && docker run -d --name keep -v /usr:/usr:ro stars-lab-runtime:1 sleep 600 >/dev/null',
      );
    }
    const r = await runStars(['cleanup', '--role', 'agent', ...sshArgs()]);
    expect(r.code).toBe(0);
    for (const a of ['a1', 'a2'])
      expect((await onHost(lab, a, "docker ps -a --format '{{.Names}}' | sort")).trim().split('\n')).toEqual([
        'keep',
      ]);
  });
});

describeLab('the host firewall, applied on lab hosts and checked with real connections', () => {
  /** Whether `from` (a lab container, or this machine for 'operator') opens a TCP connection to address:port. */
  const connects = async (from: string, address: string, port: number): Promise<boolean> => {
    const probe = `timeout 3 bash -c '</dev/tcp/${address}/${port}' 2>/dev/null && echo open || echo closed`;
    if (from === 'operator')
      return spawnSync('bash', ['-c', probe], { encoding: 'utf8' }).stdout.trim() === 'open';
    return (await docker(['exec', from, 'bash', '-c', probe])).stdout.trim() === 'open';
  };
  const outsider = (): string => `${lab.plan.name}-outsider`;

  beforeAll(async () => {
    const image = (
      await docker(['inspect', '--format', '{{.Config.Image}}', lab.plan.hosts[0].container])
    ).stdout.trim();
    const prefix = lab.plan.subnet.replace(/\.0\/24$/, '');
    // A machine on the lab network that is neither a cluster host nor in adminCidrs; labelled, so down removes it.
    const r = await docker([
      'run',
      '-d',
      '--name',
      outsider(),
      '--network',
      lab.plan.network,
      '--ip',
      `${prefix}.99`,
      '--label',
      `dev.stars.lab=${lab.plan.name}`,
      '--entrypoint',
      'sleep',
      image,
      'infinity',
    ]);
    expect(r.stderr).toBe('');
    for (const name of hostNames()) {
      const h = hostPlan(name);
      const fw = h.firewall;
      if (fw === undefined) throw new Error(`no firewall for ${name}`);
      for (const mode of ['apply', 'confirm'] as const) {
        const run = await ssh(lab, h.spec.address, renderFirewallCommand(fw.sha256, mode), fw.script);
        if (run.code !== 0) throw new Error(`firewall ${mode} on ${name}: ${run.stderr}`);
      }
    }
  }, 300_000);

  test.each([
    ['the operator (adminCidrs) reaches SSH on a master', 'operator', 'm1', 22, true],
    ['a machine outside the cluster and adminCidrs does not reach SSH', 'outsider', 'm1', 22, false],
    ['an agent (a cluster host) reaches ZooKeeper on a master', 'a1', 'm2', 2181, true],
    ['a machine outside the cluster does not reach ZooKeeper', 'outsider', 'm2', 2181, false],
  ])('%s', async (_claim, from, to, port, open) => {
    const source =
      from === 'operator'
        ? 'operator'
        : from === 'outsider'
          ? outsider()
          : (lab.plan.hosts.find((h) => h.name === from)?.container ?? '');
    expect(await connects(source, addressOf(lab, to), port)).toBe(open);
  });

  test('the ensemble keeps its quorum behind the firewall (peer ports 2888/3888 stay open between masters)', async () => {
    const a1 = lab.plan.hosts.find((h) => h.name === 'a1')?.container ?? '';
    const modes = await until('every member answering srvr from a1', 60_000, async () => {
      const answers = await Promise.all(
        members.map((m) =>
          docker(['exec', a1, 'bash', '-c', `exec 3<>/dev/tcp/${m.address}/2181; echo srvr >&3; cat <&3`]),
        ),
      );
      const found = answers.map((a) => modeOf(a.stdout));
      return found.every((f) => f !== undefined) ? found : undefined;
    });
    expect([...modes].sort()).toEqual(['follower', 'follower', 'leader']);
  });
});
