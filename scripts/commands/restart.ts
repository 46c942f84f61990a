import { HttpClient } from '../../components/apps/api/http';
import { absoluteId, MarathonClient } from '../../components/apps/api/marathon-client';
import {
  COMMON_USAGE,
  EXIT_FAILURE,
  EXIT_OK,
  OpsError,
  UsageError,
  boolFlag,
  intFlag,
  oneOf,
  runCommand,
  stringFlag,
  type Command,
  type CommandIo,
  type ParsedArgs,
  optionsHelp,
  type FlagSpec,
} from '../lib/cli-args';
import { probe, waitHealthy, type ProbeAuth } from '../lib/health';
import { PLATFORM_SERVICES, restartOrder, type PlatformService } from '../lib/restart-order';
import { SSH_FLAGS, SSH_USAGE, runOnHost, sshSettingsFrom } from '../lib/ssh';
import {
  ROLE_SELECTORS,
  hostsWithRole,
  loadStackOutputs,
  printable,
  requireUrl,
  type RoleSelector,
  type StackHost,
  type StackOutputs,
} from '../lib/stack-outputs';

const SERVICE_NAMES: readonly string[] = PLATFORM_SERVICES.map((s) => s.service);

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  role: { type: 'string', value: 'role', help: 'master, agent or all' },
  service: {
    type: 'string',
    value: 'names',
    help: `only these services (comma separated): ${SERVICE_NAMES.join(', ')}`,
  },
  'health-timeout': { type: 'string', value: 'seconds', help: 'per host and service, default 300' },
  'health-interval': { type: 'string', value: 'seconds', help: 'between probes, default 5' },
  'health-port': {
    type: 'string',
    value: 'svc>=<port>,…',
    help: 'probe services on other ports (e.g. through a tunnel): zookeeper=12181,marathon=18080',
  },
  app: { type: 'string', value: 'id', help: 'restart a Marathon app instead' },
  'deployment-timeout': { type: 'string', value: 's', help: 'for --app, default 600' },
};

const USAGE = `usage: npm run stars -- restart (--stack <name> | --outputs-file <json>) --role <master|agent|all>
                              [--service <name,…>] [--health-timeout S] [ssh options]
       npm run stars -- restart (--stack <name> | --outputs-file <json>) --app <marathon-app-id>

Rolling restart of the platform containers: service by service in dependency order
(${restartOrder(PLATFORM_SERVICES, 'all')
  .map((s) => s.service)
  .join(' -> ')}),
one host at a time (docker restart <container> over SSH), waiting for the service on that host to be healthy
before moving on. It stops at the first failure so a quorum is never taken down twice.
With --app it asks Marathon for a rolling restart of one app (POST /v2/apps/{id}/restart) and waits for
the deployment to finish.

${COMMON_USAGE}
${optionsHelp(FLAGS)}
${SSH_USAGE}

examples:
  npm run stars -- restart --stack production --role master --service zookeeper
  npm run stars -- restart --stack staging --app /zeppelin`;

export interface RestartStep {
  readonly service: PlatformService;
  readonly host: StackHost;
}

/** Every (service, host) step in the order they run: services in dependency order, hosts by name. */
export function planRestart(
  outputs: StackOutputs,
  role: RoleSelector,
  only: readonly string[] | undefined,
): RestartStep[] {
  const services = restartOrder(PLATFORM_SERVICES, role).filter(
    (s) => only === undefined || only.includes(s.service),
  );
  return services.flatMap((service) =>
    hostsWithRole(outputs, service.role).map((host) => ({ service, host })),
  );
}

export function parseServices(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((s) => s.trim());
  for (const n of names)
    if (!SERVICE_NAMES.includes(n))
      throw new UsageError(
        `unknown service ${JSON.stringify(n)} in --service; known: ${SERVICE_NAMES.join(', ')}`,
      );
  return names;
}

