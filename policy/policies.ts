import * as pulumi from '@pulumi/pulumi';
import {
  Secret,
  UnknownValueError,
  type PolicyResource,
  type ReportViolation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
} from '@pulumi/policy';

/**
 * The Stars policies, kept apart from index.ts (which starts the policy server) so tests can call each
 * validation directly with a passing and a failing resource.
 */

export const CONTAINER = 'docker:index/container:Container';
export const REMOTE_IMAGE = 'docker:index/remoteImage:RemoteImage';
const DYNAMIC = /^pulumi-nodejs:dynamic(\/[^:]+)?:/;

/** Ports that must never be reachable from the whole internet. */
export const ADMIN_PORTS: Readonly<Record<number, string>> = {
  22: 'SSH',
  2181: 'ZooKeeper',
  5050: 'Mesos master',
  5051: 'Mesos agent',
  8080: 'Marathon',
  4400: 'Chronos',
  8123: 'Mesos-DNS HTTP',
};
/** Marathon service ports and the Mesos agents' default port resources, where the apps listen. */
export const APP_PORT_RANGES: readonly (readonly [number, number])[] = [
  [10000, 20000],
  [31000, 32000],
];
const WORLD = new Set(['0.0.0.0/0', '::/0']);

export const SENSITIVE_ENV = /PASSWORD|SECRET|TOKEN|CREDENTIALS/i;

/** The unknown-value sentinel the engine sends during preview for values not computed yet (from the SDK). */
const UNKNOWN = pulumi.runtime.unknownValue;

/** Reads a property, treating a value not known during preview as absent rather than failing the check. */
function known<T>(read: () => T): T | undefined {
  try {
    const v = read();
    return (v as unknown) === UNKNOWN ? undefined : v;
  } catch (err) {
    if (err instanceof UnknownValueError) return undefined;
    throw err;
  }
}

/** The stack name from a URN (`urn:pulumi:<stack>::<project>::…`). */
export function stackOfUrn(urn: string): string {
  return urn.split('::')[0].replace(/^urn:pulumi:/, '');
}

// ---------------------------------------------------------------------------------------------------------

/** Counts the master containers of each quorum service; production needs 3 or 5 of each. */
export const productionMasterCount: StackValidationPolicy = {
  name: 'production-masters-3-or-5',
  description:
    'Production runs 3 or 5 masters (ZooKeeper and Mesos master), so a quorum survives one or two failures without a tie.',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      productionStacks: { type: 'array', items: { type: 'string' }, default: ['production'] },
    },
  },
  validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
    const config = args.getConfig<{ productionStacks?: string[] }>();
    const productionStacks = config.productionStacks ?? ['production'];
    const stack = args.resources.length > 0 ? stackOfUrn(args.resources[0].urn) : '';
    if (!productionStacks.includes(stack)) args.notApplicable(`stack ${stack} is not a production stack`);
    const count = (service: string): PolicyResource[] =>
      args.resources.filter(
        (r) =>
          r.type === CONTAINER &&
          (known(() => r.props.name as string | undefined) ?? r.name).includes(service),
      );
    for (const service of ['mesos-master', 'zookeeper']) {
      const found = count(service);
      if (found.length === 0) continue;
      if (found.length !== 3 && found.length !== 5)
        reportViolation(
          `production stack ${stack} runs ${found.length} ${service} container(s); run 3 or 5 masters ` +
            '(a quorum of 2 of 3 or 3 of 5) by giving 3 or 5 hosts the master role',
        );
    }
  },
};

// ---------------------------------------------------------------------------------------------------------

/** Why an image reference is not pinned, or undefined when it is (explicit tag other than latest, or digest). */
export function unpinnedReason(image: string): string | undefined {
  if (/^sha256:[0-9a-f]{64}$/.test(image) || /@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon === -1) return `image ${image} has no tag (it means :latest); pin a version, e.g. ${image}:1.2.3`;
  const tag = lastSegment.slice(colon + 1);
  if (tag === '' || tag.toLowerCase() === 'latest')
    return `image ${image} uses the moving tag "latest"; pin a version`;
  return undefined;
}

export const pinnedImages: ResourceValidationPolicy = {
  name: 'no-unpinned-images',
  description:
    'Every image (docker RemoteImage, Container, Marathon app) names an explicit version tag or digest, never latest.',
  enforcementLevel: 'mandatory',
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    const images: string[] = [];
    if (args.type === REMOTE_IMAGE) images.push(...[known(() => args.props.name as string)].filter(isString));
    else if (args.type === CONTAINER)
      images.push(...[known(() => args.props.image as string)].filter(isString));
    else if (DYNAMIC.test(args.type)) {
      const image = known(() => (args.props.app as MarathonAppShape | undefined)?.container?.docker?.image);
      if (isString(image)) images.push(image);
    }
    for (const image of images) {
      const reason = unpinnedReason(image);
      if (reason !== undefined) reportViolation(reason);
    }
  },
};

// ---------------------------------------------------------------------------------------------------------

interface MarathonAppShape {
  readonly id?: string;
  readonly healthChecks?: readonly unknown[];
  readonly container?: { readonly docker?: { readonly image?: string } };
}

