import pLimit from 'p-limit';
import { pinnedHostKeyOptions } from '../../components/hosts/ssh-options';
import { shellQuote } from '../../components/hosts/render-bootstrap';
import { spawn } from 'child_process';
import {
  OpsError,
  intFlag,
  oneOf,
  stringFlag,
  type CommandIo,
  optionsHelp,
  type FlagSpec,
  type ParsedArgs,
} from './cli-args';
import type { StackHost, StackOutputs } from './stack-outputs';

/**
 * Remote execution through the system `ssh` binary: it honours the operator's ssh-agent, ~/.ssh/config,
 * jump hosts and known_hosts exactly as an interactive login would, which a JavaScript SSH client would not.
 */
export type HostKeyChecking = 'yes' | 'accept-new' | 'no';

export interface SshSettings {
  /** `--ssh-user`: wins over every host's own user. */
  readonly user?: string;
  /** The outputs' top-level sshUser, for hosts that carry none. */
  readonly defaultUser?: string;
  readonly port: number;
  readonly identityFile?: string;
  readonly knownHostsFile?: string;
  readonly strictHostKeyChecking: HostKeyChecking;
  readonly connectTimeoutSeconds: number;
}

export const SSH_FLAGS: Readonly<Record<string, FlagSpec>> = {
  'ssh-user': { type: 'string', value: 'user', help: "override every host's sshUser" },
  'ssh-port': {
    type: 'string',
    value: 'port',
    help: "default: outputs.sshPort, else 22 (a host's own sshPort wins)",
  },
  identity: { type: 'string', value: 'file', help: 'private key (default: ssh-agent and ~/.ssh/config)' },
  'known-hosts': { type: 'string', value: 'file', help: 'known_hosts file to check host keys against' },
  'strict-host-key-checking': { type: 'string', value: 'mode', help: 'yes (default), accept-new or no' },
  'connect-timeout': { type: 'string', value: 'seconds', help: 'default 10' },
};

export const SSH_USAGE = `ssh options (hosts, users, ports and jump hosts come from the outputs' hosts):
${optionsHelp(SSH_FLAGS)}`;

export function sshSettingsFrom(args: ParsedArgs, outputs: StackOutputs): SshSettings {
  const user = stringFlag(args, 'ssh-user');
  const defaultUser = outputs.sshUser;
  if (user === undefined && (defaultUser === undefined || defaultUser === '')) {
    const without = outputs.hosts.filter((h) => h.sshUser === undefined || h.sshUser === '');
    if (without.length > 0)
      throw new OpsError(
        `no SSH user for ${without.map((h) => h.name).join(', ')}: the stack outputs give no sshUser ` +
          'for these hosts and no top-level sshUser; pass --ssh-user <user>',
      );
  }
  const identityFile = stringFlag(args, 'identity');
  const knownHostsFile = stringFlag(args, 'known-hosts');
  return {
    ...(user !== undefined ? { user } : {}),
    ...(defaultUser !== undefined && defaultUser !== '' ? { defaultUser } : {}),
    port: intFlag(args, 'ssh-port', outputs.sshPort ?? 22, 1, 65535),
    ...(identityFile !== undefined ? { identityFile } : {}),
    ...(knownHostsFile !== undefined ? { knownHostsFile } : {}),
    strictHostKeyChecking: oneOf<HostKeyChecking>(
      args,
      'strict-host-key-checking',
      ['yes', 'accept-new', 'no'],
      'yes',
    ) as HostKeyChecking,
    connectTimeoutSeconds: intFlag(args, 'connect-timeout', 10, 1, 600),
  };
}

/** The login for one host: `--ssh-user`, else the host's own, else the outputs' top-level user. */
export function sshUserFor(host: StackHost, settings: SshSettings): string {
  const user = settings.user ?? host.sshUser ?? settings.defaultUser;
  if (user === undefined) throw new OpsError(`no SSH user for ${host.name}; pass --ssh-user <user>`);
  return user;
}

