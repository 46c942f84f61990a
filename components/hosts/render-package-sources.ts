import type { ClusterSpec, HostSpec, PackageSourcesSpec } from '../model/types';
import { secretRef } from '../plan/placeholders';
import { OS_DETECTION, PROXY_ENV_FILE, WRITE_IF_CHANGED, preamble, shellQuote } from './render-bootstrap';

/**
 * 05-package-sources.sh: the site's proxy and mirrors, in place before any step installs a package. Each file is
 * written only when it differs and removed when its setting is gone, so taking a proxy out of the config takes it
 * off the hosts too.
 */

export const APT_PROXY_FILE = '/etc/apt/apt.conf.d/90stars-proxy';
export const APT_MIRROR_FILE = '/etc/apt/sources.list.d/stars-mirror.list';
export const DNF_MIRROR_FILE = '/etc/yum.repos.d/stars-mirror.repo';
/** The distribution's own source files a mirror replaces (renamed, never deleted, so they can be put back). */
const DISABLED_SUFFIX = '.stars-disabled';

/** The secret placeholder the hosts layer fills with stars:proxyCredentials at deploy time. */
export const PROXY_CREDENTIALS_SECRET = 'proxy-credentials';

/**
 * The proxy URL as host files get it: with the login's placeholder when the proxy takes one (filled at deploy
 * time; plans and logs show the placeholder or the URL without it).
 */
export function proxyUrl(sources: PackageSourcesSpec): string | undefined {
  if (sources.proxy === undefined || !sources.proxyLogin) return sources.proxy;
  return sources.proxy.replace(/^(https?:\/\/)/, `$1${secretRef(PROXY_CREDENTIALS_SECRET)}@`);
}

/** What always bypasses the proxy: this host, every cluster host and the cluster's DNS domain; then the site's. */
export function noProxyList(spec: ClusterSpec): string[] {
  const cluster = ['localhost', '127.0.0.1', '::1', `.${spec.domain}`, ...spec.hosts.map((h) => h.address)];
  return [...new Set([...cluster, ...spec.packageSources.noProxy])];
}

/**
 * The proxy variables in both spellings (curl reads the lower-case ones, most other tools either), for the hosts'
 * proxy.env and the image builds alike; none without a proxy.
 */
export function proxyVariables(
  sources: PackageSourcesSpec,
  noProxy: readonly string[],
): [name: string, value: string][] {
  const proxy = proxyUrl(sources);
  if (proxy === undefined) return [];
  const np = noProxy.join(',');
  return [
    ['http_proxy', proxy],
    ['https_proxy', proxy],
    ['no_proxy', np],
    ['HTTP_PROXY', proxy],
    ['HTTPS_PROXY', proxy],
    ['NO_PROXY', np],
  ];
}

function proxyEnv(sources: PackageSourcesSpec, noProxy: readonly string[]): string {
  return proxyVariables(sources, noProxy)
    .map(([name, value]) => `${name}=${shellQuote(value)}`)
    .join('\n');
}