/** The apps layer's MarathonApp dynamic resource carries the whole definition in its `app` input. */
export const marathonHealthChecks: ResourceValidationPolicy = {
  name: 'marathon-apps-have-health-checks',
  description:
    'Every Marathon app defines at least one health check, so deployments wait for real health and failed tasks are replaced.',
  enforcementLevel: 'mandatory',
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (!DYNAMIC.test(args.type)) return;
    const app = known(() => args.props.app as MarathonAppShape | undefined);
    if (app === undefined || app === null || typeof app !== 'object' || typeof app.id !== 'string') return;
    const checks = known(() => app.healthChecks);
    if (checks === undefined && 'healthChecks' in app) return; // not known yet
    if (!Array.isArray(checks) || checks.length === 0)
      reportViolation(
        `Marathon app ${app.id} has no health check; add healthChecks (e.g. {"protocol":"MESOS_HTTP","path":"/","portIndex":0})`,
      );
  },
};

// ---------------------------------------------------------------------------------------------------------

interface PortRule {
  readonly from: number;
  readonly to: number;
  readonly protocol: string;
  readonly cidrs: readonly string[];
}

/** The admin or app ports a rule opens, as `port (name)` strings; all ports for protocol -1. */
export function exposedPorts(rule: PortRule): string[] {
  if (!rule.cidrs.some((c) => WORLD.has(c))) return [];
  const all = rule.protocol === '-1' || rule.protocol === 'all';
  const from = all ? 0 : rule.from;
  const to = all ? 65535 : rule.to;
  const out: string[] = [];
  for (const [port, name] of Object.entries(ADMIN_PORTS))
    if (Number(port) >= from && Number(port) <= to) out.push(`${port} (${name})`);
  for (const [lo, hi] of APP_PORT_RANGES)
    if (from <= hi && to >= lo) out.push(`${Math.max(lo, from)}-${Math.min(hi, to)} (app ports)`);
  return out;
}

function rulesOf(args: ResourceValidationArgs): PortRule[] {
  const p = args.props;
  const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
  const strs = (...vs: unknown[]): string[] =>
    vs.flatMap((v) => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v])).filter(isString);
  switch (args.type) {
    case 'aws:ec2/securityGroup:SecurityGroup': {
      const ingress = (known(() => p.ingress as Record<string, unknown>[] | undefined) ?? []).filter(Boolean);
      return ingress.map((r) => ({
        from: num(r.fromPort),
        to: num(r.toPort),
        protocol: String(r.protocol ?? 'tcp'),
        cidrs: strs(r.cidrBlocks, r.ipv6CidrBlocks),
      }));
    }
    case 'aws:ec2/securityGroupRule:SecurityGroupRule':
      if (known(() => p.type) !== 'ingress') return [];
      return [
        {
          from: num(known(() => p.fromPort)),
          to: num(known(() => p.toPort)),
          protocol: String(known(() => p.protocol) ?? 'tcp'),
          cidrs: strs(
            known(() => p.cidrBlocks),
            known(() => p.ipv6CidrBlocks),
          ),
        },
      ];
    case 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule':
      return [
        {
          from: num(known(() => p.fromPort)),
          to: num(known(() => p.toPort ?? p.fromPort)),
          protocol: String(known(() => p.ipProtocol) ?? 'tcp'),
          cidrs: strs(
            known(() => p.cidrIpv4),
            known(() => p.cidrIpv6),
          ),
        },
      ];
    default:
      return [];
  }
}

export const noWorldOpenAdminPorts: ResourceValidationPolicy = {
  name: 'no-admin-ports-open-to-the-world',
  description:
    'No security group opens SSH, ZooKeeper, Mesos, Marathon, Chronos, Mesos-DNS or app ports to 0.0.0.0/0 or ::/0; use the admin CIDRs.',
  enforcementLevel: 'mandatory',
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    for (const rule of rulesOf(args)) {
      const ports = exposedPorts(rule);
      if (ports.length > 0)
        reportViolation(
          `${args.name} opens ${ports.join(', ')} to ${rule.cidrs.filter((c) => WORLD.has(c)).join(' and ')}; ` +
            'allow only the admin CIDRs (stars:adminCidrs)',
        );
    }
  },
};

// ---------------------------------------------------------------------------------------------------------

/**
 * The engine hands policies secret values unwrapped, so a secret env entry is recognised by how it is
 * declared: a Secret wrapper, a value not known yet, or `envs` listed in additionalSecretOutputs (which the
 * platform sets on every container that carries a secret, keeping it encrypted in the state).
 */
export const noPlainTextSecretEnv: ResourceValidationPolicy = {
  name: 'no-plain-text-secrets-in-container-env',
  description:
    'Container env entries named like PASSWORD, SECRET, TOKEN or CREDENTIALS must be secret (pulumi.secret plus additionalSecretOutputs: ["envs"]).',
  enforcementLevel: 'mandatory',
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (args.type !== CONTAINER) return;
    if ((args.opts?.additionalSecretOutputs ?? []).includes('envs')) return;
    const envs = known(() => args.props.envs as unknown[] | undefined);
    if (!Array.isArray(envs)) return;
    for (let i = 0; i < envs.length; i++) {
      const entry = known(() => envs[i]);
      if (entry === undefined || entry instanceof Secret || typeof entry !== 'string') continue;
      const eq = entry.indexOf('=');
      const name = eq === -1 ? entry : entry.slice(0, eq);
      const value = eq === -1 ? '' : entry.slice(eq + 1);
      if (SENSITIVE_ENV.test(name) && value !== '' && value !== UNKNOWN)
        reportViolation(
          `container env ${name} holds a secret in plain text; pass it with pulumi.secret and set ` +
            "additionalSecretOutputs: ['envs'] (or mount it as a file)",
        );
    }
  },
};

export const STARS_POLICIES = [
  productionMasterCount,
  pinnedImages,
  marathonHealthChecks,
  noWorldOpenAdminPorts,
  noPlainTextSecretEnv,
];

function isString(v: unknown): v is string {
  return typeof v === 'string';
}
