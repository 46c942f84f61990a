import { stableJson } from '../plan/documents';
import { PORTS } from '../plan/topology';
import type { HostSpec } from '../model/types';
import { HTTP_USER, MESOS_DNS_PRINCIPAL, PRINCIPALS, secretPlaceholder } from './render-secrets';

/** Mesos master and agent command lines and credential files. */

export const MESOS_DIRS = {
  masterWork: '/var/lib/mesos/master',
  masterLog: '/var/log/mesos/master',
  /** The agent's work dir must have the same path inside and outside: Docker executors bind-mount sandboxes. */
  agentWork: '/var/lib/mesos/agent',
  agentLog: '/var/log/mesos/agent',
  credentials: '/etc/mesos/credentials.json',
  acls: '/etc/mesos/acls.json',
  credential: '/etc/mesos/credential.json',
  httpCredentials: '/etc/mesos/http-credentials.json',
  /** The ZooKeeper URL with the masters' digest login: read from a file, so no log, `ps` or /flags shows it. */
  zk: '/etc/mesos/zk',
} as const;

export interface MesosMasterArgsInput {
  readonly host: HostSpec;
  readonly zkUrl: string;
  readonly quorum: number;
  readonly clusterName: string;
  readonly authEnabled: boolean;
}

export function mesosMasterArgs(input: MesosMasterArgsInput): string[] {
  const { host } = input;
  return [
    // With auth the URL carries the ZooKeeper login: Mesos reads it from the file (SecurePathOrValue).
    `--zk=${input.authEnabled ? `file://${MESOS_DIRS.zk}` : input.zkUrl}`,
    `--quorum=${input.quorum}`,
    // The image's CMD is --registry=in_memory, which loses the registry on restart.
    '--registry=replicated_log',
    `--cluster=${input.clusterName}`,
    `--ip=${host.address}`,
    `--advertise_ip=${host.address}`,
    `--hostname=${host.address}`,
    `--port=${PORTS.mesosMaster}`,
    `--work_dir=${MESOS_DIRS.masterWork}`,
    `--log_dir=${MESOS_DIRS.masterLog}`,
    ...(input.authEnabled
      ? [
          '--authenticate_frameworks',
          '--authenticate_agents',
          // One credential list serves SASL (frameworks, agents) and HTTP basic: the 1.x master has no
          // --http_credentials (an agent flag), and stout refuses unknown flags, so it would exit at start.
          `--credentials=${MESOS_DIRS.credentials}`,
          // Every HTTP endpoint but /health and /redirect needs a login: the operator endpoints that change
          // the cluster, those that read it (/state carries task environments), and the v1 scheduler API,
          // which --authenticate_frameworks (driver frameworks only) leaves open. The master exits if HTTP
          // framework authentication has no authenticator; basic checks the same credential list.
          '--authenticate_http_readwrite',
          '--authenticate_http_readonly',
          '--authenticate_http_frameworks',
          '--http_framework_authenticators=basic',
          `--acls=${MESOS_DIRS.acls}`,
        ]
      : []),
  ];
}

/**
 * The master's credential list, JSON (1.11 drops the text form): every principal that may register, and the
 * HTTP logins (operator, Mesos-DNS), which the master checks against the same list.
 */
export function renderMesosCredentials(): string {
  const credentials = [
    ...Object.values(PRINCIPALS).map((p) => ({
      principal: p.principal,
      secret: secretPlaceholder(p.secret),
    })),
    { principal: HTTP_USER, secret: secretPlaceholder('mesos-http') },
    { principal: MESOS_DNS_PRINCIPAL.principal, secret: secretPlaceholder(MESOS_DNS_PRINCIPAL.secret) },
  ].sort((a, b) => (a.principal < b.principal ? -1 : 1));
  return stableJson({ credentials });
}

/** The frameworks the platform starts: the only principals that may register and launch tasks. */
const FRAMEWORK_PRINCIPALS = [PRINCIPALS.chronos, PRINCIPALS.frameworks, PRINCIPALS.marathon]
  .map((p) => p.principal)
  .sort();

/**
 * What only the operator login may do, by ACLs field and the name of its object entity (acls.proto at 1.10.0;
 * tests/contract/upstream/mesos). The machine, agent, flag, log and level objects may only be ANY or NONE.
 */
const OPERATOR_ACTIONS: Readonly<Record<string, string>> = {
  access_mesos_logs: 'logs',
  create_volumes: 'roles',
  deactivate_agents: 'agents',
  destroy_volumes: 'creator_principals',
  drain_agents: 'agents',
  get_endpoints: 'paths',
  get_maintenance_schedules: 'machines',
  get_maintenance_statuses: 'machines',
  get_quotas: 'roles',
  mark_agents_gone: 'agents',
  reactivate_agents: 'agents',
  reserve_resources: 'roles',
  set_log_level: 'level',
  start_maintenances: 'machines',
  stop_maintenances: 'machines',
  teardown_frameworks: 'framework_principals',
  unreserve_resources: 'reserver_principals',
  update_maintenance_schedules: 'machines',
  update_quotas: 'roles',
  update_weights: 'roles',
  view_executors: 'users',
  view_flags: 'flags',
  view_roles: 'roles',
};