export function renderPackageSourcesScript(
  host: HostSpec,
  sources: PackageSourcesSpec,
  noProxy: readonly string[],
): string {
  const proxy = proxyUrl(sources);
  const aptProxy =
    proxy === undefined ? '' : `Acquire::http::Proxy "${proxy}";\nAcquire::https::Proxy "${proxy}";`;
  return `${preamble(host.name, '05-package-sources.sh', 'the proxy and mirrors packages and images come through')}${OS_DETECTION}${WRITE_IF_CHANGED}
# Writes $2 to $1 when it differs, removes $1 when $2 is empty; logs the change either way.
managed_file() {
  if [ -n "$2" ]; then
    install -d -m 0755 "$(dirname "$1")"
    if write_if_changed "$1" "$2"; then changed "wrote $1"; fi
  elif [ -e "$1" ]; then
    rm -f "$1"
    changed "removed $1"
  fi
}
# Renames the distribution's own source files out of the way of a mirror, or puts them back without one.
distribution_sources() {
  local want="$1" f
  shift
  for f in "$@"; do
    if [ "$want" = off ] && [ -e "$f" ]; then
      mv "$f" "$f${DISABLED_SUFFIX}"
      changed "disabled $f (the mirror replaces it)"
    elif [ "$want" = on ] && [ -e "$f${DISABLED_SUFFIX}" ]; then
      mv "$f${DISABLED_SUFFIX}" "$f"
      changed "restored $f"
    fi
  done
}

# The proxy's files are root-only: with a login (stars:proxyCredentials) they hold it.
umask 077
managed_file ${PROXY_ENV_FILE} ${shellQuote(proxyEnv(sources, noProxy))}
umask 022
PROXY=${shellQuote(proxy ?? '')}
PROXY_SHOWN=${shellQuote(sources.proxy ?? '')}
APT_MIRROR=${shellQuote(sources.aptMirror ?? '')}
DNF_MIRROR=${shellQuote(sources.dnfMirror ?? '')}
case "$OS_FAMILY" in
  debian)
    umask 077
    managed_file ${APT_PROXY_FILE} ${shellQuote(aptProxy)}
    umask 022
    if [ "$OS_ID" = ubuntu ]; then components="main universe"; else components=main; fi
    mirror_list=""
    if [ -n "$APT_MIRROR" ]; then
      # The mirror serves the release, its updates and its security updates under one base URL.
      mirror_list="# Managed by Stars (stars:packageSources.aptMirror).
deb $APT_MIRROR $OS_CODENAME $components
deb $APT_MIRROR $OS_CODENAME-updates $components
deb $APT_MIRROR $OS_CODENAME-security $components"
    fi
    managed_file ${APT_MIRROR_FILE} "$mirror_list"
    distribution_sources "$([ -n "$APT_MIRROR" ] && echo off || echo on)" /etc/apt/sources.list /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list.d/ubuntu.sources
    ;;
  rhel)
    if [ -n "$PROXY" ]; then
      if ! grep -qxF "proxy=$PROXY" /etc/dnf/dnf.conf; then
        sed -i '/^proxy=/d' /etc/dnf/dnf.conf
        sed -i "/^\\[main\\]/a proxy=$PROXY" /etc/dnf/dnf.conf
        changed "set the proxy ($PROXY_SHOWN) in /etc/dnf/dnf.conf"
      fi${
        sources.proxyLogin
          ? `
      # It holds the proxy's login: root only.
      chmod 0600 /etc/dnf/dnf.conf`
          : ''
      }
    elif grep -q '^proxy=' /etc/dnf/dnf.conf; then
      sed -i '/^proxy=/d' /etc/dnf/dnf.conf
      changed "removed the proxy from /etc/dnf/dnf.conf"
    fi
    repo=""
    if [ -n "$DNF_MIRROR" ]; then
      repo="# Managed by Stars (stars:packageSources.dnfMirror).
[stars-baseos]
name=BaseOS from the site mirror
baseurl=$DNF_MIRROR/\\$releasever/BaseOS/\\$basearch/os/
gpgcheck=1
enabled=1

[stars-appstream]
name=AppStream from the site mirror
baseurl=$DNF_MIRROR/\\$releasever/AppStream/\\$basearch/os/
gpgcheck=1
enabled=1"
    fi
    managed_file ${DNF_MIRROR_FILE} "$repo"
    shopt -s nullglob
    distribution_sources "$([ -n "$DNF_MIRROR" ] && echo off || echo on)" /etc/yum.repos.d/rocky*.repo /etc/yum.repos.d/almalinux*.repo
    ;;
esac
log "package sources: proxy \${PROXY_SHOWN:-none}, mirror \${APT_MIRROR:-\${DNF_MIRROR:-none}}"
`;
}
