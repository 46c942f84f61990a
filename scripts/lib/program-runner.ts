import { createHash } from 'crypto';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { MockMonitor } from '@pulumi/pulumi/runtime/mocks';
import { READ_STACK_OUTPUTS_TOKEN } from '../../components/platform/deployed-stack';
import { LEADER_LOOKUP_TOKEN, REPORT_OFFLINE } from '../../components/platform/plan-leaders';
// Internal (not in the .d.ts) but stable: the drain `pulumi.runtime.disconnect` performs before exit.
import * as settings from '@pulumi/pulumi/runtime/settings';

const waitForRPCs = (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;

/**
 * Runs the real Pulumi program (index.ts) under Pulumi's mock runtime and records every resource
 * registration: type, name, parent, dependencies, provider, options and inputs with secrets redacted.
 * Used by `npm run plan`, the graph tests and the benchmark; nothing here talks to a cloud or the CLI.
 */

export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent?: string;
  readonly custom: boolean;
  readonly provider?: string;
  readonly dependencies: readonly string[];
  readonly deleteBeforeReplace: boolean;
  /** Set only when true: pulumi destroy refuses the resource (`protect`) / leaves it in the cloud (`retainOnDelete`). */
  readonly protect?: true;
  readonly retainOnDelete?: true;
  /** Inputs as resources.json shows them: every secret replaced by `[secret]`. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /**
   * The same inputs with secrets unwrapped, for tests that must see what a secret wraps (a provider SDK may mark a
   * whole argument secret, e.g. @pulumi/command's `connection`). In memory only: never written anywhere.
   */
  readonly revealed: Readonly<Record<string, unknown>>;
}

export interface ProgramRun {
  readonly resources: readonly RecordedResource[];
  readonly outputs: Readonly<Record<string, unknown>>;
  /** The outputs with secrets in plain text, for tests that check what a secret output holds. */
  readonly revealedOutputs: Readonly<Record<string, unknown>>;
}

export interface RunOptions {
  readonly project?: string;
  readonly stack: string;
  /** Full config map (`stars:mode` → string value) as the Pulumi CLI would hand it over. */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys?: readonly string[];
  readonly programPath?: string;
  /** Loads the program module; tests pass one that isolates the module registry. */
  readonly load?: (programPath: string) => Record<string, unknown>;
  /** Answers provider functions before the canned ones do (undefined: fall through), e.g. a running cluster's. */
  readonly call?: (args: pulumi.runtime.MockCallArgs) => Record<string, unknown> | undefined;
  /**
   * The outputs of the stack's last update, as the program reads them back (`readStackOutputs`, what `pulumi
   * stack output --json --show-secrets` prints); none (the default) is a stack's first update.
   */
  readonly deployedOutputs?: Readonly<Record<string, unknown>>;
  /**
   * Mocked ids that change with a resource's inputs, as a replacement's new id would (the benchmark's later
   * deployments); by default an id is `<name>-id`, stable whatever the inputs.
   */
  readonly idsFromInputs?: boolean;
}

/** The organization every stack of a diy backend belongs to (pulumi/pulumi v3.259.0 pkg/backend/diy/state.go). */
export const MOCK_ORGANIZATION = 'organization';

export const REDACTED = '[secret]';
export const UNKNOWN = '[unknown]';

// Pulumi's wire-format markers, from the SDK itself (runtime/rpc.ts exports them).
const SIG = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;
const RESOURCE_SIG = pulumi.runtime.specialResourceSig;
const ASSET_SIG = pulumi.runtime.specialAssetSig;
const UNKNOWN_VALUE = pulumi.runtime.unknownValue;

/**
 * Turns wire values into plain JSON: secrets redacted (or, with `reveal`, unwrapped), unknowns marked, references
 * by URN.
 */
export function plainValue(v: unknown, reveal = false): unknown {
  if (v === UNKNOWN_VALUE) return UNKNOWN;
  if (Array.isArray(v)) return v.map((x) => plainValue(x, reveal));
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o[SIG] === SECRET_SIG) return reveal ? plainValue(o.value, reveal) : REDACTED;
    if (o[SIG] === RESOURCE_SIG) return { resource: o.urn };
    if (o[SIG] === ASSET_SIG) return o.text !== undefined ? { text: o.text } : { path: o.path ?? o.uri };
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) out[k] = plainValue(o[k], reveal);
    return out;
  }
  return v;
}

