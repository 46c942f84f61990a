import { PORTS, type ZookeeperServer } from '../plan/topology';

/**
 * ZooKeeper ensemble configuration. One zoo.cfg per member: identical except `clientPortAddress`, which binds
 * the client port to the member's own address (so several members can share a machine in tests, and the port is
 * not offered on every interface of a multi-homed host).
 */

/**
 * Paths inside the official image (its entrypoint creates and chowns /data and /datalog, and generates no
 * config when /conf/zoo.cfg exists) and the host directories under /var bound onto them.
 */
export const ZOOKEEPER_DIRS = {
  data: '/data',
  dataLog: '/datalog',
  hostData: '/var/lib/zookeeper/data',
  hostDataLog: '/var/lib/zookeeper/datalog',
  config: '/conf/zoo.cfg',
  myid: '/data/myid',
} as const;

export const ZOOKEEPER_SETTINGS = {
  tickTime: 2000,
  initLimit: 10,
  syncLimit: 5,
  maxClientCnxns: 60,
  snapRetainCount: 5,
  purgeIntervalHours: 24,
  /** srvr/mntr/ruok for health checks and tests; conf/isro for diagnosing a member. */
  fourLetterWords: ['conf', 'isro', 'mntr', 'ruok', 'srvr'],
} as const;

export interface ZooCfgInput {
  readonly servers: readonly ZookeeperServer[];
  /** The member this file is for; its address becomes `clientPortAddress`. */
  readonly self: ZookeeperServer;
}

export function renderZooCfg(input: ZooCfgInput): string {
  const { servers, self } = input;
  if (servers.length === 0)
    throw new Error('zoo.cfg needs at least one ZooKeeper server (a host with the master role)');
  checkServers(servers);
  if (!servers.some((s) => s.id === self.id && s.address === self.address)) {
    throw new Error(`zoo.cfg for ${self.host}: server id ${self.id} is not in the ensemble`);
  }
  const s = ZOOKEEPER_SETTINGS;
  const lines = [
    `# ZooKeeper member ${self.host} (server.${self.id}); rendered by Stars, do not edit.`,
    `tickTime=${s.tickTime}`,
    `initLimit=${s.initLimit}`,
    `syncLimit=${s.syncLimit}`,
    `dataDir=${ZOOKEEPER_DIRS.data}`,
    `dataLogDir=${ZOOKEEPER_DIRS.dataLog}`,
    `clientPort=${PORTS.zookeeperClient}`,
    `clientPortAddress=${self.address}`,
    `maxClientCnxns=${s.maxClientCnxns}`,
    '# Keep the newest snapshots and purge older ones daily (the old system never purged).',
    `autopurge.snapRetainCount=${s.snapRetainCount}`,
    `autopurge.purgeInterval=${s.purgeIntervalHours}`,
    `4lw.commands.whitelist=${s.fourLetterWords.join(',')}`,
    '# The AdminServer listens on 8080, which Marathon owns under host networking.',
    'admin.enableServer=false',
    ...[...servers]
      .sort((a, b) => a.id - b.id)
      .map((m) => `server.${m.id}=${m.address}:${PORTS.zookeeperQuorum}:${PORTS.zookeeperElection}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** `dataDir/myid` holds only the server id. */
export function renderMyid(id: number): string {
  if (!Number.isInteger(id) || id < 1 || id > 255)
    throw new Error(`ZooKeeper server id ${id} is outside 1-255`);
  return `${id}\n`;
}

function checkServers(servers: readonly ZookeeperServer[]): void {
  const ids = new Set<number>();
  for (const s of servers) {
    renderMyid(s.id);
    if (ids.has(s.id)) throw new Error(`two ZooKeeper servers share id ${s.id}; zookeeperId must be unique`);
    ids.add(s.id);
  }
}

export interface ParsedZooCfg {
  readonly settings: Readonly<Record<string, string>>;
  readonly servers: readonly { id: number; address: string; quorumPort: number; electionPort: number }[];
}

/** Reads a zoo.cfg the way ZooKeeper does (key=value, `#` comments); `server.N` lines become `servers`. */
export function parseZooCfg(text: string): ParsedZooCfg {
  const settings: Record<string, string> = {};
  const servers: { id: number; address: string; quorumPort: number; electionPort: number }[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 1) throw new Error(`zoo.cfg line ${i + 1} is not key=value: ${line}`);
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    const server = /^server\.(\d+)$/.exec(key);
    if (server) {
      const m = /^([^:]+):(\d+):(\d+)$/.exec(value);
      if (!m) throw new Error(`zoo.cfg line ${i + 1}: ${key} must be address:quorumPort:electionPort`);
      servers.push({
        id: Number(server[1]),
        address: m[1],
        quorumPort: Number(m[2]),
        electionPort: Number(m[3]),
      });
    } else {
      if (key in settings) throw new Error(`zoo.cfg line ${i + 1}: ${key} is set twice`);
      settings[key] = value;
    }
  }
  return { settings, servers };
}
