/**
 * A real OpenSSH server on 127.0.0.1 for the ops command tests: throwaway host and user keys, a free high
 * port, and a fake `docker` first on the session PATH (authorized_keys `environment=`) that logs every call,
 * so the exact remote commands are asserted without a Docker engine.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer, type AddressInfo } from 'net';
import { tmpdir, userInfo } from 'os';
import * as path from 'path';

export const SSHD = '/usr/sbin/sshd';

export interface SshdFixture {
  readonly dir: string;
  readonly port: number;
  readonly user: string;
  readonly identityFile: string;
  readonly knownHostsFile: string;
  /** Lines the fake docker logged (`docker <args>`), in call order. */
  dockerCalls(): string[];
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The fake docker fails (exit 42) for containers named in $dir/fail-containers, one per line. */
const FAKE_DOCKER = (dir: string): string => `#!/bin/sh
echo "docker $*" >> ${dir}/docker.log
for arg in "$@"; do
  if [ -f ${dir}/fail-containers ] && grep -qx "$arg" ${dir}/fail-containers; then
    echo "Error response from daemon: No such container: $arg" >&2
    exit 42
  fi
done
echo "fake docker: $*"
`;

/** `sftp`: serve the SFTP subsystem too (sshd's built-in one), for clients such as restic's sftp backend. */
export async function startSshd(options: { readonly sftp?: boolean } = {}): Promise<SshdFixture> {
  if (!existsSync(SSHD))
    throw new Error(
      `${SSHD} not found: these tests need a real OpenSSH server (apt-get install openssh-server)`,
    );
  const dir = mkdtempSync(path.join(tmpdir(), 'stars-sshd-'));
  const keygen = (file: string): void => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, file)]);
  };
  keygen('host_key');
  keygen('user_key');
  mkdirSync(path.join(dir, 'bin'));
  writeFileSync(path.join(dir, 'bin', 'docker'), FAKE_DOCKER(dir));
  chmodSync(path.join(dir, 'bin', 'docker'), 0o755);
  const userPub = readFileSync(path.join(dir, 'user_key.pub'), 'utf8').trim();
  writeFileSync(
    path.join(dir, 'authorized_keys'),
    `environment="PATH=${dir}/bin:/usr/local/bin:/usr/bin:/bin" ${userPub}\n`,
  );
  const port = await freePort();
  writeFileSync(
    path.join(dir, 'sshd_config'),
    [
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `HostKey ${dir}/host_key`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      `PidFile ${dir}/sshd.pid`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin yes',
      'PermitUserEnvironment yes',
      ...(options.sftp === true ? ['Subsystem sftp internal-sftp'] : []),
      '',
    ].join('\n'),
  );
  const hostPub = readFileSync(path.join(dir, 'host_key.pub'), 'utf8').trim();
  writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub}\n`);
  // sshd refuses to start without its privilege separation directory (created by the service unit normally).
  if (!existsSync('/run/sshd') && process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true });
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const poll = (): void => {
      if (/Server listening/.test(log)) return resolve();
      if (child.exitCode !== null || Date.now() > deadline)
        return reject(new Error(`sshd did not start: ${log.trim() || `exit ${child.exitCode}`}`));
      setTimeout(poll, 50);
    };
    poll();
  });
  return {
    dir,
    port,
    user: userInfo().username,
    identityFile: path.join(dir, 'user_key'),
    knownHostsFile: path.join(dir, 'known_hosts'),
    dockerCalls: () =>
      existsSync(path.join(dir, 'docker.log'))
        ? readFileSync(path.join(dir, 'docker.log'), 'utf8').trim().split('\n').filter(Boolean)
        : [],
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