/** Canned answers for provider functions the program invokes (AMI and AZ look-ups, the leader look-up). */
function mockCall(
  args: pulumi.runtime.MockCallArgs,
  deployedOutputs: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  switch (args.token) {
    // The engine's answer (builtins.go readStackReference): the stack's last outputs; none on a first update.
    case READ_STACK_OUTPUTS_TOKEN:
      return { name: args.inputs.name, outputs: { ...deployedOutputs }, secretOutputNames: [] };
    // The leader look-up reaches the cluster; an offline plan reaches nothing and says so (host-name order).
    case LEADER_LOOKUP_TOKEN:
      return { stdout: REPORT_OFFLINE, stderr: '' };
    case 'aws:ec2/getAmi:getAmi':
      return { id: 'ami-0mock000000000000', imageId: 'ami-0mock000000000000', name: 'debian-12-amd64-mock' };
    case 'aws:index/getAvailabilityZones:getAvailabilityZones': {
      const region = String(args.inputs?.region ?? 'us-east-1');
      const names = ['a', 'b', 'c', 'd', 'e', 'f'].map((s) => `${region}${s}`);
      return { names, zoneIds: names.map((_, i) => `use1-az${i + 1}`) };
    }
    case 'aws:index/getRegion:getRegion':
      return { name: 'us-east-1', id: 'us-east-1' };
    default:
      return {};
  }
}

/** The stand-in key pair of a mocked tls.PrivateKey, in the providers' formats (with their trailing newline). */
export const mockPublicKey = (name: string): string =>
  `ssh-ed25519 ${Buffer.from(`mock-host-key-${name}`).toString('base64')}\n`;
export const mockPrivateKey = (name: string): string =>
  `-----BEGIN OPENSSH PRIVATE KEY-----\nmock-${name}\n-----END OPENSSH PRIVATE KEY-----\n`;

export const mockPem = (label: string, name: string): string =>
  `-----BEGIN ${label}-----\nmock-${name}\n-----END ${label}-----\n`;

/** A well-formed bcrypt string (Go's `$2a$10$` form) that stands for the password of `name`. */
export function mockBcryptHash(name: string): string {
  const alphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const digest = createHash('sha512').update(name).digest();
  return `$2a$10$${[...digest.subarray(0, 53)].map((b) => alphabet[b % 64]).join('')}`;
}

/**
 * A resource's state is its inputs, plus what a provider computes that the program reads: a generated password
 * gets a stable stand-in (derived from its name, so plans stay byte-identical) that stays secret like the real one;
 * so does a generated key pair.
 */
function mockNewResource(
  args: pulumi.runtime.MockResourceArgs,
  idsFromInputs = false,
): {
  id: string;
  state: Record<string, unknown>;
} {
  const state: Record<string, unknown> = { ...args.inputs };
  if (args.type === 'random:index/randomPassword:RandomPassword') {
    state.result = `mock-password-${args.name}`;
    state.bcryptHash = mockBcryptHash(args.name);
  }
  // An instance's public address (TEST-NET-3, from its private address), which the program dials over SSH.
  if (args.type === 'aws:ec2/instance:Instance' && typeof args.inputs.privateIp === 'string')
    state.publicIp = `203.0.113.${args.inputs.privateIp.split('.')[3]}`;
  if (args.type === 'tls:index/privateKey:PrivateKey') {
    state.publicKeyOpenssh = mockPublicKey(args.name);
    state.privateKeyOpenssh = mockPrivateKey(args.name);
    state.privateKeyPem = mockPem('PRIVATE KEY', args.name);
  }
  if (
    args.type === 'tls:index/selfSignedCert:SelfSignedCert' ||
    args.type === 'tls:index/locallySignedCert:LocallySignedCert'
  )
    state.certPem = mockPem('CERTIFICATE', args.name);
  if (args.type === 'tls:index/certRequest:CertRequest')
    state.certRequestPem = mockPem('CERTIFICATE REQUEST', args.name);
  const id = idsFromInputs
    ? `${args.name}-${createHash('sha256').update(JSON.stringify(args.inputs)).digest('hex').slice(0, 12)}`
    : `${args.name}-id`;
  return { id, state };
}

