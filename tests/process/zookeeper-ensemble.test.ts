import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  fourLetterWord,
  loopbackEnsemblePlan,
  modeOf,
  startMember,
  stopMember,
  until,
  writeLocalEnsemble,
  zkCli,
  ZK_CLI,
  ZK_JAR,
  zookeeperInstalled,
  type LocalMember,
} from '../support/zookeeper-client';

/**
 * Real ZooKeeper servers (Debian's zookeeper package) started from exactly the zoo.cfg/myid the planner renders
 * for a 3-master spec at 127.0.0.1-3; only dataDir/dataLogDir are moved to a temp dir. Proves the rendered
 * ensemble elects a leader, replicates writes, survives losing the leader and stops serving without a quorum.
 */

const NOT_SERVING = 'This ZooKeeper instance is not currently serving requests';
const installed = zookeeperInstalled();

jest.setTimeout(180_000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const describeIfInstalled = installed ? describe : describe.skip;

if (!installed) {
  test('the zookeeper package is installed (apt-get install zookeeper)', () => {
    throw new Error(
      `ZooKeeper is not installed (${ZK_JAR} or ${ZK_CLI} is missing). Install it with ` +
        '`sudo apt-get install zookeeper` (CI installs it) and rerun the process tests.',
    );
  });
}

describeIfInstalled('a ZooKeeper ensemble started from the rendered zoo.cfg and myid', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'stars-zk-'));
  let members: LocalMember[] = [];
  const { doc } = loopbackEnsemblePlan('process-test');

  beforeAll(() => {
    members = writeLocalEnsemble(doc, work, ['m1', 'm2', 'm3']);
    for (const m of members) {
      // Only the two directory lines change; everything else is the rendered file byte for byte.
      expect(m.cfg.split('\n').filter((l, i) => l !== m.rendered.split('\n')[i])).toHaveLength(2);
      startMember(m);
    }
  });

  afterAll(async () => {
    for (const m of members) {
      if (m.proc !== undefined && m.proc.exitCode === null) m.proc.kill('SIGKILL');
    }
    await sleep(200);
    rmSync(work, { recursive: true, force: true });
  });

  const kill = (m: LocalMember): Promise<void> => stopMember(m, 'SIGKILL');
  const modes = async (ms: readonly LocalMember[]): Promise<(string | undefined)[]> =>
    Promise.all(ms.map(async (m) => modeOf(await fourLetterWord(m.address, 'srvr'))));
  const leaderOf = async (ms: readonly LocalMember[]): Promise<LocalMember | undefined> => {
    const ms2 = await modes(ms);
    const followers = ms2.filter((x) => x === 'follower').length;
    const leaders = ms.filter((_, i) => ms2[i] === 'leader');
    return leaders.length === 1 && followers === ms.length - 1 ? leaders[0] : undefined;
  };

  let leader: LocalMember;

  test('the three members elect exactly one leader and two followers within 60 s', async () => {
    leader = await until('one leader and two followers', 60_000, () => leaderOf(members));
    expect((await modes(members)).sort()).toEqual(['follower', 'follower', 'leader']);
  });

  test('each member reports the whitelisted mntr word and its own server id through conf', async () => {
    for (const m of members) {
      expect(await fourLetterWord(m.address, 'ruok')).toBe('imok');
      expect(await fourLetterWord(m.address, 'conf')).toMatch(new RegExp(`^serverId=${m.id}$`, 'm'));
      expect(await fourLetterWord(m.address, 'mntr')).toMatch(/^zk_server_state\t(leader|follower)$/m);
    }
  });

  test('a znode written through one member is read from another', () => {
    const writer = members.find((m) => m !== leader) ?? members[0];
    const reader = members.find((m) => m !== writer && m !== leader) ?? leader;
    zkCli(writer.address, 'create', '/stars', 'hello');
    expect(zkCli(reader.address, 'get', '/stars')).toMatch(/^hello$/m);
  });

  test('after the leader is killed the other two elect a new leader within 30 s and keep the znode', async () => {
    await kill(leader);
    const survivors = members.filter((m) => m !== leader);
    const next = await until('a new leader among the survivors', 30_000, () => leaderOf(survivors));
    expect(next).not.toBe(leader);
    for (const m of survivors) expect(zkCli(m.address, 'get', '/stars')).toMatch(/^hello$/m);
    leader = next;
  });

  test('with a second member killed the last one refuses service (no quorum)', async () => {
    const survivors = members.filter((m) => m.proc?.exitCode === null && m.proc.signalCode === null);
    expect(survivors).toHaveLength(2);
    await kill(survivors[0]);
    const last = survivors[1];
    const answer = await until('the last member to stop serving', 30_000, async () => {
      const a = await fourLetterWord(last.address, 'srvr');
      return a.includes(NOT_SERVING) ? a : undefined;
    });
    expect(answer).toContain(NOT_SERVING);
  });
});
