import { createHash } from 'crypto';

/**
 * Points a host's resolver at Mesos-DNS first, then the site resolvers, with the Mesos domain as search
 * domain. systemd-resolved hosts get a drop-in; others get /etc/resolv.conf (backed up once, restored on
 * delete). Both scripts are idempotent: they rewrite only when the content differs.
 */

export const RESOLVER_FILES = {
  dropIn: '/etc/systemd/resolved.conf.d/stars-mesos-dns.conf',
  resolvConf: '/etc/resolv.conf',
  backup: '/etc/resolv.conf.stars-backup',
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

export function renderResolvedDropIn(input: ResolverInput): string {
  return ['[Resolve]', `DNS=${resolverNameservers(input).join(' ')}`, `Domains=${input.domain}`, ''].join(
    '\n',
  );
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
    'if systemctl is-active --quiet systemd-resolved 2>/dev/null; then',
    `  mkdir -p ${dirOf(f.dropIn)}`,
    `  cat > ${f.dropIn}.new <<'STARS_EOF'`,
    renderResolvedDropIn(input) + 'STARS_EOF',
    `  if cmp -s ${f.dropIn}.new ${f.dropIn}; then rm -f ${f.dropIn}.new; else`,
    `    mv ${f.dropIn}.new ${f.dropIn}`,
    '    systemctl restart systemd-resolved',
    '  fi',
    'else',
    `  cat > ${f.resolvConf}.stars-new <<'STARS_EOF'`,
    renderResolvConf(input) + 'STARS_EOF',
    `  if cmp -s ${f.resolvConf}.stars-new ${f.resolvConf}; then rm -f ${f.resolvConf}.stars-new; else`,
    `    [ -e ${f.backup} ] || cp -P ${f.resolvConf} ${f.backup}`,
    `    mv ${f.resolvConf}.stars-new ${f.resolvConf}`,
    '  fi',
    'fi',
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
