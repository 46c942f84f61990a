import type { AppHostDirectory } from '../plan/topology';
import type { HostSpec } from '../spec/types';

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

/** Where bootstrap scripts are installed on a host (outside /var, which AWS hosts remount). */
export const BOOTSTRAP_DIR = '/usr/local/lib/stars/bootstrap';

/** Filesystem label of the AWS data volume mounted on /var. */
export const VAR_VOLUME_LABEL = 'stars-var';

/** Kernel settings Mesos and Docker need; also written to /etc/sysctl.d/90-stars.conf. */
export const SYSCTL_SETTINGS: readonly (readonly [string, string])[] = [
  // Mesos and ZooKeeper latency suffers badly when the JVMs are swapped out.
  ['vm.swappiness', '1'],
  // Docker's bridge networking and published ports forward packets.
  ['net.ipv4.ip_forward', '1'],
  // Many containers each watching config and log files exhaust the small distribution defaults.
  ['fs.inotify.max_user_watches', '524288'],
  ['fs.inotify.max_user_instances', '8192'],
  ['fs.file-max', '1048576'],
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
[ "$(id -u)" -eq 0 ] || fail "must run as root (sudo)"
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
    log "created $dir"
  fi
  if [ "$(stat -c %u:%g "$dir")" != "$owner" ]; then
    chown "$owner" "$dir"
    log "$dir now owned by $owner"
  fi
  if [ "$(stat -c %a "$dir")" != "\${mode#0}" ]; then
    chmod "$mode" "$dir"
    log "$dir now has mode $mode"
  fi
}
${calls}
`;
}

/** Time sync, kernel settings, the data directories and (on agents) the app directories. */
export function renderSystemScript(host: HostSpec, appDirs: readonly AppHostDirectory[] = []): string {
  const sysctl = SYSCTL_SETTINGS.map(([k, v]) => `${k} = ${v}`).join('\n');
  const dirs = hostDirectories(host).join(' ');
  return `${preamble(host.name, '20-system.sh', 'time sync, kernel settings and data directories')}${OS_DETECTION}${WRITE_IF_CHANGED}
# ZooKeeper sessions and Mesos leases expire on clock skew, so every host runs chrony.
case "$OS_FAMILY" in
  debian)
    CHRONY_SERVICE=chrony
    if ! dpkg-query -W chrony >/dev/null 2>&1; then
      log "installing chrony"
      apt-get update -q
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q chrony
    fi
    ;;
  rhel)
    CHRONY_SERVICE=chronyd
    if ! rpm -q chrony >/dev/null 2>&1; then
      log "installing chrony"
      dnf install -y -q chrony
    fi
    ;;
esac
if ! systemctl is-enabled --quiet "$CHRONY_SERVICE" || ! systemctl is-active --quiet "$CHRONY_SERVICE"; then
  systemctl enable --now "$CHRONY_SERVICE"
fi
log "time sync by $CHRONY_SERVICE is enabled"

SYSCTL_CONF='# Managed by Stars (components/hosts/render-bootstrap.ts); local edits are overwritten.
${sysctl}'
if write_if_changed /etc/sysctl.d/90-stars.conf "$SYSCTL_CONF"; then
  log "wrote /etc/sysctl.d/90-stars.conf"
fi
while read -r key _ value; do
  if [ "$(sysctl -n "$key")" != "$value" ]; then
    sysctl -q -w "$key=$value"
    log "set $key = $value"
  fi
done < <(printf '%s\\n' "$SYSCTL_CONF" | grep -v '^#')

for dir in ${dirs}; do
  if [ ! -d "$dir" ]; then
    install -d -m 0755 -o root -g root "$dir"
    log "created $dir"
  fi
done
${renderAppDirectories(appDirs)}log "system settings are in place"
`;
}

/** The pinned Docker engine from Docker's own repository, held at that version, plus daemon settings. */
export function renderDockerScript(host: HostSpec, dockerVersion: string, sshUser?: string): string {
  const userBlock =
    sshUser === undefined
      ? ''
      : `
