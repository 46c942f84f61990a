import { spawn } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pinnedHostKeyOptions } from '../../../components/hosts/ssh-options';
import { parseLeaderReport, type LeaderReading } from '../../../components/platform/plan-leaders';
import {
  renderLeaderLookup,
  renderLeaderProbe,
  type ProbeTarget,
} from '../../../components/platform/render-leader-probe';
import { HttpDouble, type Reply } from '../../support/http-double';
import {
  loopbackEnsemblePlan,
  startMember,
  stopMember,
  until,
  writeLocalEnsemble,
  describeWithZookeeper,
  leaderOf,
  type LocalMember,
} from '../../support/zookeeper-client';
import { startSshd, type SshdFixture } from '../scripts/sshd-fixture';

/**
 * The leader look-up, both scripts exactly as rendered: the driver sends the probe over a real ssh (OpenSSH on
 * loopback, the host key pinned as the program pins it) to a "master" that reaches a real three-member ZooKeeper
 * ensemble (Debian's, on 127.0.5.1-3, from the rendered zoo.cfg) and a Mesos-DNS. No Mesos-DNS runs here, so a
 * double answers /v1/hosts/<name> as v0.6.0 does (resolver/resolver.go:568-597; records/generator.go: leader.<domain>
 * for the leading master, <framework>.<domain> for each registered framework; a miss is an empty ip).
 */

const describeIfInstalled = describeWithZookeeper('tests/process/platform/leader-lookup');

jest.setTimeout(180_000);

const { plan, doc } = loopbackEnsemblePlan('leader-lookup-test', '127.0.5');

class MesosDnsDouble extends HttpDouble {
  records = new Map<string, string>();
  protected handle(_method: string, url: URL): Reply {
    const name = /^\/v1\/hosts\/(.+)$/.exec(url.pathname)?.[1];
    if (name === undefined) return { status: 404, text: '404 page not found\n' };
    const ip = this.records.get(name);
    return { status: 200, body: [ip === undefined ? { host: '', ip: '' } : { host: `${name}.`, ip }] };
  }
}

/** The probe as rendered, but asking the double: the one line that names Mesos-DNS's address is swapped. */
function probeFor(dns: MesosDnsDouble): string {
  const probe = renderLeaderProbe(plan);
  const planned = "MESOS_DNS=('127.0.5.1:8123' '127.0.5.2:8123' '127.0.5.3:8123')\n";
  if (!probe.includes(planned)) throw new Error('the probe does not name the planned Mesos-DNS servers');
  return probe.replace(planned, `MESOS_DNS=('${new URL(dns.url).host}')\n`);
}

function runLookup(
  targets: readonly ProbeTarget[],
  probe: string,
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn('/bin/bash', ['-c', renderLeaderLookup(targets, 20)]);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout }));
    child.stdin.end(probe);
  });
}

describeIfInstalled('the leader look-up against a real ensemble, over real ssh', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'stars-leaders-'));
  let members: LocalMember[] = [];
  let sshd: SshdFixture;
  let dns: MesosDnsDouble;
  let master: ProbeTarget;
  /** A master whose sshd is not there: the connection is refused. */
  const gone: ProbeTarget = {
    name: 'm0',
    argv: ['ssh', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-p', '1', '127.0.0.1', 'bash -s'],
  };
  const read = async (targets: readonly ProbeTarget[]): Promise<LeaderReading> => {
    const r = await runLookup(targets, probeFor(dns));
    expect(r.code).toBe(0);
    return parseLeaderReport(r.stdout, plan.containers);
  };
  const zkLeader = (): Promise<LocalMember | undefined> => leaderOf(members);

  beforeAll(async () => {
    members = writeLocalEnsemble(doc, work, ['m1', 'm2', 'm3']);
    members.forEach(startMember);
    sshd = await startSshd();
    dns = await new MesosDnsDouble().start();
    const hostKey = readFileSync(path.join(sshd.dir, 'host_key.pub'), 'utf8');
    master = {
      name: 'm1',
      argv: [
        'ssh',
        '-o',
        'BatchMode=yes',
        ...pinnedHostKeyOptions('127.0.0.1', sshd.port, hostKey),
        '-o',
        'ConnectTimeout=5',
        '-i',
        sshd.identityFile,
        '-p',
        String(sshd.port),
        `${sshd.user}@127.0.0.1`,
        'bash -s',
      ],
    };
    await until('a ZooKeeper leader', 60_000, zkLeader);
  });

  afterAll(async () => {
    for (const m of members) await stopMember(m, 'SIGKILL');
    await dns?.stop();
    await sshd?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('names the ensemble leader that srvr reports, and the masters and frameworks Mesos-DNS holds, by host', async () => {
    dns.records.set('leader.mesos', '127.0.5.3');
    dns.records.set('marathon.mesos', '127.0.5.2');
    const leader = await zkLeader();
    expect(await read([master])).toEqual({
      leaders: { zookeeper: leader?.host, 'mesos-master': 'm3', marathon: 'm2' },
      notes: [{ level: 'info', message: 'chronos: no leader seen; rolls in host-name order' }],
    });
  });

  test('a master that does not answer is skipped: the next one is asked', async () => {
    dns.records.set('chronos.mesos', '127.0.5.1');
    const r = await read([gone, master]);
    expect([r.leaders.chronos, r.notes]).toEqual(['m1', []]);
  });

  test('when the ensemble leader stops, the look-up names the member the others elect', async () => {
    const old = await zkLeader();
    if (old === undefined) throw new Error('no leader');
    await stopMember(old);
    const next = await until('a new ZooKeeper leader', 60_000, zkLeader);
    expect(next.host).not.toBe(old.host);
    expect((await read([master])).leaders.zookeeper).toBe(next.host);
  });

  test('without a quorum nobody leads: the ensemble rolls in host-name order', async () => {
    const leader = await zkLeader();
    if (leader === undefined) throw new Error('no leader');
    await stopMember(leader);
    const r = await read([master]);
    expect(r.leaders.zookeeper).toBeUndefined();
    expect(r.notes).toContainEqual({
      level: 'info',
      message: 'zookeeper: no leader seen; rolls in host-name order',
    });
  });

  test('no master answers: one warning with each reason, and every service rolls in host-name order', async () => {
    const r = await read([gone, { ...gone, name: 'm9' }]);
    expect(r.leaders).toEqual({});
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0].message).toMatch(
      /^no master answered the leader look-up \(m0: exit 255 ssh: connect to host 127\.0\.0\.1 port 1: Connection refused;m9: exit 255 ssh: connect to host 127\.0\.0\.1 port 1: Connection refused\); every service rolls in host-name order$/,
    );
  });

  test('a master whose key is not the pinned one is not asked', async () => {
    const otherKey = readFileSync(`${sshd.identityFile}.pub`, 'utf8');
    const pinned = pinnedHostKeyOptions('127.0.0.1', sshd.port, otherKey);
    const swap = (a: string): string =>
      a.startsWith('KnownHostsCommand=') ? (pinned.find((o) => o.startsWith('KnownHostsCommand=')) ?? a) : a;
    const r = await read([{ name: 'm1', argv: master.argv.map(swap) }]);
    expect(r.notes).toEqual([
      {
        level: 'warn',
        message:
          'no master answered the leader look-up (m1: exit 255 Host key verification failed.); every service rolls in host-name order',
      },
    ]);
  });
});
