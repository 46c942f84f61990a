import { LIBPROCESS_EPHEMERAL_PORTS } from '../plan/port-matrix';
import type { AppHostDirectory } from '../plan/topology';
import type { HostSpec } from '../model/types';

/**
 * Bootstrap scripts for a cluster host, rendered as plain text so `npm run plan` can show them and tests can
 * pin them. Every script is self-contained (own OS detection), runs as root, is idempotent (check, then act)
 * and fails with the host name in the message. The same scripts run over SSH (on-premises), from cloud-init
 * (AWS) and again over SSH on AWS whenever their content changes.
 */

export interface BootstrapScript {
  /** File name, e.g. `10-preflight.sh`; scripts run in file-name order. */
  readonly file: string;
  readonly content: string;
}

/** Free space `/var` must have: Docker images, ZooKeeper snapshots and Mesos sandboxes all live there. */
export const VAR_MIN_FREE_GB = 50;

/** Proxy variables for the steps' own downloads; absent when no proxy is configured. */
export const PROXY_ENV_FILE = '/etc/stars/proxy.env';

/** Where bootstrap scripts are installed on a host (outside /var, which AWS hosts remount). */
export const BOOTSTRAP_DIR = '/usr/local/lib/stars/bootstrap';

/** Filesystem label of the AWS data volume mounted on /var. */
export const VAR_VOLUME_LABEL = 'stars-var';

/**
 * Kernel settings Mesos and Docker need; also written to /etc/sysctl.d/90-stars.conf. A `min` setting is a floor:
 * a host already above it keeps its own value (lowering fs.file-max on a big machine would do harm).
 */
export const SYSCTL_SETTINGS: readonly (readonly [string, 'exact' | 'min', string])[] = [
  // Mesos and ZooKeeper latency suffers badly when the JVMs are swapped out.
  ['vm.swappiness', 'exact', '1'],
  // Docker's bridge networking and published ports forward packets.
  ['net.ipv4.ip_forward', 'exact', '1'],
  // Many containers each watching config and log files exhaust the small distribution defaults.
  ['fs.inotify.max_user_watches', 'min', '524288'],
  ['fs.inotify.max_user_instances', 'min', '8192'],
  ['fs.file-max', 'min', '1048576'],
  // Linux's default, pinned: Spark drivers' libprocess binds here and the firewall opens exactly this range.
  [
    'net.ipv4.ip_local_port_range',
    'exact',
    `${LIBPROCESS_EPHEMERAL_PORTS.from} ${LIBPROCESS_EPHEMERAL_PORTS.to}`,
  ],
];

/** Data directories every host needs; the platform layer bind-mounts these into its containers. */
export function hostDirectories(host: HostSpec): string[] {
  const dirs = ['/var/lib/mesos', '/var/lib/stars', '/var/log/mesos'];
  if (host.roles.includes('master')) dirs.push('/var/lib/zookeeper', '/var/log/zookeeper');
  return dirs.sort();
}