/** One argument as one word for the remote shell: plain words as they are, anything else single-quoted. */
export function shellWord(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : shellQuote(arg);
}

/** The `ssh` argument vector for one host; exported so the exact options are unit-tested. */
export function sshArgv(host: StackHost, settings: SshSettings, command: string): string[] {
  const argv = [
    '-o',
    'BatchMode=yes',
    '-o',
    `ConnectTimeout=${settings.connectTimeoutSeconds}`,
    // A host key pinned in the outputs is the only one trusted (unless checking is turned off on purpose).
    ...(host.hostKey !== undefined && settings.strictHostKeyChecking !== 'no'
      ? pinnedHostKeyOptions(host.publicAddress ?? host.address, host.sshPort ?? settings.port, host.hostKey)
      : ['-o', `StrictHostKeyChecking=${settings.strictHostKeyChecking}`]),
    '-o',
    'LogLevel=ERROR',
    '-p',
    String(host.sshPort ?? settings.port),
  ];
  if (settings.knownHostsFile !== undefined && host.hostKey === undefined)
    argv.push('-o', `UserKnownHostsFile=${settings.knownHostsFile}`);
  if (settings.identityFile !== undefined) argv.push('-i', settings.identityFile, '-o', 'IdentitiesOnly=yes');
  if (host.sshJumpHost !== undefined) argv.push('-J', host.sshJumpHost);
  // `--` before the destination: ssh stops reading options there, so no address can become one.
  argv.push('-l', sshUserFor(host, settings), '--', host.publicAddress ?? host.address, command);
  return argv;
}

export interface HostResult {
  readonly host: string;
  readonly code: number;
  readonly stdout: string;
}

/** Runs one command on one host; every output line is written prefixed by `[host] `. */
export function runOnHost(
  host: StackHost,
  command: string,
  settings: SshSettings,
  io: CommandIo,
  quiet = false,
): Promise<HostResult> {
  return new Promise((resolve) => {
    const child = spawn('ssh', sshArgv(host, settings, command), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const pipe = (stream: NodeJS.ReadableStream, write: (l: string) => void, keep: boolean): void => {
      let buf = '';
      stream.on('data', (d: Buffer) => {
        const s = d.toString();
        if (keep) stdout += s;
        buf += s;
        let nl: number;
        while ((nl = buf.indexOf('\n')) !== -1) {
          if (!quiet) write(`[${host.name}] ${buf.slice(0, nl)}`);
          buf = buf.slice(nl + 1);
        }
      });
      stream.on('end', () => {
        if (buf !== '' && !quiet) write(`[${host.name}] ${buf}`);
      });
    };
    pipe(child.stdout, io.out, true);
    pipe(child.stderr, io.err, false);
    child.on('error', (err: NodeJS.ErrnoException) => {
      io.err(
        err.code === 'ENOENT'
          ? `[${host.name}] the ssh client is not installed (apt-get install openssh-client)`
          : `[${host.name}] cannot start ssh: ${err.message}`,
      );
      resolve({ host: host.name, code: 127, stdout });
    });
    child.on('close', (code, signal) =>
      resolve({ host: host.name, code: code ?? (signal ? 128 : 1), stdout }),
    );
  });
}

/** Maps over items with at most `limit` in flight (p-limit); results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const slot = pLimit(Math.max(1, limit));
  return Promise.all(items.map((item) => slot(() => fn(item))));
}

/** Prints `host: exit N` per host and a one-line summary; returns the hosts that failed. */
export function summarize(results: readonly HostResult[], io: CommandIo): string[] {
  const failed = results.filter((r) => r.code !== 0).map((r) => r.host);
  io.out('summary:');
  for (const r of results) io.out(`  ${r.host}: ${r.code === 0 ? 'ok' : `exit ${r.code}`}`);
  io.out(`${results.length - failed.length}/${results.length} hosts succeeded`);
  return failed;
}
