import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gateFor, rollOrder } from '../../../components/platform/plan-gates';
import { leaderLast, parseLeaderReport, rollSequence } from '../../../components/platform/plan-leaders';
import { renderGateScript } from '../../../components/platform/render-health-gate';
import { renderLeaderProbe } from '../../../components/platform/render-leader-probe';
import { runBashScript, type ScriptRun } from '../../support/run-script';
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
  describeWithZookeeper,
  leaderOf,
  type LocalMember,
} from '../../support/zookeeper-client';

/**
 * The ZooKeeper health gate, rendered exactly as the program ships it, run with bash against a real ensemble
 * (Debian's zookeeper on 127.0.2.1-3, from the rendered zoo.cfg and myid): healthy, a stopped member, a lost
 * quorum; then a rolling restart of all three driven by that gate, in the program's roll order (the leader the
 * look-up reads last), while a client keeps writing: the ensemble never drops below a quorum, nobody else is
 * elected while the followers roll, and every acknowledged write survives.
 */

const describeIfInstalled = describeWithZookeeper('tests/process/platform/health-gate');

jest.setTimeout(240_000);

const { plan, doc } = loopbackEnsemblePlan('gate-test', '127.0.2');

/** The gate script of a member, as the program renders it, with a shorter timeout for the failure cases. */
function runGate(host: string, phase: 'create' | 'update', timeoutSeconds = 60): Promise<ScriptRun> {
  const c = rollOrder(plan.containers, 'zookeeper').find((x) => x.host === host);
  if (c === undefined) throw new Error(`no zookeeper on ${host}`);
  const script = renderGateScript(gateFor(c, { domain: plan.domain, authEnabled: false, timeoutSeconds }));
  return runBashScript(script, [phase], { ...process.env, STARS_GATE_INTERVAL: '1' });
}