export function parseHealthPorts(value: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (value === undefined) return out;
  for (const part of value.split(',')) {
    const m = /^([a-z-]+)=(\d{1,5})$/.exec(part.trim());
    if (m === null || !SERVICE_NAMES.includes(m[1]) || Number(m[2]) < 1 || Number(m[2]) > 65535)
      throw new UsageError(
        `--health-port wants <service>=<port>[,…] with a known service, got ${JSON.stringify(part)}`,
      );
    out[m[1]] = Number(m[2]);
  }
  return out;
}

function authFor(service: string, outputs: StackOutputs): ProbeAuth | undefined {
  if (service === 'marathon') return outputs.marathonCredentials;
  if (service === 'chronos') return outputs.chronosCredentials;
  return undefined;
}

async function restartServices(args: ParsedArgs, io: CommandIo): Promise<number> {
  const role = oneOf<RoleSelector>(args, 'role', ROLE_SELECTORS);
  if (role === undefined) throw new UsageError('--role (master, agent or all) or --app <id> is required');
  const only = parseServices(stringFlag(args, 'service'));
  const ports = parseHealthPorts(stringFlag(args, 'health-port'));
  const timeoutMs = intFlag(args, 'health-timeout', 300, 1, 86_400) * 1000;
  const intervalMs = intFlag(args, 'health-interval', 5, 1, 3600) * 1000;
  const { stack, outputs } = await loadStackOutputs(args);
  const steps = planRestart(outputs, role, only);
  if (steps.length === 0) throw new OpsError(`stack ${stack} has nothing to restart for --role ${role}`);
  const settings = sshSettingsFrom(args, outputs);
  const label = (s: RestartStep): string => `${s.service.service} on ${s.host.name}`;
  if (boolFlag(args, 'dry-run')) {
    io.out(`dry run: would restart, one at a time, waiting for health after each:`);
    steps.forEach((s, i) => io.out(`  ${i + 1}. ${label(s)}: docker restart ${s.service.container}`));
    return EXIT_OK;
  }
  for (const [i, step] of steps.entries()) {
    const { service, host } = step;
    io.out(`[${i + 1}/${steps.length}] restarting ${label(step)} (docker restart ${service.container})`);
    const r = await runOnHost(host, `docker restart ${service.container}`, settings, io);
    const remaining = steps.slice(i + 1).map(label);
    const left = remaining.length > 0 ? `; not restarted: ${remaining.join(', ')}` : '';
    if (r.code !== 0) {
      io.err(`error: docker restart ${service.container} failed on ${host.name} (exit ${r.code})${left}`);
      return EXIT_FAILURE;
    }
    // Marathon and Chronos answer operators only through the edge (with its login) when it is on.
    const edgePort = service.health.kind === 'http' ? service.health.edgePort : undefined;
    const viaEdge =
      outputs.edgeCaCertificate !== undefined && edgePort !== undefined && !(service.service in ports);
    const ca = viaEdge ? outputs.edgeCaCertificate : undefined;
    const check = {
      ...service.health,
      port: viaEdge && edgePort !== undefined ? edgePort : (ports[service.service] ?? service.health.port),
    };
    const address = host.publicAddress ?? host.address;
    const target =
      check.kind === 'zookeeper'
        ? `srvr ${address}:${check.port}`
        : `${ca === undefined ? 'http' : 'https'}://${address}:${check.port}${check.path}`;
    io.out(`[${i + 1}/${steps.length}] waiting for ${label(step)} to be healthy (${target})`);
    const result = await waitHealthy(() => probe(address, check, authFor(service.service, outputs), ca), {
      timeoutMs,
      intervalMs,
      onWait: (last, elapsed) =>
        io.out(`  … ${label(step)} not healthy yet after ${Math.round(elapsed / 1000)}s: ${last.detail}`),
    });
    if (!result.ok) {
      io.err(`error: ${label(step)} not healthy after ${timeoutMs / 1000}s (${result.detail})${left}`);
      return EXIT_FAILURE;
    }
    io.out(`[${i + 1}/${steps.length}] ${label(step)} healthy (${result.detail})`);
  }
  io.out(`restarted ${steps.length} service instance(s) on stack ${stack}`);
  return EXIT_OK;
}

