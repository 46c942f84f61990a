import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { existsSync, mkdirSync, openSync, writeFileSync } from 'fs';
import * as path from 'path';
import { planPlatform, type PlatformPlan } from '../../components/platform/plan-platform';
import { parseZooCfg } from '../../components/platform/render-zookeeper';
import { parseClusterSpec } from '../../components/model/parse-cluster-spec';
import * as net from 'net';
import * as os from 'os';
import { reportSkip } from './skips';

/** Talking to real ZooKeeper servers in tests: four-letter words over TCP, Debian's zkCli, bounded waits. */

export const ZK_CLI = '/usr/share/zookeeper/bin/zkCli.sh';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sends a four-letter word and returns the whole answer ('' when nothing answers within 3 s). */
export function fourLetterWord(address: string, word: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port: 2181 });
    let data = '';
    socket.setTimeout(3000);
    socket.on('connect', () => socket.write(word));
    socket.on('data', (d) => (data += d.toString('utf8')));
    socket.on('end', () => resolve(data));
    socket.on('timeout', () => socket.destroy());
    socket.on('error', () => resolve(''));
    socket.on('close', () => resolve(data));
  });
}

export function modeOf(srvr: string): string | undefined {
  return /^Mode: (\w+)/m.exec(srvr)?.[1];
}

export async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(500);
  }
}

export function zkCli(address: string, ...args: string[]): string {
  const r = spawnSync(ZK_CLI, ['-server', `${address}:2181`, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    // zkEnv.sh logs to /var/log/zookeeper by default, which tests may not write.
    env: { ...process.env, ZOO_LOG_DIR: os.tmpdir(), ZOO_LOG4J_PROP: 'WARN,CONSOLE' },
  });
  if (r.status !== 0)
    throw new Error(`zkCli ${args.join(' ')} failed (${r.status}): ${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/**
 * The platform plan of a 3-master onprem cluster on <net>.1-3 (an agent on .4): a ZooKeeper ensemble on loopback.
 * Each test file takes a /24 of 127.0.0.0/8 of its own, so files running at once never share a port.
 */
export function loopbackEnsemblePlan(
  stack: string,
  net = '127.0.0',
): { plan: PlatformPlan; doc: (p: string) => string } {
  // The parser refuses loopback host addresses outside mode local (they name no host of a real cluster), so the
  // spec is parsed with routable addresses and the hosts are then moved onto this machine's loopback.
  const parsed = parseClusterSpec(
    {
      environment: 'dev',
      mode: 'onprem',
      hostFirewall: false,
      hosts: [
        { name: 'm1', address: '10.0.0.1', roles: ['master'] },
        { name: 'm2', address: '10.0.0.2', roles: ['master'] },
        { name: 'm3', address: '10.0.0.3', roles: ['master'] },
        { name: 'a1', address: '10.0.0.4', roles: ['agent'] },
      ],
    },
    { stack, secretKeys: [] },
  );
  const spec = {
    ...parsed,
    hosts: parsed.hosts.map((h) => ({ ...h, address: `${net}.${h.address.split('.')[3]}` })),
  };
  const plan = planPlatform(spec);
  const doc = (p: string): string => {
    const d = plan.documents.find((x) => x.path === p);
    if (d === undefined) throw new Error(`the plan has no document ${p}`);
    return d.content;
  };
  return { plan, doc };
}

/** Debian's zookeeper package: the server jar, and the classpath that sends its logs to slf4j-simple. */
export const ZK_JAR = '/usr/share/java/zookeeper.jar';
const ZK_CLASSPATH = [ZK_JAR, '/usr/share/java/slf4j-simple.jar'].join(':');

export const zookeeperInstalled = (): boolean => existsSync(ZK_JAR) && existsSync(ZK_CLI);

/** `describe` where Debian's zookeeper is installed; elsewhere `describe.skip`, the skip reported for `file`. */
export function describeWithZookeeper(file: string): jest.Describe {
  if (zookeeperInstalled()) return describe;
  reportSkip(`${file}: needs Debian zookeeper (.ci/run installs it)`);
  return describe.skip;
}

export interface LocalMember {
  readonly id: number;
  readonly host: string;
  readonly address: string;
  readonly cfgPath: string;
  readonly logPath: string;
  /** The zoo.cfg the plan rendered, and the one written here (its data directories moved under `work`). */
  readonly rendered: string;
  readonly cfg: string;
  proc?: ChildProcess;
}

/**
 * Writes each master's rendered zoo.cfg and myid under `work`, changing only the two data directory lines, so a
 * real server runs from exactly what the program ships.
 */
export function writeLocalEnsemble(
  doc: (path: string) => string,
  work: string,
  hosts: readonly string[],
): LocalMember[] {
  return hosts.map((host) => {
    const rendered = doc(`hosts/${host}/zookeeper/zoo.cfg`);
    const myid = doc(`hosts/${host}/zookeeper/myid`);
    const dir = path.join(work, host);
    const dataDir = path.join(dir, 'data');
    const dataLogDir = path.join(dir, 'datalog');
    mkdirSync(dataDir, { recursive: true });
    mkdirSync(dataLogDir, { recursive: true });
    const cfg = rendered
      .replace(/^dataDir=.*$/m, `dataDir=${dataDir}`)
      .replace(/^dataLogDir=.*$/m, `dataLogDir=${dataLogDir}`);
    const cfgPath = path.join(dir, 'zoo.cfg');
    writeFileSync(cfgPath, cfg);
    writeFileSync(path.join(dataDir, 'myid'), myid);
    const address = parseZooCfg(cfg).settings.clientPortAddress;
    return {
      id: Number(myid.trim()),
      host,
      address,
      cfgPath,
      logPath: path.join(work, `${host}.log`),
      rendered,
      cfg,
    };
  });
}

/** Starts the member's server (Debian's QuorumPeerMain), its output appended to its log. */
export function startMember(m: LocalMember): void {
  const log = openSync(m.logPath, 'a');
  m.proc = spawn(
    'java',
    ['-Xmx128m', '-cp', ZK_CLASSPATH, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', m.cfgPath],
    {
      stdio: ['ignore', log, log],
    },
  );
}

/** Stops the member's server with `signal` and waits until it has exited; a stopped member is left alone. */
export async function stopMember(m: LocalMember, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const proc = m.proc;
  if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill(signal);
  await exited;
}

/** The member whose `srvr` says `Mode: leader`, when one does. */
export async function leaderOf(members: readonly LocalMember[]): Promise<LocalMember | undefined> {
  const modes = await Promise.all(members.map(async (m) => modeOf(await fourLetterWord(m.address, 'srvr'))));
  return members[modes.indexOf('leader')];
}
