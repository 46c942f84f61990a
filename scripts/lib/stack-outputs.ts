import { spawn } from 'child_process';
import { readFileSync } from 'fs';
import { OpsError, UsageError, stringFlag, type ParsedArgs } from './cli-args';
import {
  HOST_KEY_LINE,
  POSIX_USER,
  escapeText,
  isDnsLabel,
  isPort,
} from '../../components/model/read-values';

/**
 * The stack outputs the program exports (index.ts), as the ops commands read them. This is the contract
 * between the program and its tooling; `--outputs-file` takes a JSON file of exactly this shape.
 */
export interface StackHost {
  readonly name: string;
  readonly roles: readonly string[];
  readonly address: string;
  readonly publicAddress?: string;
  /** Per-host SSH user and port (the program exports both; a hand-written file may rely on the top level). */
  readonly sshUser?: string;
  readonly sshPort?: number;
  /** `user@host:port` for `ssh -J`. */
  readonly sshJumpHost?: string;
  /** The pinned host key line; when present ssh trusts only it. */
  readonly hostKey?: string;
}

export interface BasicAuth {
  readonly username: string;
  readonly password: string;
}

export interface StackOutputs {
  readonly environment?: string;
  readonly mode?: string;
  readonly clusterName?: string;
  readonly domain?: string;
  readonly hosts: readonly StackHost[];
  readonly sshUser?: string;
  readonly sshPort?: number;
  readonly zookeeperConnect?: string;
  readonly mesosMaster?: string;
  readonly mesosUiUrl?: string;
  readonly marathonUrl?: string;
  readonly chronosUrl?: string;
  readonly mesosDnsServers?: readonly string[];
  readonly appUrls?: Readonly<Record<string, string>>;
  readonly marathonCredentials?: BasicAuth;
  readonly chronosCredentials?: BasicAuth;
  readonly mesosCredentials?: BasicAuth;
  /** Secret key of the backups' checksums. */
  readonly backupKey?: string;
  /** PEM of the CA that signed the TLS edge's certificates (the https URLs). */
  readonly edgeCaCertificate?: string;
}

export interface LoadedOutputs {
  /** The stack name used for labels (backups/<stack>/…): `--stack`, else the outputs' environment. */
  readonly stack: string;
  readonly outputs: StackOutputs;
}

/** Runs the Pulumi CLI; replaceable so tests never need it. */
export type PulumiRunner = (args: readonly string[]) => Promise<string>;

export const runPulumiCli: PulumiRunner = (args) =>
  new Promise((resolve, reject) => {
    // The environment is passed on explicitly, so what the caller's process.env says is what the child sees.
    const child = spawn('pulumi', [...args], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new OpsError(
              'the Pulumi CLI (`pulumi`) is not on PATH; install it (https://www.pulumi.com/docs/install/) ' +
                'or pass --outputs-file <json> with the stack outputs',
            )
          : new OpsError(`cannot run pulumi: ${err.message}`),
      ),
    );
    child.on('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(
            new OpsError(
              // The project's pulumi npm package downloads the CLI on first use, which fails offline.
              /^Downloading pulumi v/m.test(stderr) && !/^Installing/m.test(stderr)
                ? `the pulumi npm package could not download the Pulumi CLI (${stderr.trim().split('\n').at(-1) ?? ''}); ` +
                    'install the CLI (https://www.pulumi.com/docs/install/) or pass --outputs-file <json> with the stack outputs'
                : `pulumi ${args.join(' ')} failed (exit ${code}): ${stderr.trim()}`,
            ),
          ),
    );
  });

export async function loadStackOutputs(
  args: ParsedArgs,
  runPulumi: PulumiRunner = runPulumiCli,
): Promise<LoadedOutputs> {
  const stack = stringFlag(args, 'stack');
  const file = stringFlag(args, 'outputs-file');
  if (stack === undefined && file === undefined)
    throw new UsageError('--stack <name> or --outputs-file <json> is required');
  if (stack !== undefined && !isStackName(stack))
    throw new UsageError(
      `--stack ${printable(stack)} is not a stack name: [org/[project/]]name of letters, digits, "_", "." and "-"`,
    );
  let text: string;
  let source: string;
  if (file !== undefined) {
    source = file;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new OpsError(`cannot read --outputs-file ${file}: ${(err as Error).message}`);
    }
  } else {
    source = `pulumi stack output --stack ${stack}`;
    text = await runPulumi(['stack', 'output', '--stack', stack as string, '--json', '--show-secrets']);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new OpsError(`${source} is not JSON: ${(err as Error).message}`);
  }
  const outputs = validateOutputs(raw, source);
  return { stack: stack ?? outputs.environment ?? 'stack', outputs };
}

