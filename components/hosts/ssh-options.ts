import { SSH_PORT } from '../plan/port-matrix';
import { HOST_KEY_LINE } from '../model/read-values';

/**
 * ssh options that trust exactly one pinned host key, for the Docker provider (the docker CLI's ssh helper runs
 * the system `ssh` with these): the key comes from KnownHostsCommand (OpenSSH 8.5+) so no known_hosts file is
 * written anywhere, the user's and the system's known_hosts are ignored (an old entry for a reused address
 * must not interfere), and only the pinned key's algorithm is negotiated.
 */
export function pinnedHostKeyOptions(address: string, port: number, hostKey: string): string[] {
  // Generated keys carry a trailing newline and configured ones may carry a comment: type and base64 are the key.
  const key = hostKey.trim().split(/\s+/).slice(0, 2);
  if (!HOST_KEY_LINE.test(key.join(' ')))
    throw new Error(`host key for ${address} is not an OpenSSH public key line (ssh-ed25519 AAAA…)`);
  const name = port === SSH_PORT ? address : `[${address}]:${port}`;
  // rsa keys sign with the SHA-2 algorithms; the key line says ssh-rsa either way.
  const algorithms = key[0] === 'ssh-rsa' ? 'rsa-sha2-512,rsa-sha2-256' : key[0];
  return [
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    `KnownHostsCommand=/bin/echo ${name} ${key[0]} ${key[1]}`,
    '-o',
    `HostKeyAlgorithms=${algorithms}`,
  ];
}