/** Quotes a value for bash single quotes. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function preamble(host: string, file: string, purpose: string): string {
  return `#!/usr/bin/env bash
# Stars bootstrap ${file} for host ${host}: ${purpose}
# Rendered by components/hosts/render-bootstrap.ts; safe to re-run (every step checks before it acts).
set -euo pipefail

HOST_NAME=${shellQuote(host)}
log() { printf 'stars bootstrap [%s] %s\\n' "$HOST_NAME" "$*"; }
fail() {
  printf 'stars bootstrap [%s] ERROR: %s\\n' "$HOST_NAME" "$*" >&2
  exit 1
}
# Logs a change to the host; the bundle counts them, so a run that changes nothing says so.
changed() {
  log "$*"
  if [ -n "\${STARS_CHANGES:-}" ]; then printf '%s\\n' "$*" >>"$STARS_CHANGES"; fi
}
[ "$(id -u)" -eq 0 ] || fail "must run as root (sudo)"
# The site's proxy (stars:packageSources, written by 05-package-sources.sh) for apt, dnf and curl.
if [ -r ${PROXY_ENV_FILE} ]; then
  set -a
  # shellcheck source=/dev/null # written on the host by 05-package-sources.sh
  . ${PROXY_ENV_FILE}
  set +a
fi
`;
}

/** Sets OS_FAMILY (debian|rhel), OS_ID, OS_VERSION and, for Debian/Ubuntu, OS_CODENAME. */
export const OS_DETECTION = `
os_field() { sed -n "s/^$1=//p" /etc/os-release | tr -d '"' | head -n 1; }
[ -r /etc/os-release ] || fail "/etc/os-release is missing; supported systems: Debian 12, Ubuntu 22.04/24.04, Rocky Linux 9, AlmaLinux 9"
OS_ID="$(os_field ID)"
OS_VERSION="$(os_field VERSION_ID)"
OS_CODENAME=""
case "$OS_ID:$OS_VERSION" in
  debian:12) OS_FAMILY=debian; OS_CODENAME=bookworm ;;
  ubuntu:22.04) OS_FAMILY=debian; OS_CODENAME=jammy ;;
  ubuntu:24.04) OS_FAMILY=debian; OS_CODENAME=noble ;;
  rocky:9 | rocky:9.* | almalinux:9 | almalinux:9.*) OS_FAMILY=rhel ;;
  *) fail "unsupported operating system $OS_ID $OS_VERSION; supported systems: Debian 12, Ubuntu 22.04/24.04, Rocky Linux 9, AlmaLinux 9" ;;
esac
log "detected $OS_ID $OS_VERSION\${OS_CODENAME:+ $OS_CODENAME} ($OS_FAMILY family)"
`;

export const WRITE_IF_CHANGED = `
# Writes $2 to $1 unless the file already holds exactly that; succeeds only when it wrote.
write_if_changed() {
  if [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; then
    return 1
  fi
  printf '%s\\n' "$2" >"$1"
}
`;

/** Checks that need no changes to the host: supported OS, systemd, cgroup controllers and /var space. */
export function renderPreflightScript(host: HostSpec): string {
  return `${preamble(host.name, '10-preflight.sh', 'checks the host before anything is installed')}${OS_DETECTION}
[ -d /run/systemd/system ] || fail "systemd is not running; Docker and chrony are managed as systemd services"

# Mesos and Docker limit containers through the cpu and memory cgroup controllers.
if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
  for controller in cpu memory; do
    grep -qw "$controller" /sys/fs/cgroup/cgroup.controllers ||
      fail "cgroup v2 controller $controller is not enabled; check the kernel command line (cgroup_disable=...)"
  done
  log "cgroup v2 with cpu and memory controllers"
else
  for controller in cpu memory; do
    [ -d "/sys/fs/cgroup/$controller" ] ||
      fail "cgroup v1 controller $controller is not mounted under /sys/fs/cgroup"
  done
  log "cgroup v1 with cpu and memory controllers"
fi

VAR_MIN_FREE_GB=${VAR_MIN_FREE_GB}
var_free_gb="$(df -Pk /var | awk 'NR == 2 { print int($4 / 1048576) }')"
if [ "$var_free_gb" -lt "$VAR_MIN_FREE_GB" ]; then
  fail "host $HOST_NAME: /var has $var_free_gb GB free but needs at least $VAR_MIN_FREE_GB GB (Docker images, ZooKeeper and Mesos data); grow /var or mount a larger disk on /var, then re-run the bootstrap"
fi
log "/var has $var_free_gb GB free (at least $VAR_MIN_FREE_GB GB needed)"
`;
}

