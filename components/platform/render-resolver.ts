import { createHash } from 'crypto';

/**
 * Points a host's resolver at Mesos-DNS first, then the site resolvers, with the Mesos domain as search
 * domain. Hosts whose /etc/resolv.conf systemd-resolved owns get a drop-in; others get /etc/resolv.conf (backed
 * up once, restored on delete), which NetworkManager (Rocky/Alma) and dhclient (Debian with DHCP) are told to
 * leave alone: either would otherwise write it back at its next update or lease renewal. Both scripts are
 * idempotent: they rewrite only when the content differs.
 */

export const RESOLVER_FILES = {
  dropIn: '/etc/systemd/resolved.conf.d/stars-mesos-dns.conf',
  resolvConf: '/etc/resolv.conf',
  backup: '/etc/resolv.conf.stars-backup',
  /** NetworkManager.conf(5): `dns=none` leaves /etc/resolv.conf to others. */
  networkManager: '/etc/NetworkManager/conf.d/90-stars-dns.conf',
  /** dhclient-script(8): an enter hook may redefine make_resolv_conf. */
  dhclientHook: '/etc/dhcp/dhclient-enter-hooks.d/stars-mesos-dns',
} as const;

export interface ResolverInput {
  readonly hostName: string;
  /** Mesos-DNS servers (master addresses), tried first. */
  readonly mesosDnsServers: readonly string[];
  /** Site resolvers, after Mesos-DNS (which also forwards to them). */
  readonly upstream: readonly string[];
  readonly domain: string;
}

export function resolverNameservers(input: ResolverInput): string[] {
  return [...new Set([...input.mesosDnsServers, ...input.upstream])];
}

/**
 * Mesos-DNS only (it forwards every other name to the site resolvers): systemd-resolved keeps the server that
 * answered last, so a site resolver listed here would take the Mesos domain over after one Mesos-DNS timeout and
 * answer it "no such name" from then on.
 */
export function renderResolvedDropIn(input: ResolverInput): string {
  return ['[Resolve]', `DNS=${input.mesosDnsServers.join(' ')}`, `Domains=${input.domain}`, ''].join('\n');
}

/** glibc reads at most three nameservers; the Mesos-DNS servers come first and forward to the rest anyway. */
export function renderResolvConf(input: ResolverInput): string {
  return [
    `# Rendered by Stars for ${input.hostName}: Mesos-DNS first, then the site resolvers.`,
    `search ${input.domain}`,
    ...resolverNameservers(input).map((ns) => `nameserver ${ns}`),
    'options timeout:2 attempts:2',
    '',
  ].join('\n');
}

export function renderResolverScript(input: ResolverInput): string {
  const f = RESOLVER_FILES;
  return [
    '#!/bin/sh',
    `# Stars: point ${input.hostName} at Mesos-DNS (${input.mesosDnsServers.join(', ')}) first.`,
    'set -eu',
    // Running is not enough: the drop-in matters only where /etc/resolv.conf is resolved's own file.
    `case "$(readlink -f ${f.resolvConf})" in`,
    '*/run/systemd/resolve/*)',
    `  mkdir -p ${dirOf(f.dropIn)}`,
    `  cat > ${f.dropIn}.new <<'STARS_EOF'`,
    renderResolvedDropIn(input) + 'STARS_EOF',
    `  if cmp -s ${f.dropIn}.new ${f.dropIn}; then rm -f ${f.dropIn}.new; else`,
    `    mv ${f.dropIn}.new ${f.dropIn}`,
    '    systemctl restart systemd-resolved',
    '  fi',
    '  ;;',
    '*)',
    '  if systemctl is-active --quiet NetworkManager 2>/dev/null; then',
    `    mkdir -p ${dirOf(f.networkManager)}`,
    `    if ! grep -qx 'dns=none' ${f.networkManager} 2>/dev/null; then`,
    `      printf '[main]\\ndns=none\\n' > ${f.networkManager}`,
    '      systemctl reload NetworkManager',
    '    fi',
    '  fi',
    `  if [ -d ${dirOf(f.dhclientHook)} ] && [ ! -e ${f.dhclientHook} ]; then`,
    `    printf 'make_resolv_conf() { :; }\\n' > ${f.dhclientHook}`,
    '  fi',
    `  cat > ${f.resolvConf}.stars-new <<'STARS_EOF'`,
    renderResolvConf(input) + 'STARS_EOF',
    `  if cmp -s ${f.resolvConf}.stars-new ${f.resolvConf}; then rm -f ${f.resolvConf}.stars-new; else`,
    `    [ -e ${f.backup} ] || cp -P ${f.resolvConf} ${f.backup}`,
    `    mv ${f.resolvConf}.stars-new ${f.resolvConf}`,
    '  fi',
    '  ;;',
    'esac',
    '',
  ].join('\n');
}

/** Undoes the script: removes the drop-in, restores the original resolv.conf. */
export function renderResolverRestoreScript(): string {
  const f = RESOLVER_FILES;
  return [
    '#!/bin/sh',
    'set -eu',
    `if [ -e ${f.dropIn} ]; then rm -f ${f.dropIn}; systemctl restart systemd-resolved || true; fi`,
    `if [ -e ${f.networkManager} ]; then rm -f ${f.networkManager}; systemctl reload NetworkManager || true; fi`,
    `rm -f ${f.dhclientHook}`,
    `if [ -e ${f.backup} ] || [ -L ${f.backup} ]; then mv -f ${f.backup} ${f.resolvConf}; fi`,
    '',
  ].join('\n');
}

/** A command line that runs a script as root over SSH without quoting trouble. */
export function sudoScriptCommand(script: string): string {
  return `echo ${Buffer.from(script, 'utf8').toString('base64')} | base64 -d | sudo sh -s`;
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function dirOf(p: string): string {
  return p.slice(0, p.lastIndexOf('/'));
}
