import { stableJson } from '../plan/documents';
import { PORTS, mastersOf, mesosMasterUrl } from '../plan/topology';
import type { ClusterSpec, HostSpec } from '../model/types';
import { MESOS_DNS_PRINCIPAL, secretPlaceholder } from './render-secrets';

export const MESOS_DNS_CONFIG_PATH = '/config.json';

export const MESOS_DNS_SETTINGS = {
  refreshSeconds: 30,
  /** At least refreshSeconds (docs), short enough that moved tasks are found quickly. */
  ttl: 60,
  stateTimeoutSeconds: 300,
  zkDetectionTimeout: 30,
  timeout: 5,
} as const;

/**
 * Mesos-DNS config for one master. It listens on the master's own address, not 0.0.0.0: port 53 on 0.0.0.0
 * collides with systemd-resolved's stub listener (127.0.0.53:53) under host networking.
 * IPSources is ["host"]: tasks run on Docker bridge or host networks, and bridge container IPs (what the
 * `netinfo`/`mesos` sources report) are not routable between hosts, while agent address + host port always is.
 * Only keys of the 0.6.0 Config struct (records/config.go): it ignores unknown keys silently, so `ns`,
 * `SetTruncateBit` and `srvRecordDefaultWeight` (0.7.0 and later) would only pretend to configure it.
 */
export function renderMesosDnsConfig(spec: ClusterSpec, self: HostSpec): string {
  const s = MESOS_DNS_SETTINGS;
  return stableJson({
    zk: mesosMasterUrl(spec),
    masters: mastersOf(spec).map((m) => `${m.address}:${PORTS.mesosMaster}`),
    zkDetectionTimeout: s.zkDetectionTimeout,
    refreshSeconds: s.refreshSeconds,
    stateTimeoutSeconds: s.stateTimeoutSeconds,
    ttl: s.ttl,
    domain: spec.domain,
    port: PORTS.mesosDnsDns,
    resolvers: [...spec.dnsResolvers],
    timeout: s.timeout,
    listener: self.address,
    httpListener: self.address,
    SOAMname: `ns1.${spec.domain}`,
    SOARname: `root.ns1.${spec.domain}`,
    SOARefresh: 60,
    SOARetry: 600,
    SOAExpire: 86400,
    SOAMinttl: 60,
    dnson: true,
    httpon: true,
    httpport: PORTS.mesosDnsHttp,
    externalon: true,
    recurseon: true,
    IPSources: ['host'],
    EnforceRFC952: false,
    EnumerationOn: true,
    // With auth on the master's /state needs a login (it carries task environments).
    ...(spec.authEnabled
      ? {
          MesosAuthentication: 'basic',
          MesosCredentials: {
            Principal: MESOS_DNS_PRINCIPAL.principal,
            Secret: secretPlaceholder(MESOS_DNS_PRINCIPAL.secret),
          },
        }
      : {}),
  });
}

/** Mesos-DNS servers in the order resolvers should try them: masters sorted by name. */
export function mesosDnsServers(spec: ClusterSpec): string[] {
  return mastersOf(spec).map((m) => m.address);
}