/** Creates app directories with their owner and mode, and puts back an owner or mode that drifted. */
function renderAppDirectories(dirs: readonly AppHostDirectory[]): string {
  if (dirs.length === 0) return '';
  const calls = dirs.map((d) => `app_dir ${shellQuote(d.path)} ${d.uid}:${d.gid} ${d.mode}`).join('\n');
  return `
# App containers write these through hostPath volumes, as the users their images run as.
app_dir() {
  local dir="$1" owner="$2" mode="$3"
  if [ ! -d "$dir" ]; then
    install -d -m "$mode" -o "\${owner%:*}" -g "\${owner#*:}" "$dir"
    changed "created $dir"
  fi
  # With what is in it: an app whose image changed user (Blazegraph and Lightning ran as root) keeps its data.
  if [ "$(stat -c %u:%g "$dir")" != "$owner" ]; then
    chown -R "$owner" "$dir"
    changed "$dir now owned by $owner"
  fi
  if [ "$(stat -c %a "$dir")" != "\${mode#0}" ]; then
    chmod "$mode" "$dir"
    changed "$dir now has mode $mode"
  fi
}
${calls}
`;
}

/** Time sync, kernel settings, the data directories and (on agents) the app directories. */
export function renderSystemScript(host: HostSpec, appDirs: readonly AppHostDirectory[] = []): string {
  const sysctl = SYSCTL_SETTINGS.map((setting) => setting.join(' ')).join('\n');
  const dirs = hostDirectories(host).join(' ');
  return `${preamble(host.name, '20-system.sh', 'time sync, kernel settings and data directories')}${OS_DETECTION}${WRITE_IF_CHANGED}
# ZooKeeper sessions and Mesos leases expire on clock skew, so every host runs chrony.
case "$OS_FAMILY" in
  debian)
    CHRONY_SERVICE=chrony
    if ! dpkg-query -W chrony >/dev/null 2>&1; then
      changed "installing chrony"
      apt-get update -q
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q chrony
    fi
    ;;
  rhel)
    CHRONY_SERVICE=chronyd
    if ! rpm -q chrony >/dev/null 2>&1; then
      changed "installing chrony"
      dnf install -y -q chrony
    fi
    ;;
esac
# In a container the clock is its host's: chrony is enabled, and its unit runs only where it may set the clock.
IN_CONTAINER=no
if systemd-detect-virt --container --quiet; then IN_CONTAINER=yes; fi
if ! systemctl is-enabled --quiet "$CHRONY_SERVICE"; then
  systemctl enable --now "$CHRONY_SERVICE"
  changed "enabled $CHRONY_SERVICE"
elif [ "$IN_CONTAINER" = no ] && ! systemctl is-active --quiet "$CHRONY_SERVICE"; then
  systemctl start "$CHRONY_SERVICE"
  changed "started $CHRONY_SERVICE"
fi
log "time sync by $CHRONY_SERVICE is enabled"

SYSCTL_WANTED='${sysctl}'
SYSCTL_CONF='# Managed by Stars (components/hosts/render-bootstrap.ts); local edits are overwritten.'
while read -r key how value; do
  # Two-number settings print tab-separated; compare them as the table writes them.
  current="$(sysctl -n "$key" | tr -s '[:space:]' ' ')"
  current="\${current% }"
  if [ "$how" = min ] && [ "$current" -gt "$value" ]; then value="$current"; fi
  SYSCTL_CONF="$SYSCTL_CONF
$key = $value"
  if [ "$current" != "$value" ]; then
    if [ "$IN_CONTAINER" = yes ] && [ ! -w "/proc/sys/\${key//.//}" ]; then
      # Not namespaced, or /proc/sys is read-only: the setting belongs to the machine the container runs on.
      log "WARNING: $key is $current here and $value is wanted; in a container it is the container host's to set"
      continue
    fi
    sysctl -q -w "$key=$value"
    changed "set $key = $value"
  fi
done <<<"$SYSCTL_WANTED"
if write_if_changed /etc/sysctl.d/90-stars.conf "$SYSCTL_CONF"; then
  changed "wrote /etc/sysctl.d/90-stars.conf"
fi

for dir in ${dirs}; do
  if [ ! -d "$dir" ]; then
    install -d -m 0755 -o root -g root "$dir"
    changed "created $dir"
  fi
done
${renderAppDirectories(appDirs)}log "system settings are in place"
`;
}