/**
 * A stack name as Pulumi spells it (`name` or `org/project/name`): it becomes a folder (`backups/<stack>/…`), so
 * no segment may be empty, `.` or `..`, and nothing outside letters, digits, `_`, `.` and `-` is accepted.
 */
const STACK_SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9_.-]{1,100}$/;
export function isStackName(value: string): boolean {
  const segments = value.split('/');
  return segments.length <= 3 && segments.every((s) => STACK_SEGMENT.test(s));
}

/**
 * Text from a file or an API shown on a terminal: JSON quoting, and every character outside printable ASCII
 * escaped, so a name cannot move the cursor, recolour the screen or fake a line of output.
 */
export function printable(value: unknown): string {
  return escapeText(JSON.stringify(value) ?? String(value));
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * An API base URL the CLI sends a login to: https, or plain http only to this machine (the dev stack's local
 * engine), never with a login, query or fragment in it. Returns the problem, or undefined.
 */
export function apiUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `uses ${url.protocol}; use https://`;
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.test(url.hostname))
    return "is plain HTTP to another machine, so the stack's login would cross the network readable; use the edge's https:// URL";
  if (url.username !== '' || url.password !== '')
    return 'carries a login; the login belongs in the *Credentials outputs';
  if (url.search !== '' || url.hash !== '') return 'has a query or fragment; give the base URL only';
  return undefined;
}

/** A DNS name or IPv4 address: labels of letters, digits and inner hyphens, never a leading "-". */
const HOST =
  '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*';
const HOST_ADDRESS = new RegExp(`^${HOST}$`);
const JUMP_HOST = new RegExp(`^${POSIX_USER.source.slice(1, -1)}@${HOST}(?::\\d{1,5})?$`);

const ROLES = ['master', 'agent'];

function validateHost(h: unknown, i: number, source: string): void {
  const host = h as Record<string, unknown> | null;
  if (host === null || typeof host !== 'object' || Array.isArray(host))
    throw new OpsError(`${source}: outputs.hosts[${i}] must be an object`);
  // Host names are printed and become ssh labels: a newline or terminal escape would forge the output.
  if (typeof host.name !== 'string' || !isDnsLabel(host.name))
    throw new OpsError(
      `${source}: outputs.hosts[${i}].name ${printable(host.name)} is not a host name ` +
        '(lowercase letters, digits and inner "-", at most 63); check the stack outputs',
    );
  const at = `outputs.hosts[${i}] (${host.name})`;
  if (typeof host.address !== 'string' || host.address === '')
    throw new OpsError(`${source}: ${at} needs an address`);
  if (!Array.isArray(host.roles) || !host.roles.every((r) => typeof r === 'string' && ROLES.includes(r)))
    throw new OpsError(`${source}: ${at}.roles must be a list of ${ROLES.join(' and ')}`);
  // These reach the ssh command line: an address like -oProxyCommand=… would run on this machine.
  for (const [key, pattern, what] of [
    ['address', HOST_ADDRESS, 'an IPv4 address or DNS name'],
    ['publicAddress', HOST_ADDRESS, 'an IPv4 address or DNS name'],
    ['sshUser', POSIX_USER, 'a POSIX user name'],
    ['sshJumpHost', JUMP_HOST, 'user@host[:port]'],
    ['hostKey', HOST_KEY_LINE, 'an OpenSSH public key line (ssh-ed25519 AAAA…)'],
  ] as const) {
    const v = host[key];
    if (v !== undefined && (typeof v !== 'string' || !pattern.test(v)))
      throw new OpsError(`${source}: ${at}.${key} ${printable(v)} is not ${what}; check the stack outputs`);
  }
  const port = host.sshPort;
  if (port !== undefined && !(typeof port === 'number' && isPort(port)))
    throw new OpsError(`${source}: ${at}.sshPort ${printable(port)} is not a port (1-65535)`);
}

