import { HOST_KEY_LINE } from '../model/read-values';
import { shellQuote } from './render-bootstrap';

/**
 * AWS: the host key in an instance's user data is a bootstrap key. EC2 shows user data to every principal that may
 * call DescribeInstanceAttribute (and, before the metadata guard, to every task), so once cloud-init is done the
 * program replaces that key over SSH, pinned to it, with a second key it generated: the private half goes through
 * the SSH session's stdin, never into user data. From then on every connection (the bootstrap, the Docker provider,
 * the `stars` CLI) pins the second key, and the first opens nothing.
 *
 * The command is idempotent (a host already serving the key only has it verified), checks the key it was sent
 * against its public half, keeps sshd's configuration valid (`sshd -t`) and reloads sshd (SIGHUP makes the listener
 * re-read its keys; sessions stay), verifies that sshd now serves the key, and puts the previous key back on any
 * failure.
 */

export interface RotationTarget {
  readonly keyFile: string;
  readonly pidFile: string;
  readonly sshdConfig: string;
  readonly port: number;
}

/** Where cloud-init puts the ed25519 host key and where Debian, Ubuntu and RHEL's sshd keep its pid. */
export const SSHD_TARGET: Omit<RotationTarget, 'port'> = {
  keyFile: '/etc/ssh/ssh_host_ed25519_key',
  pidFile: '/run/sshd.pid',
  sshdConfig: '/etc/ssh/sshd_config',
};

export function renderHostKeyRotation(publicKey: string, target: RotationTarget): string {
  const want = publicKey.trim().split(/\s+/).slice(0, 2).join(' ');
  if (!HOST_KEY_LINE.test(want) || !want.startsWith('ssh-ed25519 '))
    throw new Error(
      `the host key to install is not an ed25519 public key line: ${JSON.stringify(publicKey)}`,
    );
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535)
    throw new Error(`sshd port ${target.port} is not a port`);
  const q = shellQuote;
  return `set -eu
want=${q(want)}
key=${q(target.keyFile)}
fail() { echo "host key rotation: $*" >&2; exit 1; }
# SIGHUP makes sshd's listener re-read its keys; a socket-activated sshd has no pid file and reads them per connection.
reload() {
  if sudo test -s ${q(target.pidFile)}; then sudo kill -HUP "$(sudo cat ${q(target.pidFile)})"; fi
}
restore() {
  if sudo test -e "$key.stars-previous"; then
    sudo mv -f "$key.stars-previous" "$key"
    sudo mv -f "$key.pub.stars-previous" "$key.pub"
    reload
  fi
}
have="$(sudo cut -d' ' -f1,2 "$key.pub" 2>/dev/null || true)"
if [ "$have" != "$want" ]; then
  tmp="$(sudo mktemp "$key.stars.XXXXXX")"
  sudo sh -c 'umask 077 && cat >"$1"' sh "$tmp"
  if [ "$(sudo ssh-keygen -y -f "$tmp" | cut -d' ' -f1,2)" != "$want" ]; then
    sudo rm -f "$tmp"
    fail "the key sent does not match its public half"
  fi
  sudo cp -p "$key" "$key.stars-previous"
  sudo cp -p "$key.pub" "$key.pub.stars-previous"
  sudo mv -f "$tmp" "$key"
  printf '%s\\n' "$want" | sudo tee "$key.pub" >/dev/null
  sudo chmod 0644 "$key.pub"
  if command -v restorecon >/dev/null 2>&1; then sudo restorecon "$key" "$key.pub"; fi
  if ! sudo /usr/sbin/sshd -t -f ${q(target.sshdConfig)}; then
    restore
    fail "sshd refuses its configuration with the new key; the previous key is back"
  fi
  reload
fi
served=""
for _ in $(seq 1 50); do
  served="$(ssh-keyscan -T 2 -t ed25519 -p ${target.port} 127.0.0.1 2>/dev/null | awk '{print $2 " " $3}')"
  [ "$served" = "$want" ] && break
  sleep 0.2
done
if [ "$served" != "$want" ]; then
  restore
  fail "sshd does not serve the new key; the previous key is back"
fi
sudo rm -f "$key.stars-previous" "$key.pub.stars-previous"
echo "host key: $want"
`;
}
