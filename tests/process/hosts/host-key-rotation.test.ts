/**
 * The AWS host key rotation (render-host-key-rotation.ts) run as the program runs it: the rendered command over a
 * real SSH session pinned to the bootstrap key, the new private key on stdin, against a real sshd on loopback
 * whose host key file it replaces and which it reloads (SIGHUP). `sudo` is a pass-through: the test is root.
 */
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import * as path from 'path';
import {
  renderHostKeyRotation,
  type RotationTarget,
} from '../../../components/hosts/render-host-key-rotation';
import { pinnedHostKeyOptions } from '../../../components/hosts/ssh-options';
import { reportSkip } from '../../support/skips';
import { startSshd, type SshdFixture } from '../scripts/sshd-fixture';

const capable = process.getuid?.() === 0 && existsSync('/usr/sbin/sshd');
if (!capable) reportSkip('host key rotation tests: they need root and /usr/sbin/sshd');
const describeIf = capable ? describe : describe.skip;

let sshd: SshdFixture;
let keys = 0;

/** A fresh ed25519 key pair in the fixture's directory: [private key file, public key line]. */
function newKey(): [string, string] {
  const file = path.join(sshd.dir, `key-${(keys += 1)}`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', file]);
  return [file, readFileSync(`${file}.pub`, 'utf8').trim()];
}

const target = (): RotationTarget => ({
  keyFile: path.join(sshd.dir, 'host_key'),
  pidFile: path.join(sshd.dir, 'sshd.pid'),
  sshdConfig: path.join(sshd.dir, 'sshd_config'),
  port: sshd.port,
});
const served = (): string => readFileSync(path.join(sshd.dir, 'host_key.pub'), 'utf8').trim();

/** Runs `command` over SSH trusting only `pinned`, with `stdin`, as @pulumi/command's remote Command does. */
function overSsh(
  pinned: string,
  command: string,
  stdin = '',
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(
    'ssh',
    [
      '-F',
      '/dev/null',
      '-i',
      sshd.identityFile,
      '-p',
      String(sshd.port),
      '-o',
      'BatchMode=yes',
      ...pinnedHostKeyOptions('127.0.0.1', sshd.port, pinned),
      '--',
      `${sshd.user}@127.0.0.1`,
      command,
    ],
    { encoding: 'utf8', input: stdin, timeout: 60_000 },
  );
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const leftovers = (): string[] => readdirSync(sshd.dir).filter((f) => /\.stars/.test(f));

describeIf('rotating the bootstrap host key over SSH', () => {
  beforeAll(async () => {
    sshd = await startSshd();
    writeFileSync(path.join(sshd.dir, 'bin', 'sudo'), '#!/bin/sh\nexec "$@"\n', { mode: 0o755 });
  });
  afterAll(() => sshd.stop());

  test('the host then serves only the new key: the bootstrap key opens nothing, and nothing is left behind', () => {
    const boot = served();
    const [file, next] = newKey();
    const r = overSsh(boot, renderHostKeyRotation(next, target()), readFileSync(file, 'utf8'));
    expect(r).toEqual({ status: 0, stdout: `host key: ${next}\n`, stderr: '' });
    expect(served()).toBe(next);
    expect(statSync(path.join(sshd.dir, 'host_key')).mode & 0o777).toBe(0o600);
    expect(overSsh(boot, 'true').stderr).toContain('Host key verification failed.');
    expect(overSsh(next, 'true').status).toBe(0);
    expect(leftovers()).toEqual([]);
  });

  test('run again on a host that serves the key, it only verifies it (idempotent)', () => {
    const now = served();
    const r = overSsh(now, renderHostKeyRotation(now, target()));
    expect(r).toEqual({ status: 0, stdout: `host key: ${now}\n`, stderr: '' });
    expect(served()).toBe(now);
  });

  test('a private key that does not match the public key named is refused, and the host keeps its key', () => {
    const now = served();
    const [, named] = newKey();
    const [other] = newKey();
    const r = overSsh(now, renderHostKeyRotation(named, target()), readFileSync(other, 'utf8'));
    expect([r.status, r.stderr]).toEqual([
      1,
      'host key rotation: the key sent does not match its public half\n',
    ]);
    expect(served()).toBe(now);
    expect(overSsh(now, 'true').status).toBe(0);
    expect(leftovers()).toEqual([]);
  });

  test('when sshd would refuse its configuration, the previous key is put back and still served', () => {
    const now = served();
    const [file, next] = newKey();
    const broken = path.join(sshd.dir, 'broken_config');
    writeFileSync(broken, 'NoSuchKeyword yes\n');
    const r = overSsh(
      now,
      renderHostKeyRotation(next, { ...target(), sshdConfig: broken }),
      readFileSync(file, 'utf8'),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'host key rotation: sshd refuses its configuration with the new key; the previous key is back',
    );
    expect(served()).toBe(now);
    expect(overSsh(now, 'true').status).toBe(0);
    expect(leftovers()).toEqual([]);
  });

  test.each([
    ['an RSA key', 'ssh-rsa AAAAB3NzaC1yc2E='],
    ['a key line with shell syntax', "ssh-ed25519 AAAA'; reboot; '"],
  ])('%s is refused before any command is rendered', (_what, key) => {
    expect(() => renderHostKeyRotation(key, target())).toThrow(
      `the host key to install is not an ed25519 public key line: ${JSON.stringify(key)}`,
    );
  });
});
