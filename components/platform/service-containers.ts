import { createHash } from 'crypto';
import { LocalCommand, RemoteCommand } from '../hosts/host-command';
import * as pulumi from '@pulumi/pulumi';
import type { Host } from '../hosts/host';
import { gateFor, rollOrder, ROLLING_SERVICES, type GatePlan } from './plan-gates';
import { isRunning, UNKNOWN_DEPLOYED, type Deployed } from './plan-deployed';
import { planAgentRoll, type AgentRollStep } from './plan-drain';
import { rollSequence, type Leaders } from './plan-leaders';
import {
  renderContainerDefinition,
  type ContainerPlan,
  type PlatformPlan,
  type ServiceName,
} from './plan-platform';
import { renderDrainScript } from './render-agent-drain';
import { renderGateScript } from './render-health-gate';
import { PlatformContainer } from './platform-container';
import { fillInputs } from './fill-inputs';
import { placeholdersIn, type SecretName } from './render-secrets';
import { HostImage } from './host-image';

/** Generated secrets by name; empty when authentication is off. */
export type PlatformSecrets = Readonly<Partial<Record<SecretName, pulumi.Output<string>>>>;

/** What every platform service component takes. */
export interface ServiceArgs {
  readonly plan: PlatformPlan;
  readonly hosts: readonly Host[];
  readonly secrets: PlatformSecrets;
  /** Components (or resources) that must be up first; every container depends on them. */
  readonly after?: readonly pulumi.Resource[];
  /**
   * What must be up first on the container's own host only. Kept per host so a per-host step does not make every
   * container wait for every host (dependencies that would grow with the square of the cluster).
   */
  readonly afterOnHost?: ReadonlyMap<string, readonly pulumi.Resource[]>;
  /** The project-built images on each host; containers with a `projectImage` run from these. */
  readonly images?: ReadonlyMap<string, ReadonlyMap<string, HostImage>>;
  /** Who leads each service now (leaders.ts): a rolling service's leader goes last. Host-name order without. */
  readonly leaders?: pulumi.Output<Leaders>;
  /**
   * What the stack already runs (deployed-stack.ts): only running members roll; members being created wait for no
   * other member. Without it every member is treated as running.
   */
  readonly deployed?: Promise<Deployed>;
}

export interface ServiceContainer {
  readonly host: Host;
  readonly plan: ContainerPlan;
  readonly container: PlatformContainer;
  /**
   * Rolling services: the member's health gate, which the next member in the roll waits for; drained agents:
   * the up-step, which the drain `maxAgentsDown` places later waits for.
   */
  readonly gate?: RemoteCommand | LocalCommand;
}

/** What a gate command runs: the script arrives on standard input, so no secret is ever on a command line. */
export const GATE_COMMAND = { create: 'bash -s -- create', update: 'bash -s -- update' } as const;

/**
 * The member's health gate, run on its own host after its container. The container's id is part of the script,
 * so a replaced member changes the gate's input and the engine runs `update` (the member has rejoined), while an
 * unchanged member leaves its gate alone: unrelated changes never re-run a gate. A script with a login is a
 * secret from withSecrets, and the stdin built from it stays one.
 */
function hostCommand(
  parent: pulumi.Resource,
  name: string,
  host: Host,
  commands: { readonly create: string; readonly update: string },
  stdin: pulumi.Input<string>,
  dependsOn: readonly pulumi.Input<pulumi.Resource>[],
): RemoteCommand | LocalCommand {
  const args = { ...commands, stdin };
  const opts = { parent, dependsOn: [...dependsOn] };
  return host.connection === undefined
    ? new LocalCommand(name, args, opts)
    : new RemoteCommand(name, { ...args, connection: host.connection }, opts);
}

function healthGate(
  parent: pulumi.Resource,
  name: string,
  host: Host,
  gate: GatePlan,
  container: PlatformContainer,
  secrets: PlatformSecrets,
): RemoteCommand | LocalCommand {
  const script = withSecrets(renderGateScript(gate), secrets);
  const stdin = pulumi.all([script, container.id]).apply(([s, id]) => `${s}# member container ${id}\n`);
  return hostCommand(parent, name, host, GATE_COMMAND, stdin, [container]);
}