/** The parts of the engine's RegisterResourceRequest/Response the recorder reads. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getCustom(): boolean;
  getDependenciesList(): string[];
  getDeletebeforereplace(): boolean;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getObject(): { toJavaScript(): unknown } | undefined;
}
interface RegisterResponse {
  getUrn(): string;
}

/** Wraps the mock monitor's registration so every request is recorded before the mocks answer it. */
function recordRegistrations(monitor: MockMonitor): RecordedResource[] {
  const recorded: RecordedResource[] = [];
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = async (req: RegisterRequest, callback: (err: unknown, res: unknown) => void) =>
    register(req, (err: unknown, res: RegisterResponse) => {
      if (!err) {
        const wire = req.getObject()?.toJavaScript() ?? {};
        const parent = req.getParent();
        const provider = req.getProvider();
        const resource: RecordedResource = {
          urn: res.getUrn(),
          type: req.getType(),
          name: req.getName(),
          ...(parent ? { parent } : {}),
          custom: req.getCustom(),
          ...(provider ? { provider: provider.split('::').slice(0, 4).join('::') } : {}),
          dependencies: [...new Set<string>(req.getDependenciesList())].sort(),
          deleteBeforeReplace: req.getDeletebeforereplace(),
          ...(req.getProtect() === true ? { protect: true as const } : {}),
          ...(req.getRetainondelete() === true ? { retainOnDelete: true as const } : {}),
          inputs: plainValue(wire) as Record<string, unknown>,
          revealed: plainValue(wire, true) as Record<string, unknown>,
        };
        // Not enumerable, so no JSON.stringify of a run (resources.json, logs) can carry a secret's value.
        Object.defineProperty(resource, 'revealed', { enumerable: false });
        recorded.push(resource);
      }
      callback(err, res);
    });
  return recorded;
}

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

function defaultLoad(programPath: string): Record<string, unknown> {
  // A second run in one process must evaluate the program again, with the new config.
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(PROJECT_ROOT) && !key.includes(`${path.sep}node_modules${path.sep}`))
      delete require.cache[key];
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program is loaded by path at run time
  return require(programPath) as Record<string, unknown>;
}

export async function runProgram(options: RunOptions): Promise<ProgramRun> {
  // setMocks also switches on the features the engine would (secrets, resource references); keep its monitor.
  await pulumi.runtime.setMocks(
    {
      call: (args) => options.call?.(args) ?? mockCall(args, options.deployedOutputs),
      newResource: (args) => mockNewResource(args, options.idsFromInputs),
    },
    options.project ?? 'stars',
    options.stack,
    false,
    MOCK_ORGANIZATION,
  );
  const recorded = recordRegistrations(pulumi.runtime.getMonitor() as unknown as MockMonitor);
  pulumi.runtime.setAllConfig({ ...options.config }, [...(options.secretKeys ?? [])]);

  const programPath = options.programPath ?? path.join(PROJECT_ROOT, 'index.ts');
  const programExports = (options.load ?? defaultLoad)(programPath);
  const outputs: Record<string, unknown> = {};
  const revealedOutputs: Record<string, unknown> = {};
  for (const key of Object.keys(programExports).sort()) {
    outputs[key] = await resolveOutput(programExports[key]);
    revealedOutputs[key] = await resolveOutput(programExports[key], true);
  }
  // Components create children inside applies; wait until no registration is in flight.
  await waitForRPCs();
  const resources = [...recorded].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  return { resources, outputs, revealedOutputs };
}

async function resolveOutput(value: unknown, reveal = false): Promise<unknown> {
  const out = pulumi.output(value) as unknown as pulumi.Output<unknown>;
  if (!reveal && (await pulumi.isSecret(out))) return REDACTED;
  return new Promise((resolve) => out.apply((v: unknown) => resolve(v)));
}