describeIfInstalled('the ZooKeeper health gate against a real ensemble', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'stars-gate-'));
  let members: LocalMember[] = [];
  const clients: ChildProcess[] = [];

  const start = startMember;
  const stop = (m: LocalMember): Promise<void> => stopMember(m);
  const serving = async (): Promise<number> =>
    (await Promise.all(members.map(async (m) => modeOf(await fourLetterWord(m.address, 'srvr'))))).filter(
      (x) => x === 'leader' || x === 'follower',
    ).length;

  beforeAll(() => {
    members = writeLocalEnsemble(doc, work, ['m1', 'm2', 'm3']);
  });

  afterAll(async () => {
    for (const m of members) if (m.proc !== undefined && m.proc.exitCode === null) m.proc.kill('SIGKILL');
    for (const c of clients) if (c.exitCode === null) c.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    rmSync(work, { recursive: true, force: true });
  });

  test("on first creation the gate passes as soon as the member's process answers, before the others exist", async () => {
    start(members[0]);
    const r = await runGate('m1', 'create');
    expect({ code: r.code, out: r.stdout }).toEqual({
      code: 0,
      out: 'stars gate [zookeeper/m1] healthy (create): ruok: imok\n',
    });
  });

  test('healthy: once all three run, each member gate sees it serving as leader or follower', async () => {
    start(members[1]);
    start(members[2]);
    for (const m of members) {
      const r = await runGate(m.host, 'update');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        new RegExp(`^stars gate \\[zookeeper/${m.host}\\] healthy \\(update\\): Mode: (leader|follower)\\n$`),
      );
    }
  });

  test('a stopped member: its gate fails after the timeout, naming the member and what it saw', async () => {
    await stop(members[2]);
    const r = await runGate('m3', 'update', 3);
    expect({ code: r.code, err: r.stderr }).toEqual({
      code: 1,
      err: 'stars gate [zookeeper/m3] ERROR: not healthy within 3 s (update); last saw: no answer on 127.0.2.3:2181\n',
    });
    expect((await runGate('m1', 'update', 30)).code).toBe(0);
  });

  test('a lost quorum: with two members down the last one is not serving, and its gate says so', async () => {
    await stop(members[1]);
    const r = await until('the last member to stop serving', 30_000, async () => {
      const g = await runGate('m1', 'update', 2);
      return g.stderr.includes('not currently serving') ? g : undefined;
    });
    expect(r.stderr).toBe(
      'stars gate [zookeeper/m1] ERROR: not healthy within 2 s (update); last saw: srvr: This ZooKeeper instance is not currently serving requests\n',
    );
    start(members[1]);
    start(members[2]);
    await until('the ensemble serving again', 60_000, async () =>
      (await serving()) === 3 ? true : undefined,
    );
  });

  test('a rolling restart driven by the gate, leader last: a majority is always up, no election before the leader goes, the client keeps writing, no acknowledged write is lost', async () => {
    // The parent first, acknowledged, so every write below only depends on the roll.
    zkCli(members[0].address, 'create', '/stars-roll', 'x');
    const connect = members.map((m) => `${m.address}:2181`).join(',');
    const client = spawn(ZK_CLI, ['-server', connect], {
      env: { ...process.env, ZOO_LOG_DIR: os.tmpdir(), ZOO_LOG4J_PROP: 'WARN,CONSOLE' },
    });
    clients.push(client);
    let clientOut = '';
    const acknowledgedAt: number[] = [];
    // zkCli prints command results on stdout and errors on stderr; both are read in arrival order.
    const onOutput = (d: Buffer): void => {
      clientOut += d.toString('utf8');
      // Counted over the whole output, so a line split across two chunks is still seen once.
      const count = (clientOut.match(/^Created \/stars-roll\/w\d+$/gm) ?? []).length;
      while (acknowledgedAt.length < count) acknowledgedAt.push(Date.now());
    };
    client.stdout.on('data', onOutput);
    client.stderr.on('data', onOutput);
    let n = 0;
    const writer = setInterval(() => client.stdin.write(`create /stars-roll/w${++n} v\n`), 150);
    // A member is up when its process answers; the ensemble holds a quorum while a majority is up.
    const upCount = async (): Promise<number> =>
      (await Promise.all(members.map((m) => fourLetterWord(m.address, 'ruok')))).filter((a) => a === 'imok')
        .length;
    const leaderNow = async (): Promise<string | undefined> => (await leaderOf(members))?.host;
    // The order the program takes: host-name order, with the leader the look-up reads (the probe, as rendered) last.
    const probe = await runBashScript(renderLeaderProbe(plan), []);
    const { leaders } = parseLeaderReport(probe.stdout, plan.containers);
    const leaderBefore = await leaderNow();
    expect(leaders.zookeeper).toBe(leaderBefore);
    const order = rollSequence(plan.containers, 'zookeeper', leaders);
    expect(order).toEqual(leaderLast(['m1', 'm2', 'm3'], leaderBefore));
    let lowestUp = 3;
    let sampling = true;
    let followersRolling = true;
    const leadersWhileFollowersRoll = new Set<string | undefined>();
    const sampler = (async () => {
      while (sampling) {
        lowestUp = Math.min(lowestUp, await upCount());
        if (followersRolling) leadersWhileFollowersRoll.add(await leaderNow());
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const gates: string[] = [];
    let rolledAt = 0;
    try {
      for (const host of order) {
        const m = members.find((x) => x.host === host);
        if (m === undefined) throw new Error(host);
        followersRolling = host !== order.at(-1);
        await stop(m);
        start(m);
        const g = await runGate(host, 'update', 120);
        expect(g.code).toBe(0);
        gates.push(g.stdout.trim());
      }
      rolledAt = Date.now();
      await until('writes acknowledged after the roll', 60_000, async () =>
        acknowledgedAt.some((t) => t > rolledAt) ? true : undefined,
      );
    } finally {
      clearInterval(writer);
      sampling = false;
      await sampler;
    }
    expect(lowestUp).toBeGreaterThanOrEqual(2);
    // The leader went last, so the roll cost one election, at its end.
    expect([...leadersWhileFollowersRoll]).toEqual([leaderBefore]);
    expect(gates.map((g) => g.replace(/Mode: \w+$/, 'Mode: …'))).toEqual(
      order.map((h) => `stars gate [zookeeper/${h}] healthy (update): Mode: …`),
    );
    // Restarting the leader costs that one election; the client waits it out (reconnecting takes a few seconds on a
    // loaded 2-core CI machine) and goes on writing.
    const gaps = acknowledgedAt.slice(1).map((t, i) => t - acknowledgedAt[i]);
    expect(Math.max(...gaps)).toBeLessThan(30_000);
    const acknowledged = [...clientOut.matchAll(/^Created \/stars-roll\/(w\d+)$/gm)].map((x) => x[1]);
    const before = clientOut.length;
    client.stdin.write('ls /stars-roll\nquit\n');
    await new Promise((r) => client.once('close', r));
    const listing = /\[(w[^\]]*)\]/.exec(clientOut.slice(before))?.[1] ?? '';
    const listed = new Set(listing.split(', '));
    expect(acknowledged.length).toBeGreaterThan(10);
    expect(acknowledged.filter((w) => !listed.has(w))).toEqual([]);
  });
});