/** A container's environment and file contents with their secrets filled, in the order it is given them. */
interface FilledContent {
  readonly envs: readonly pulumi.Input<string>[];
  readonly files: readonly pulumi.Input<string>[];
}

function filledContent(c: ContainerPlan, secrets: PlatformSecrets): FilledContent {
  return {
    envs: Object.keys(c.env)
      .sort()
      .map((k) => withSecrets(`${k}=${c.env[k]}`, secrets)),
    files: c.files.map((f) => withSecrets(f.content, secrets)),
  };
}

/**
 * What decides whether an agent's container is replaced, as one digest: its reviewable definition, the files and
 * environment it is given (secrets filled), and the image it runs. The drain's input carries it, so the drain
 * runs (update) exactly when the container is about to change, before the engine replaces it.
 */
function containerDigest(
  c: ContainerPlan,
  image: pulumi.Input<string>,
  content: FilledContent,
): pulumi.Output<string> {
  const parts = [image, renderContainerDefinition(c), ...content.files, ...content.envs];
  // Only the parts that are not plain text wait; each value `all` is given becomes an Output of its own.
  const waiting = parts.filter((p) => typeof p !== 'string');
  return pulumi.all(waiting).apply((values) => {
    let next = 0;
    // The same text as before the split (join renders undefined as nothing), so no drain input changes.
    const text = parts.map((p) => (typeof p === 'string' ? p : values[next++]));
    return createHash('sha256').update(text.join('\0')).digest('hex');
  });
}

export function hostByName(hosts: readonly Host[], name: string): Host {
  const host = hosts.find((h) => h.name === name);
  if (host === undefined) {
    throw new Error(
      `the platform plan places services on host ${name}, but no Host named ${name} was given ` +
        `(have: ${hosts.map((h) => h.name).join(', ') || 'none'}); pass every host from the hosts layer`,
    );
  }
  return host;
}

/** Fills secret placeholders inside a secret Output; plain text passes through unchanged. */
export function withSecrets(template: string, secrets: PlatformSecrets): pulumi.Input<string> {
  // Names the platform never generates are a bug in a renderer, refused here.
  placeholdersIn(template);
  return fillInputs(
    template,
    { secrets },
    {
      missing: (_kind, name) =>
        `secret ${name} was not generated; authentication is off but a document needs it`,
    },
  );
}

/**
 * One pinned image and one container per planned (host, service): host networking, fixed ports (so the old
 * container must go before the new one starts), restarted by the engine, secrets only inside secret inputs.
 */
export function createServiceContainers(
  parent: pulumi.ComponentResource,
  name: string,
  service: ServiceName,
  args: ServiceArgs,
): ServiceContainer[] {
  if (service === 'mesos-agent') return createAgentContainers(parent, name, args);
  const rolling = ROLLING_SERVICES.includes(service);
  const members = rolling
    ? rollOrder(args.plan.containers, service)
    : args.plan.containers.filter((c) => c.service === service);
  const gates = new Map<string, RemoteCommand | LocalCommand>();
  const created: ServiceContainer[] = [];
  for (const c of members) {
    const host = hostByName(args.hosts, c.host);
    const image = containerImage(parent, name, host, c, args);
    const after = rolling ? previousInRoll(args, service, c.host, gates) : [];
    const container = serviceContainer(parent, name, host, c, image, args, after);
    const gate = rolling
      ? healthGate(
          parent,
          `${name}-${host.name}-gate`,
          host,
          gateFor(c, {
            domain: args.plan.domain,
            authEnabled: args.plan.authEnabled,
            timeoutSeconds: args.plan.gateTimeoutSeconds,
          }),
          container,
          args.secrets,
        )
      : undefined;
    if (gate !== undefined) gates.set(c.host, gate);
    created.push({ host, plan: c, container, ...(gate === undefined ? {} : { gate }) });
  }
  return created;
}