/**
 * A Marathon app id as a path of plain segments (AppDefinition.json `pathType` without its relative `.`/`..`
 * forms): it is put into the request path, so `..`, `?`, `#`, `%` or an empty segment would address another
 * resource.
 */
const APP_SEGMENT = '[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?';
export const RESTART_APP_ID = new RegExp(`^/?${APP_SEGMENT}(?:/${APP_SEGMENT})*$`);

async function restartApp(args: ParsedArgs, io: CommandIo, appId: string): Promise<number> {
  if (stringFlag(args, 'role') !== undefined || stringFlag(args, 'service') !== undefined)
    throw new UsageError('--app cannot be combined with --role or --service');
  if (!RESTART_APP_ID.test(appId))
    throw new UsageError(
      `--app ${printable(appId)} is not a Marathon app id: lowercase letters, digits, "-" and "." in segments separated by "/" (e.g. /zeppelin)`,
    );
  const timeoutMs = intFlag(args, 'deployment-timeout', 600, 1, 86_400) * 1000;
  const id = absoluteId(appId);
  const { outputs } = await loadStackOutputs(args);
  const url = requireUrl(outputs, 'marathonUrl');
  if (boolFlag(args, 'dry-run')) {
    io.out(`dry run: would POST ${url}/v2/apps${id}/restart and wait for the deployment`);
    return EXIT_OK;
  }
  const http = new HttpClient({
    baseUrls: [url],
    ...(outputs.marathonCredentials ?? {}),
    // The edge's URL is signed by the stack's own CA.
    ...(outputs.edgeCaCertificate === undefined ? {} : { ca: outputs.edgeCaCertificate }),
    retries: 2,
  });
  const marathon = new MarathonClient(http);
  const res = await http.request('POST', `/v2/apps${id}/restart`);
  if (res.status === 404) throw new OpsError(`Marathon has no app ${id}`);
  if (res.status === 409)
    throw new OpsError(`app ${id} is locked by a running deployment; wait for it or cancel it, then retry`);
  if (res.status !== 200 && res.status !== 201)
    throw new OpsError(`POST ${res.url} failed with ${res.status}: ${res.text.trim()}`);
  const body = (res.json ?? {}) as { deploymentId?: string };
  const deploymentId = res.headers['marathon-deployment-id'] ?? body.deploymentId;
  if (deploymentId === undefined) throw new OpsError(`POST ${res.url} answered without a deployment id`);
  io.out(`restarting ${id}: deployment ${deploymentId}; waiting for it to finish`);
  try {
    await marathon.waitForDeployment(deploymentId, { timeoutMs, pollMs: 1000 });
  } catch (err) {
    throw new OpsError((err as Error).message);
  }
  io.out(`restarted ${id}`);
  return EXIT_OK;
}

export const restartCmd: Command = {
  name: 'restart',
  summary: 'rolling restart of platform services (or of one Marathon app with --app)',
  usage: USAGE,
  flags: { ...FLAGS, ...SSH_FLAGS },
  run: (argv, io) =>
    runCommand(USAGE, argv, io, { ...FLAGS, ...SSH_FLAGS }, async (args) => {
      if (args.positionals.length > 0 || args.rest.length > 0)
        throw new UsageError(`unexpected argument ${JSON.stringify([...args.positionals, ...args.rest][0])}`);
      const app = stringFlag(args, 'app');
      try {
        return app !== undefined ? await restartApp(args, io, app) : await restartServices(args, io);
      } catch (err) {
        if ((err as Error).name === 'HttpError') throw new OpsError((err as Error).message);
        throw err;
      }
    }),
};