# The Docker provider reaches the engine over SSH as this user, so it must be in the docker group.
DOCKER_USER=${shellQuote(sshUser)}
if id "$DOCKER_USER" >/dev/null 2>&1 && ! id -nG "$DOCKER_USER" | grep -qw docker; then
  usermod -aG docker "$DOCKER_USER"
  log "added $DOCKER_USER to the docker group"
fi
`;
  return `${preamble(host.name, '30-docker.sh', 'the pinned Docker engine')}${OS_DETECTION}${WRITE_IF_CHANGED}
DOCKER_VERSION=${shellQuote(dockerVersion)}
case "$OS_FAMILY" in
  debian)
    # shellcheck disable=SC2016 # \${Version} is a dpkg-query field, not a shell variable
    installed="$(dpkg-query -W -f='\${Version}' docker-ce 2>/dev/null || true)"
    wanted="5:$DOCKER_VERSION-1~$OS_ID.$OS_VERSION~$OS_CODENAME"
    if [ "$installed" != "$wanted" ]; then
      log "installing docker-ce $wanted (found: \${installed:-none})"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -q
      apt-get install -y -q ca-certificates curl
      install -d -m 0755 /etc/apt/keyrings
      if [ ! -s /etc/apt/keyrings/docker.asc ]; then
        curl -fsSL "https://download.docker.com/linux/$OS_ID/gpg" -o /etc/apt/keyrings/docker.asc
        chmod a+r /etc/apt/keyrings/docker.asc
      fi
      repo="deb [arch=$(dpkg --print-architecture) signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/$OS_ID $OS_CODENAME stable"
      write_if_changed /etc/apt/sources.list.d/docker.list "$repo" || true
      apt-get update -q
      apt-mark unhold docker-ce docker-ce-cli >/dev/null 2>&1 || true
      apt-get install -y -q --allow-downgrades "docker-ce=$wanted" "docker-ce-cli=$wanted" containerd.io
      apt-mark hold docker-ce docker-ce-cli >/dev/null
    fi
    ;;
  rhel)
    installed="$(rpm -q --qf '%{VERSION}' docker-ce 2>/dev/null || true)"
    if [ "$installed" != "$DOCKER_VERSION" ]; then
      log "installing docker-ce $DOCKER_VERSION (found: \${installed:-none})"
      dnf install -y -q dnf-plugins-core python3-dnf-plugin-versionlock
      if [ ! -f /etc/yum.repos.d/docker-ce.repo ]; then
        dnf config-manager --add-repo https://download.docker.com/linux/centos/docker-ce.repo
      fi
      dnf versionlock delete docker-ce docker-ce-cli >/dev/null 2>&1 || true
      dnf install -y -q --allowerasing "docker-ce-$DOCKER_VERSION-1.el9" "docker-ce-cli-$DOCKER_VERSION-1.el9" containerd.io
      dnf versionlock add docker-ce docker-ce-cli >/dev/null
    fi
    ;;
esac

# Bounded container logs (the old hosts filled /var with them); live-restore keeps containers up across engine restarts.
DAEMON_JSON='{
  "live-restore": true,
  "log-driver": "json-file",
  "log-opts": { "max-file": "5", "max-size": "50m" }
}'
install -d -m 0755 /etc/docker
daemon_changed=no
if write_if_changed /etc/docker/daemon.json "$DAEMON_JSON"; then
  daemon_changed=yes
  log "wrote /etc/docker/daemon.json"
fi
if ! systemctl is-enabled --quiet docker || ! systemctl is-active --quiet docker; then
  systemctl enable --now docker
elif [ "$daemon_changed" = yes ]; then
  systemctl restart docker
fi
${userBlock}
running="$(docker version --format '{{.Server.Version}}')"
[ "$running" = "$DOCKER_VERSION" ] || fail "Docker engine $running is running but $DOCKER_VERSION is pinned; check the package hold"
log "Docker engine $running is running"
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