/**
 * What a rolling member waits for: the gate of the running member before it in the roll (one member down at a
 * time); a member being created waits for none. With the leaders known that order has the leader last. The edge
 * is read once the deployed stack (and the leaders) are: it resolves after this loop has created every gate. The
 * SDK takes a Promise or an Output of a resource list as one `dependsOn` entry and flattens it
 * (gatherExplicitDependencies in @pulumi/pulumi runtime/dependsOn.js), which its types do not say.
 */
function previousInRoll(
  args: ServiceArgs,
  service: ServiceName,
  host: string,
  gates: ReadonlyMap<string, pulumi.Resource>,
): pulumi.Input<pulumi.Resource>[] {
  const previous = (leaders: Leaders, deployed: Deployed): pulumi.Resource[] => {
    const running = (h: string) => isRunning(deployed, { host: h, service });
    if (!running(host)) return [];
    const sequence = rollSequence(args.plan.containers, service, leaders).filter(running);
    const before = sequence[sequence.indexOf(host) - 1];
    const gate = before === undefined ? undefined : gates.get(before);
    return gate === undefined ? [] : [gate];
  };
  const deployed = args.deployed ?? Promise.resolve(UNKNOWN_DEPLOYED);
  if (args.leaders === undefined)
    return [deployed.then((d) => previous({}, d)) as unknown as Promise<pulumi.Resource>];
  // The leaders are an Output (the look-up is an invoke of a provider); only masters roll with them, so the few
  // Outputs that hold a gate cost little (deployed-stack.ts says why agents use a Promise).
  const edge = pulumi
    .all([args.leaders, pulumi.output(deployed)])
    .apply(([leaders, d]) => previous(leaders as Leaders, d as Deployed));
  return [edge as unknown as pulumi.Output<pulumi.Resource>];
}

/** What the drain and up-steps run; the script arrives on standard input, as the gates' does. */
export const DRAIN_COMMAND = {
  create: 'bash -s -- drain create',
  update: 'bash -s -- drain update',
} as const;
export const UP_COMMAND = { create: 'bash -s -- up create', update: 'bash -s -- up update' } as const;

/**
 * Agents roll behind the Mesos maintenance API (plan-drain.ts): a drain before the container (it changes with
 * the container's inputs), the container, then an up-step (it changes with the container's id) that the drain
 * `maxAgentsDown` places later waits for (plan-drain.ts says why drains may write the schedule at once). Those
 * edges join running agents only, and are read once the deployed stack is (previousInRoll says how). A lone
 * agent has neither step: its tasks would have nowhere to go.
 */
function createAgentContainers(
  parent: pulumi.ComponentResource,
  name: string,
  args: ServiceArgs,
): ServiceContainer[] {
  const ups = new Map<string, pulumi.Resource>();
  const waits = (step: AgentRollStep | undefined): pulumi.Resource[] => {
    const up = step?.after === undefined ? undefined : ups.get(step.after);
    return up === undefined ? [] : [up];
  };
  const byAgent = (d: Deployed) => new Map(planAgentRoll(args.plan, d).map((s) => [s.agent, s]));
  // One reading for every agent: each drain looks its own step up in it.
  const roll = (args.deployed ?? Promise.resolve(UNKNOWN_DEPLOYED)).then(byAgent);
  const containers = new Map(rollOrder(args.plan.containers, 'mesos-agent').map((c) => [c.host, c]));
  const created: ServiceContainer[] = [];
  for (const step of planAgentRoll(args.plan)) {
    const c = containers.get(step.agent) as ContainerPlan;
    const host = hostByName(args.hosts, c.host);
    const image = containerImage(parent, name, host, c, args);
    const drain = step.drain;
    if (drain === undefined) {
      created.push({ host, plan: c, container: serviceContainer(parent, name, host, c, image, args, []) });
      continue;
    }
    const script = withSecrets(renderDrainScript(drain), args.secrets);
    const content = filledContent(c, args.secrets);
    const drainStdin = pulumi
      .all([script, containerDigest(c, image.imageId, content)])
      .apply(([s, digest]) => `${s}# agent container inputs ${digest}\n`);
    const edges = roll.then((r) => waits(r.get(c.host))) as unknown as Promise<pulumi.Resource>;
    const drainStep = hostCommand(parent, `${name}-${host.name}-drain`, host, DRAIN_COMMAND, drainStdin, [
      ...host.ready,
      edges,
    ]);
    const container = serviceContainer(parent, name, host, c, image, args, [drainStep], content);
    const upStdin = pulumi.all([script, container.id]).apply(([s, id]) => `${s}# agent container ${id}\n`);
    const up = hostCommand(parent, `${name}-${host.name}-up`, host, UP_COMMAND, upStdin, [container]);
    ups.set(c.host, up);
    created.push({ host, plan: c, container, gate: up });
  }
  return created;
}