/**
 * AWS only: formats the attached data volume (first boot), copies the AMI's /var onto it and mounts it on /var.
 * A volume that already carries the label (instance replaced, volume kept) is mounted as it is.
 */
export function renderVarVolumeScript(host: HostSpec): string {
  return `${preamble(host.name, '00-var-volume.sh', 'mounts the data volume on /var')}
LABEL=${VAR_VOLUME_LABEL}
if [ "$(findmnt -n -o LABEL /var 2>/dev/null || true)" = "$LABEL" ]; then
  log "/var is already the $LABEL volume"
  exit 0
fi

# The root disk is the parent of whatever holds /; the data volume is the other, still blank, disk.
blank_disk() {
  local root_disk dev
  root_disk="$(lsblk -no PKNAME "$(findmnt -n -o SOURCE /)" | head -n 1)"
  for dev in $(lsblk -dnpo NAME,TYPE | awk '$2 == "disk" { print $1 }'); do
    [ "$(basename "$dev")" = "$root_disk" ] && continue
    if [ "$(lsblk -no NAME "$dev" | wc -l)" -eq 1 ] && [ -z "$(lsblk -no FSTYPE "$dev" | tr -d '[:space:]')" ]; then
      echo "$dev"
      return 0
    fi
  done
}

device=""
for _ in $(seq 1 60); do
  device="$(blkid -L "$LABEL" || true)"
  [ -n "$device" ] && break
  device="$(blank_disk)"
  [ -n "$device" ] && break
  sleep 5
done
[ -n "$device" ] || fail "no data volume for /var appeared within 300 s; check the volume attachment of host $HOST_NAME"

if [ "$(blkid -o value -s LABEL "$device" 2>/dev/null || true)" != "$LABEL" ]; then
  log "formatting $device for /var"
  mkfs.ext4 -q -L "$LABEL" "$device"
  install -d /mnt/stars-var
  mount "$device" /mnt/stars-var
  cp -a /var/. /mnt/stars-var/
  umount /mnt/stars-var
fi
if ! grep -q "^LABEL=$LABEL " /etc/fstab; then
  printf 'LABEL=%s /var ext4 defaults,nofail 0 2\\n' "$LABEL" >>/etc/fstab
fi
mount /var
# journald keeps writing to the hidden /var/log until it reopens its files.
systemctl restart systemd-journald
log "mounted $device on /var"
`;
}

/**
 * The local trial host: Pulumi's own machine, checked only. Docker must answer; a small /var is a warning, not an
 * error, because a trial on a laptop is still useful.
 */
export function renderLocalCheckScript(host: HostSpec, dockerVersion: string): string {
  return `#!/usr/bin/env bash
# Stars check.sh for the local host ${host.name}: the Docker engine answers and /var has room.
# Rendered by components/hosts/render-bootstrap.ts; read-only, safe to re-run.
set -euo pipefail

log() { printf 'stars check [%s] %s\\n' ${shellQuote(host.name)} "$*"; }
if ! running="$(docker version --format '{{.Server.Version}}' 2>/dev/null)"; then
  printf 'stars check [%s] ERROR: %s\\n' ${shellQuote(host.name)} "cannot reach the Docker engine at /var/run/docker.sock; start Docker and make sure this user may use it" >&2
  exit 1
fi
log "Docker engine $running answers"
if [ "$running" != ${shellQuote(dockerVersion)} ]; then
  log "WARNING: Docker $running differs from the pinned ${dockerVersion}; the trial still runs"
fi
VAR_MIN_FREE_GB=${VAR_MIN_FREE_GB}
var_free_gb="$(df -Pk /var | awk 'NR == 2 { print int($4 / 1048576) }')"
if [ "$var_free_gb" -lt "$VAR_MIN_FREE_GB" ]; then
  log "WARNING: /var has $var_free_gb GB free; clusters need $VAR_MIN_FREE_GB GB, a trial may run out of space"
else
  log "/var has $var_free_gb GB free"
fi
`;
}