export function validateOutputs(raw: unknown, source: string): StackOutputs {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new OpsError(`${source}: the stack outputs must be a JSON object`);
  const o = raw as Record<string, unknown>;
  if (o.hosts !== undefined && !Array.isArray(o.hosts))
    throw new OpsError(
      `${source}: outputs.hosts must be a list of hosts (got ${o.hosts === null ? 'null' : typeof o.hosts}); check the stack outputs`,
    );
  const hosts = (o.hosts ?? []) as unknown[];
  hosts.forEach((h, i) => validateHost(h, i, source));
  if (o.environment !== undefined && (typeof o.environment !== 'string' || !isStackName(o.environment)))
    throw new OpsError(
      `${source}: outputs.environment ${printable(o.environment)} is not a stack name (letters, digits, "_", "." and "-"); check the stack outputs`,
    );
  if (o.sshUser !== undefined && (typeof o.sshUser !== 'string' || !POSIX_USER.test(o.sshUser)))
    throw new OpsError(`${source}: outputs.sshUser ${printable(o.sshUser)} is not a POSIX user name`);
  if (o.sshPort !== undefined && !(typeof o.sshPort === 'number' && isPort(o.sshPort)))
    throw new OpsError(`${source}: outputs.sshPort ${printable(o.sshPort)} is not a port (1-65535)`);
  for (const key of ['marathonUrl', 'chronosUrl', 'mesosUiUrl'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw new OpsError(`${source}: outputs.${key} must be a string`);
    const problem = apiUrlProblem(v);
    if (problem !== undefined) throw new OpsError(`${source}: outputs.${key} ${printable(v)} ${problem}`);
  }
  for (const key of ['marathonCredentials', 'chronosCredentials', 'mesosCredentials'] as const) {
    const c = o[key] as Record<string, unknown> | undefined | null;
    if (c === undefined || c === null) continue;
    if (typeof c.username !== 'string' || typeof c.password !== 'string')
      throw new OpsError(
        `${source}: outputs.${key} must be {username, password} in plain text ` +
          '(read with --show-secrets; a "[secret]" placeholder cannot be used)',
      );
  }
  if (
    o.backupKey !== undefined &&
    (typeof o.backupKey !== 'string' || !/^[A-Za-z0-9]{32,}$/.test(o.backupKey))
  )
    throw new OpsError(
      `${source}: outputs.backupKey must be the generated key in plain text (read with --show-secrets)`,
    );
  const pem = o.edgeCaCertificate;
  if (
    pem !== undefined &&
    (typeof pem !== 'string' ||
      !/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n?$/.test(pem))
  )
    throw new OpsError(
      `${source}: outputs.edgeCaCertificate must be a PEM certificate; check the stack outputs`,
    );
  return { ...(o as unknown as StackOutputs), hosts: hosts as StackHost[] };
}

/** The backups' checksum key; stacks deployed before it existed have none. */
export function requireBackupKey(outputs: StackOutputs): string {
  if (outputs.backupKey === undefined)
    throw new OpsError(
      "the stack outputs have no backupKey (the key of the backups' checksums); run pulumi up with this release first",
    );
  return outputs.backupKey;
}

export function requireUrl(outputs: StackOutputs, key: 'marathonUrl' | 'chronosUrl'): string {
  const v = outputs[key];
  if (v === undefined || v === '')
    throw new OpsError(`the stack outputs have no ${key}; deploy the platform first (pulumi up)`);
  return v.replace(/\/+$/, '');
}

export type RoleSelector = 'master' | 'agent' | 'all';
export const ROLE_SELECTORS: readonly RoleSelector[] = ['master', 'agent', 'all'];

/** Hosts of a role, sorted by name, so output and restart order are stable. */
export function hostsWithRole(outputs: StackOutputs, role: RoleSelector): StackHost[] {
  return outputs.hosts
    .filter((h) => role === 'all' || h.roles.includes(role))
    .slice()
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