/** The image a container runs: pulled by name, or the project image the platform built or pulled there. */
function containerImage(
  parent: pulumi.ComponentResource,
  name: string,
  host: Host,
  c: ContainerPlan,
  args: ServiceArgs,
): HostImage {
  const image =
    c.projectImage === undefined
      ? new HostImage(
          `${name}-${host.name}-image`,
          { name: c.image, keepLocally: true },
          { parent, provider: host.docker, dependsOn: [...host.ready] },
        )
      : args.images?.get(host.name)?.get(c.projectImage);
  if (image === undefined) {
    throw new Error(
      `container ${c.containerName} on ${host.name} runs the project image ${c.projectImage}, ` +
        'which the platform did not build or pull there; pass the PlatformImages of the plan',
    );
  }
  return image;
}

function serviceContainer(
  parent: pulumi.ComponentResource,
  name: string,
  host: Host,
  c: ContainerPlan,
  image: HostImage,
  args: ServiceArgs,
  after: readonly pulumi.Input<pulumi.Resource>[],
  content: FilledContent = filledContent(c, args.secrets),
): PlatformContainer {
  const dependsOn = [
    ...host.ready,
    ...(args.after ?? []),
    ...(args.afterOnHost?.get(host.name) ?? []),
    ...after,
  ];
  return new PlatformContainer(
    `${name}-${host.name}`,
    {
      name: c.containerName,
      image: image.name,
      ...(c.entrypoint === undefined ? {} : { entrypoints: [...c.entrypoint] }),
      command: [...c.args],
      envs: [...content.envs],
      volumes: c.volumes.map((v) => ({
        hostPath: v.hostPath,
        containerPath: v.containerPath,
        readOnly: v.readOnly,
      })),
      uploads: c.files.map((f, i) => ({
        file: f.path,
        content: content.files[i],
        ...(f.owner === undefined
          ? {}
          : { owner: f.owner.split(':')[0], group: f.owner.split(':')[1], permissions: f.mode }),
      })),
      networkMode: c.networkMode,
      restart: c.restart,
      privileged: c.privileged,
      ...(c.pidMode === undefined ? {} : { pidMode: c.pidMode }),
      ...(c.dns === undefined ? {} : { dns: [...c.dns] }),
      ...(c.dnsSearch === undefined ? {} : { dnsSearches: [...c.dnsSearch] }),
      mustRun: true,
    },
    {
      parent,
      provider: host.docker,
      dependsOn,
      deleteBeforeReplace: true,
      ...(c.hasSecrets ? { additionalSecretOutputs: ['envs', 'uploads'] } : {}),
    },
  );
}

/** `http://<address>:<port>` for each host, from the address the operator's machine reaches. */
export function hostUrls(hosts: readonly Host[], port: number): pulumi.Output<string[]> {
  return pulumi.all(hosts.map((h) => h.publicAddress)).apply((as) => as.map((a) => `http://${a}:${port}`));
}
