import { spawn } from 'child_process';
import { readFileSync } from 'fs';
import { OpsError, UsageError, stringFlag, type ParsedArgs } from './cli-args';
import { HOST_KEY_LINE, POSIX_USER } from '../../components/model/read-values';

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

/** A DNS name or IPv4 address: labels of letters, digits and inner hyphens, never a leading "-". */
const HOST =
  '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*';
const HOST_ADDRESS = new RegExp(`^${HOST}$`);
const JUMP_HOST = new RegExp(`^${POSIX_USER.source.slice(1, -1)}@${HOST}(?::\\d{1,5})?$`);

export function validateOutputs(raw: unknown, source: string): StackOutputs {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new OpsError(`${source}: the stack outputs must be a JSON object`);
  const o = raw as Record<string, unknown>;
  const hosts = o.hosts ?? [];
  if (!Array.isArray(hosts)) throw new OpsError(`${source}: outputs.hosts must be an array`);
  hosts.forEach((h: unknown, i) => {
    const host = h as Record<string, unknown> | null;
    if (host === null || typeof host !== 'object' || typeof host.name !== 'string' || host.name === '')
      throw new OpsError(`${source}: outputs.hosts[${i}].name must be a non-empty string`);
    if (typeof host.address !== 'string' || host.address === '')
      throw new OpsError(`${source}: outputs.hosts[${i}] (${host.name}) needs an address`);
    if (!Array.isArray(host.roles) || !host.roles.every((r) => typeof r === 'string'))
      throw new OpsError(`${source}: outputs.hosts[${i}] (${host.name}).roles must be a list of roles`);
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
        throw new OpsError(
          `${source}: outputs.hosts[${i}] (${host.name}).${key} ${JSON.stringify(v)} is not ${what}; check the stack outputs`,
        );
    }
  });
  if (o.sshUser !== undefined && (typeof o.sshUser !== 'string' || !POSIX_USER.test(o.sshUser)))
    throw new OpsError(`${source}: outputs.sshUser ${JSON.stringify(o.sshUser)} is not a POSIX user name`);
  for (const key of ['marathonUrl', 'chronosUrl', 'sshUser', 'mesosUiUrl'] as const)
    if (o[key] !== undefined && typeof o[key] !== 'string')
      throw new OpsError(`${source}: outputs.${key} must be a string`);
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
  return o as unknown as StackOutputs;
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
