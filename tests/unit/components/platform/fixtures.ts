import { parseClusterSpec } from '../../../../components/model/parse-cluster-spec';
import type { ClusterSpec } from '../../../../components/model/types';

/** A validated onprem spec with `masters` masters at 10.0.0.1… and two agents, one with resources/attributes. */
export function specWith(
  masters: number,
  extra: Readonly<Record<string, unknown>> = {},
  address: (i: number) => string = (i) => `10.0.0.${i}`,
): ClusterSpec {
  const hosts: Record<string, unknown>[] = [];
  for (let i = 1; i <= masters; i++) hosts.push({ name: `m${i}`, address: address(i), roles: ['master'] });
  hosts.push({
    name: 'a1',
    address: '10.0.1.1',
    roles: ['agent'],
    attributes: { zone: 'z1', rack: 'r1' },
    resources: { cpus: 16, memMb: 65536, diskMb: 400000 },
  });
  hosts.push({ name: 'a2', address: '10.0.1.2', roles: ['agent'] });
  // The parser takes auth off only in mode local (one host); the renderers' auth-off branches are checked on
  // several hosts by setting the field on the parsed spec.
  const { authEnabled, ...rest } = extra;
  const spec = parseClusterSpec(
    {
      environment: 'dev',
      mode: 'onprem',
      adminCidrs: ['192.0.2.0/24'],
      domain: 'mesos',
      dnsResolvers: ['10.9.0.2', '10.9.0.3'],
      hosts,
      ...rest,
    },
    { stack: 'test', secretKeys: [] },
  );
  return authEnabled === false ? { ...spec, authEnabled: false } : spec;
}
