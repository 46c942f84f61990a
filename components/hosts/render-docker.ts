import type { HostSpec, PackageSourcesSpec } from '../model/types';
import { OS_DETECTION, WRITE_IF_CHANGED, preamble, shellQuote } from './render-bootstrap';
import { proxyUrl } from './render-package-sources';

/**
 * 30-docker.sh: the Docker engine, from Docker's repository at the pinned version (vendor) or the operating
 * system's own package (distribution), with bounded logs, live-restore, the site's registry mirrors and, behind
 * a proxy, HTTP(S)_PROXY in the engine's environment (a systemd drop-in: the daemon reads no proxy file).
 */

/** Docker's own cgroup driver setting: pinned where the metadata guard tells containers apart by cgroup. */
export type CgroupDriver = 'cgroupfs';

/** daemon.json, by the serializer with a fixed key order. */
export function renderDaemonJson(sources: PackageSourcesSpec, cgroupDriver?: CgroupDriver): string {
  const config: Record<string, unknown> = {
    ...(cgroupDriver === undefined ? {} : { 'exec-opts': [`native.cgroupdriver=${cgroupDriver}`] }),
    'live-restore': true,
    'log-driver': 'json-file',
    'log-opts': { 'max-file': '5', 'max-size': '50m' },
  };
  if (sources.registryMirrors.length > 0) config['registry-mirrors'] = [...sources.registryMirrors];
  return JSON.stringify(config, null, 2);
}

/** The engine's proxy environment, root-only (a login may be in it). */
export const DOCKER_PROXY_ENV_FILE = '/etc/stars/docker-proxy.env';

/** The engine's proxy variables, or '' without a proxy (then the script removes the file and the drop-in). */
export function renderDockerProxyEnv(sources: PackageSourcesSpec, noProxy: readonly string[]): string {
  const proxy = proxyUrl(sources);
  if (proxy === undefined) return '';
  // An environment file, not Environment= lines: `systemctl show` prints those to any user, and systemd expands
  // %-specifiers in unit files (a URL-encoded password's %40), not here.
  return [`HTTP_PROXY=${proxy}`, `HTTPS_PROXY=${proxy}`, `NO_PROXY=${noProxy.join(',')}`].join('\n');
}

/** The engine's proxy drop-in, or '' without a proxy. */
export function renderDockerProxyDropIn(sources: PackageSourcesSpec): string {
  if (sources.proxy === undefined) return '';
  return `# Managed by Stars (stars:packageSources.proxy).\n[Service]\nEnvironmentFile=${DOCKER_PROXY_ENV_FILE}`;
}

function installVendor(): string {
  return `case "$OS_FAMILY" in
  debian)
    # shellcheck disable=SC2016 # \${Version} is a dpkg-query field, not a shell variable
    installed="$(dpkg-query -W -f='\${Version}' docker-ce 2>/dev/null || true)"
    wanted="5:$DOCKER_VERSION-1~$OS_ID.$OS_VERSION~$OS_CODENAME"
    if [ "$installed" != "$wanted" ]; then
      changed "installing docker-ce $wanted (found: \${installed:-none})"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -q
      apt-get install -y -q ca-certificates curl
      install -d -m 0755 /etc/apt/keyrings
      if [ ! -s /etc/apt/keyrings/docker.asc ]; then
        curl -fsSL "$DOCKER_REPO/linux/$OS_ID/gpg" -o /etc/apt/keyrings/docker.asc
        chmod a+r /etc/apt/keyrings/docker.asc
      fi
      repo="deb [arch=$(dpkg --print-architecture) signed-by=/etc/apt/keyrings/docker.asc] $DOCKER_REPO/linux/$OS_ID $OS_CODENAME stable"
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
      changed "installing docker-ce $DOCKER_VERSION (found: \${installed:-none})"
      dnf install -y -q dnf-plugins-core python3-dnf-plugin-versionlock
      if [ ! -f /etc/yum.repos.d/docker-ce.repo ]; then
        dnf config-manager --add-repo "$DOCKER_REPO/linux/centos/docker-ce.repo"
        # The repository file names download.docker.com; a mirror of it serves the same paths.
        sed -i "s#https://download.docker.com#$DOCKER_REPO#g" /etc/yum.repos.d/docker-ce.repo
      fi
      dnf versionlock delete docker-ce docker-ce-cli >/dev/null 2>&1 || true
      dnf install -y -q --allowerasing "docker-ce-$DOCKER_VERSION-1.el9" "docker-ce-cli-$DOCKER_VERSION-1.el9" containerd.io
      dnf versionlock add docker-ce docker-ce-cli >/dev/null
    fi
    ;;
esac`;
}

