export interface BenchChange {
  /** Agents after the first N (a11, a12, … for 10): added to a deployed cluster. */
  readonly addedAgents?: number;
  /** A new rack attribute on every agent: each agent's container changes, as an image change would change it. */
  readonly changeEveryAgent?: boolean;
  readonly maxAgentsDown?: number;
}

/** A generated on-premises stack: 3 masters and N agents, every app on, as the engine would hand it over. */
export function benchConfig(
  agents: number,
  change: BenchChange = {},
): {
  config: Record<string, string>;
  hosts: string[];
  masters: string[];
  agents: string[];
} {
  const masters = ['m1', 'm2', 'm3'];
  const hostList = [
    ...masters.map((name, i) => ({ name, address: `10.1.0.${i + 1}`, roles: ['master'] })),
    ...Array.from({ length: agents + (change.addedAgents ?? 0) }, (_, i) => ({
      name: `a${i + 1}`,
      address: `10.2.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      roles: ['agent'],
      attributes: { rack: `${change.changeEveryAgent === true ? 'rack' : 'r'}${(i % 8) + 1}` },
      resources: { cpus: 16, memMb: 65536, diskMb: 400000 },
    })),
  ];
  return {
    config: {
      'stars:environment': 'staging',
      'stars:mode': 'onprem',
      'stars:clusterName': 'bench',
      'stars:dnsResolvers': JSON.stringify(['10.0.0.2']),
      'stars:adminCidrs': JSON.stringify(['10.0.0.0/8']),
      'stars:hosts': JSON.stringify(hostList),
      'stars:apps': JSON.stringify(['spark', 'zeppelin', 'livy', 'blazegraph', 'lightning', 'jupyter']),
      // Lightning runs only from a site image: no published Lightning image is on record.
      'stars:appSettings': JSON.stringify({ lightning: { image: 'registry.example.org/lightning:1.3.0' } }),
      ...(change.maxAgentsDown === undefined ? {} : { 'stars:maxAgentsDown': String(change.maxAgentsDown) }),
    },
    hosts: hostList.map((h) => h.name),
    masters,
    agents: hostList.filter((h) => h.roles.includes('agent')).map((h) => h.name),
  };
}