/**
 * Master ACLs (acls.proto), least privilege with nothing permitted by default (`permissive: false`): the master
 * checks HTTP logins against the same list as framework and agent authentication, so without this any principal,
 * the framework secret readable inside Spark, Livy and Zeppelin containers among them, was an operator login
 * (teardown, maintenance, /state with every executor's environment).
 * - the platform's frameworks register and run tasks (as any user: agents run with switch_user off);
 * - the agents register;
 * - Mesos-DNS and the operator see frameworks and tasks (/master/state, the records Mesos-DNS builds); the
 *   operator alone sees executors (their environment), roles and flags, and alone changes anything.
 */
export function renderMesosAcls(): string {
  const any = { type: 'ANY' };
  const to = (principals: readonly string[], object: string) => [
    { principals: { values: [...principals].sort() }, [object]: any },
  ];
  const acls: Record<string, unknown> = {
    permissive: false,
    register_frameworks: to(FRAMEWORK_PRINCIPALS, 'roles'),
    run_tasks: to(FRAMEWORK_PRINCIPALS, 'users'),
    register_agents: to([PRINCIPALS.agent.principal], 'agents'),
    view_frameworks: to([HTTP_USER, MESOS_DNS_PRINCIPAL.principal], 'users'),
    view_tasks: to([HTTP_USER, MESOS_DNS_PRINCIPAL.principal], 'users'),
  };
  for (const [action, object] of Object.entries(OPERATOR_ACTIONS)) acls[action] = to([HTTP_USER], object);
  return stableJson(acls);
}

/** The agent's HTTP logins (agent flag --http_credentials): the operator, for its API and sandboxes. */
export function renderAgentHttpCredentials(): string {
  return stableJson({ credentials: [{ principal: HTTP_USER, secret: secretPlaceholder('mesos-http') }] });
}

export function renderAgentCredential(): string {
  return stableJson({
    principal: PRINCIPALS.agent.principal,
    secret: secretPlaceholder(PRINCIPALS.agent.secret),
  });
}

export const AGENT_PORT_RANGE = '[31000-32000]';

/** `cpus:16;mem:65536;disk:400000;ports:[31000-32000]`, or undefined to let the agent detect resources. */
export function agentResources(host: HostSpec): string | undefined {
  const r = host.resources;
  if (r === undefined) return undefined;
  return `cpus:${r.cpus};mem:${r.memMb};disk:${r.diskMb};ports:${AGENT_PORT_RANGE}`;
}

/** `rack:r1;zone:a`, sorted by attribute name; undefined when the host has none. */
export function agentAttributes(host: HostSpec): string | undefined {
  const keys = Object.keys(host.attributes).sort();
  if (keys.length === 0) return undefined;
  for (const k of keys) {
    const v = host.attributes[k];
    if (/[;:]/.test(k) || /[;:]/.test(v)) {
      throw new Error(
        `hosts.${host.name}.attributes.${k}: ";" and ":" separate Mesos attributes; remove them`,
      );
    }
  }
  return keys.map((k) => `${k}:${host.attributes[k]}`).join(';');
}

/** The agents' Docker CLI: the guard in the Stars Mesos image, which runs the real one. */
export const DOCKER_GUARD = '/usr/local/lib/stars/stars-docker-guard';

export interface MesosAgentArgsInput {
  readonly host: HostSpec;
  readonly masterUrl: string;
  /**
   * Image for `--docker_mesos_image`: Docker executors run in containers of it, so they survive (and the agent
   * recovers them after) an agent restart. It must have no ENTRYPOINT: Mesos passes the executor path as the
   * container's command without overriding the entrypoint; the Stars Mesos image (images/mesos) has none.
   */
  readonly executorImage: string;
  readonly authEnabled: boolean;
}

export function mesosAgentArgs(input: MesosAgentArgsInput): string[] {
  const { host } = input;
  const resources = agentResources(host);
  const attributes = agentAttributes(host);
  return [
    `--master=${input.masterUrl}`,
    `--ip=${host.address}`,
    `--advertise_ip=${host.address}`,
    `--hostname=${host.address}`,
    `--port=${PORTS.mesosAgent}`,
    `--work_dir=${MESOS_DIRS.agentWork}`,
    `--log_dir=${MESOS_DIRS.agentLog}`,
    '--containerizers=docker,mesos',
    `--docker_mesos_image=${input.executorImage}`,
    // Every task container is started through this guard (images/mesos/stars-docker-guard): no privileged
    // container, host namespace, capability, device or unlisted host path, whatever a framework asks for.
    `--docker=${DOCKER_GUARD}`,
    // Image pulls happen inside executor registration; the 1-minute default fails large images.
    '--executor_registration_timeout=10mins',
    // No systemd inside the container; with support on, the agent refuses to start.
    '--no-systemd_enable_support',
    // Tasks are Docker containers, placed in cgroups and limited by Docker itself; the posix launcher keeps
    // the agent from building a freezer hierarchy of its own from inside its container (hosts run cgroup v1,
    // which Mesos 1.x needs: hosts/render-cgroups.ts).
    '--launcher=posix',
    // A new attribute or more resources on a host restarts the agent with its tasks; with the default (equal)
    // it would refuse to start until its checkpointed identity, and every task on it, were thrown away.
    '--reconfiguration_policy=additive',
    ...(resources === undefined ? [] : [`--resources=${resources}`]),
    ...(attributes === undefined ? [] : [`--attributes=${attributes}`]),
    ...(input.authEnabled
      ? [
          `--credential=${MESOS_DIRS.credential}`,
          // The agent API launches and kills containers and /files serves task sandboxes: login required.
          '--authenticate_http_readwrite',
          '--authenticate_http_readonly',
          `--http_credentials=${MESOS_DIRS.httpCredentials}`,
        ]
      : []),
  ];
}
