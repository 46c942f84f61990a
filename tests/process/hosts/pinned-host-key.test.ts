/**
 * The Docker provider's ssh options for a pinned host key, given to the real OpenSSH client against a real sshd
 * on loopback: the pinned key is the only key trusted (a wrong one is refused, an old known_hosts entry for the
 * same address neither helps nor hurts), on a non-default port too.
 */
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { pinnedHostKeyOptions } from '../../../components/hosts/ssh-options';
import { startSshd, type SshdFixture } from '../scripts/sshd-fixture';

let sshd: SshdFixture;
beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(() => sshd.stop());

function ssh(options: string[], config = '/dev/null'): { status: number; stderr: string } {
  const r = spawnSync(
    'ssh',
    [
      '-F',
      config,
      '-i',
      sshd.identityFile,
      '-p',
      String(sshd.port),
      '-o',
      'BatchMode=yes',
      ...options,
      '--',
      `${sshd.user}@127.0.0.1`,
      'true',
    ],
    { encoding: 'utf8', timeout: 20_000 },
  );
  return { status: r.status ?? -1, stderr: r.stderr };
}

const hostKey = (): string => readFileSync(path.join(sshd.dir, 'host_key.pub'), 'utf8');
function otherKey(): string {
  const file = path.join(sshd.dir, 'other_key');
  if (!existsSync(file)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
  return readFileSync(`${file}.pub`, 'utf8');
}

describe('pinnedHostKeyOptions with the real ssh client', () => {
  test('the pinned key (with its comment and newline, as generated) is accepted', () => {
    expect(ssh(pinnedHostKeyOptions('127.0.0.1', sshd.port, hostKey()))).toEqual({ status: 0, stderr: '' });
  });

  test('another key is refused: host key verification fails', () => {
    const r = ssh(pinnedHostKeyOptions('127.0.0.1', sshd.port, otherKey()));
    expect(r.status).toBe(255);
    expect(r.stderr).toContain('Host key verification failed.');
  });

  test("the user's known_hosts is ignored: a stale entry for the address neither blocks nor replaces the pin", () => {
    // A user ssh config whose known_hosts holds another key for this address, as after an address is reused.
    const stale = path.join(sshd.dir, 'stale_known_hosts');
    writeFileSync(stale, `[127.0.0.1]:${sshd.port} ${otherKey()}`);
    const config = path.join(sshd.dir, 'user_config');
    writeFileSync(config, `Host *\n  UserKnownHostsFile ${stale}\n  StrictHostKeyChecking yes\n`);
    expect(ssh([], config).stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
    expect(ssh(pinnedHostKeyOptions('127.0.0.1', sshd.port, hostKey()), config)).toEqual({
      status: 0,
      stderr: '',
    });
  });

  test.each([
    ['a key line without base64', 'ssh-ed25519'],
    ['an unknown type', 'ssh-dss AAAAB3NzaC1kc3M='],
    ['a shell word in the key', 'ssh-ed25519 AAAA;touch'],
  ])('refuses %s before it reaches ssh', (_what, key) => {
    expect(() => pinnedHostKeyOptions('127.0.0.1', 22, key)).toThrow(
      'host key for 127.0.0.1 is not an OpenSSH public key line (ssh-ed25519 AAAA…)',
    );
  });
});