function installDistribution(): string {
  return `case "$OS_FAMILY" in
  debian)
    if ! dpkg-query -W -f='\${Status}' docker.io 2>/dev/null | grep -q 'ok installed'; then
      changed "installing docker.io from the distribution"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -q
      apt-get install -y -q docker.io
    fi
    ;;
  rhel)
    fail "$OS_ID ships no Docker engine package; set stars:packageSources.dockerEngine to vendor (Docker's repository, or a mirror of it in dockerRepository)"
    ;;
esac`;
}

export function renderDockerScript(
  host: HostSpec,
  dockerVersion: string,
  sources: PackageSourcesSpec,
  noProxy: readonly string[],
  sshUser?: string,
  cgroupDriver?: CgroupDriver,
): string {
  const userBlock =
    sshUser === undefined
      ? ''
      : `
# The Docker provider reaches the engine over SSH as this user, so it must be in the docker group.
DOCKER_USER=${shellQuote(sshUser)}
if id "$DOCKER_USER" >/dev/null 2>&1 && ! id -nG "$DOCKER_USER" | grep -qw docker; then
  usermod -aG docker "$DOCKER_USER"
  changed "added $DOCKER_USER to the docker group"
fi
`;
  const vendor = sources.dockerEngine === 'vendor';
  const check = vendor
    ? `[ "$running" = "$DOCKER_VERSION" ] || fail "Docker engine $running is running but $DOCKER_VERSION is pinned; check the package hold"
log "Docker engine $running is running"`
    : `log "Docker engine $running (the distribution's package; $DOCKER_VERSION is what the vendor engine would pin) is running"`;
  const dropIn = renderDockerProxyDropIn(sources);
  const proxyEnv = renderDockerProxyEnv(sources, noProxy);
  return `${preamble(host.name, '30-docker.sh', vendor ? 'the pinned Docker engine' : "the distribution's Docker engine")}${OS_DETECTION}${WRITE_IF_CHANGED}
DOCKER_VERSION=${shellQuote(dockerVersion)}
${vendor ? `DOCKER_REPO=${shellQuote(sources.dockerRepository)}\n` : ''}${vendor ? installVendor() : installDistribution()}

# Bounded container logs (the old hosts filled /var with them); live-restore keeps containers up across engine restarts.
DAEMON_JSON=${shellQuote(renderDaemonJson(sources, cgroupDriver))}
PROXY_DROP_IN=${shellQuote(dropIn)}
PROXY_ENV=${shellQuote(proxyEnv)}
DROP_IN=/etc/systemd/system/docker.service.d/90-stars-proxy.conf
PROXY_ENV_FILE=${DOCKER_PROXY_ENV_FILE}
install -d -m 0755 /etc/docker
daemon_changed=no
if write_if_changed /etc/docker/daemon.json "$DAEMON_JSON"; then
  daemon_changed=yes
  changed "wrote /etc/docker/daemon.json"
fi
if [ -n "$PROXY_DROP_IN" ]; then
  install -d -m 0755 "$(dirname "$DROP_IN")" "$(dirname "$PROXY_ENV_FILE")"
  if (umask 077 && write_if_changed "$PROXY_ENV_FILE" "$PROXY_ENV"); then
    daemon_changed=yes
    changed "wrote $PROXY_ENV_FILE"
  fi
  if write_if_changed "$DROP_IN" "$PROXY_DROP_IN"; then
    daemon_changed=yes
    changed "wrote $DROP_IN"
  fi
elif [ -e "$DROP_IN" ] || [ -e "$PROXY_ENV_FILE" ]; then
  rm -f "$DROP_IN" "$PROXY_ENV_FILE"
  daemon_changed=yes
  changed "removed $DROP_IN and $PROXY_ENV_FILE (no proxy is configured)"
fi
if [ "$daemon_changed" = yes ]; then systemctl daemon-reload; fi
if ! systemctl is-enabled --quiet docker || ! systemctl is-active --quiet docker; then
  systemctl enable --now docker
  changed "started the Docker engine"
elif [ "$daemon_changed" = yes ]; then
  systemctl restart docker
  changed "restarted the Docker engine for its new settings"
fi
${userBlock}
running="$(docker version --format '{{.Server.Version}}')"
${check}
${
  cgroupDriver === undefined
    ? ''
    : `driver="$(docker info --format '{{.CgroupDriver}}')"
[ "$driver" = ${cgroupDriver} ] || fail "the Docker engine uses the $driver cgroup driver; the metadata guard needs ${cgroupDriver} (/etc/docker/daemon.json exec-opts)"
`
}`;
}
