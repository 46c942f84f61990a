import { parseClusterSpec } from '../../components/model/parse-cluster-spec';
import type { ClusterSpec } from '../../components/model/types';

/** The site image lightning needs (no published Lightning image is on record). */
export const LIGHTNING_IMAGE = 'registry.example.org/lightning:1.3.0';

/** A small on-prem cluster for the apps tests: one master, agents as given, apps and settings as given. */
export function appsSpec(
  options: {
    readonly agents?: readonly {
      readonly name: string;
      readonly address: string;
      readonly cpus?: number;
      readonly memMb?: number;
    }[];
    readonly apps?: readonly string[];
    readonly appSettings?: Readonly<Record<string, unknown>>;
    readonly authEnabled?: boolean;
  } = {},
): ClusterSpec {
  const agents = options.agents ?? [{ name: 'a1', address: '10.0.2.1', cpus: 16, memMb: 65536 }];
  const hosts = [
    { name: 'm1', address: '10.0.1.1', roles: ['master'] },
    ...agents.map((a) => ({
      name: a.name,
      address: a.address,
      roles: ['agent'],
      ...(a.cpus !== undefined
        ? { resources: { cpus: a.cpus, memMb: a.memMb ?? 65536, diskMb: 100000 } }
        : {}),
    })),
  ];
  return parseClusterSpec(
    {
      environment: options.authEnabled === false ? 'dev' : 'staging',
      mode: 'onprem',
      adminCidrs: JSON.stringify(['192.0.2.0/24']),
      authEnabled: String(options.authEnabled ?? true),
      hosts: JSON.stringify(hosts),
      apps: JSON.stringify(
        options.apps ?? ['spark', 'zeppelin', 'livy', 'blazegraph', 'lightning', 'jupyter'],
      ),
      appSettings: JSON.stringify({ lightning: { image: LIGHTNING_IMAGE }, ...options.appSettings }),
    },
    { stack: 'test' },
  );
}
