import { distance as levenshtein } from 'fastest-levenshtein';
import ipaddr from 'ipaddr.js';
import tlds from 'tlds';
import type { IssueList } from './issues';

/**
 * Typed readers over raw config values. Pulumi hands config over as strings, tests and benchmarks hand over
 * typed values; both are accepted. Each reader records an issue and returns undefined on bad input.
 */

export type Raw = unknown;

const PUBLIC_TLDS: ReadonlySet<string> = new Set(tlds);

/** Every character outside printable ASCII as `\\uXXXX`, so text from a file or an API cannot act on a terminal. */
export function escapeText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Values are quoted in messages at most this long; the rest is counted, not shown. */
const SHOWN_CHARACTERS = 80;

/**
 * A value as an error message shows it: JSON-quoted, every character outside printable ASCII escaped (a look-alike
 * letter shows as \\u0131, a terminal escape cannot act), and a long value cut with its length named.
 */
export function describe(value: Raw): string {
  const escaped = escapeText(JSON.stringify(value) ?? String(value));
  return escaped.length <= SHOWN_CHARACTERS
    ? escaped
    : `${escaped.slice(0, SHOWN_CHARACTERS)}... (${typeof value === 'string' ? value.length : escaped.length} characters)`;
}

/** The longest string any setting takes: keys, addresses, URLs and names are far shorter. */
export const MAX_STRING_LENGTH = 4096;

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

export function readString(issues: IssueList, path: string, value: Raw): string | undefined {
  if (typeof value === 'string' && value.length > MAX_STRING_LENGTH) {
    issues.add(
      path,
      `${describe(value)} is longer than any setting takes (at most ${MAX_STRING_LENGTH} characters)`,
    );
    return undefined;
  }
  if (typeof value === 'string') return value;
  issues.add(path, `${describe(value)} is not a string; quote the value`);
  return undefined;
}

export function readInteger(issues: IssueList, path: string, value: Raw): number | undefined {
  // At most 15 digits: a longer string is no count, port or size anyone means, and loses precision.
  const n = typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim()) ? Number(value) : value;
  if (typeof n === 'number' && Number.isSafeInteger(n)) return n;
  issues.add(path, `${describe(value)} is not a whole number`);
  return undefined;
}

export function readNumber(issues: IssueList, path: string, value: Raw): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  issues.add(path, `${describe(value)} is not a number`);
  return undefined;
}

export function readBoolean(issues: IssueList, path: string, value: Raw): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  issues.add(path, `${describe(value)} is not a boolean; use true or false`);
  return undefined;
}

/** Arrays and objects arrive from Pulumi as JSON text. */
export function readArray(issues: IssueList, path: string, value: Raw): unknown[] | undefined {
  const v = typeof value === 'string' ? parseJson(value) : value;
  if (Array.isArray(v)) return v;
  issues.add(path, `${describe(value)} is not a list; write a YAML list`);
  return undefined;
}

export function readStringArray(issues: IssueList, path: string, value: Raw): string[] | undefined {
  const items = readArray(issues, path, value);
  if (items === undefined) return undefined;
  const out: string[] = [];
  let ok = true;
  items.forEach((item, i) => {
    if (typeof item === 'string') out.push(item);
    else {
      issues.add(`${path}[${i}]`, `${describe(item)} is not a string`);
      ok = false;
    }
  });
  return ok ? out : undefined;
}

export function readObject(
  issues: IssueList,
  path: string,
  value: Raw,
  knownKeys: readonly string[],
): Record<string, unknown> | undefined {
  const v = typeof value === 'string' ? parseJson(value) : value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    issues.add(path, `${describe(value)} is not a mapping; write key: value pairs`);
    return undefined;
  }
  const obj = v as Record<string, unknown>;
  for (const key of Object.keys(obj).sort()) {
    if (!knownKeys.includes(key)) {
      // A key is shown as it is only when it is a plain short word; anything else quoted and escaped.
      const plain = /^[A-Za-z0-9_.-]{1,64}$/.test(key);
      issues.add(
        plain ? `${path}.${key}` : `${path}[${describe(key)}]`,
        `unknown key${plain ? suggest(key, knownKeys) : ''}; known keys: ${knownKeys.join(', ')}`,
      );
    }
  }
  return obj;
}

/** ` (did you mean "x"?)` for a near miss, else empty. */
export function suggest(word: string, candidates: readonly string[]): string {
  const lower = word.toLowerCase();
  const prefixed = candidates.filter((c) => lower.length >= 3 && c.toLowerCase().startsWith(lower));
  if (prefixed.length === 1) return ` (did you mean "${prefixed[0]}"?)`;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3))
    ? ` (did you mean "${best}"?)`
    : '';
}

/**
 * Why an IPv4 address cannot be a cluster host's, or undefined: ipaddr.js's ranges (RFC 6890). Loopback only where
 * the one host is this machine (mode local).
 */
export function hostAddressProblem(address: string, allowLoopback: boolean): string | undefined {
  const range = ipaddr.IPv4.parse(address).range();
  const problems: Record<string, string> = {
    unspecified: 'is the unspecified address (it means "any", not a host)',
    broadcast: 'is the broadcast address',
    multicast: 'is a multicast address',
    linkLocal: 'is link-local (169.254.0.0/16: not routed, and on AWS the metadata service)',
    reserved: 'is in a reserved range (240.0.0.0/4)',
    ...(allowLoopback
      ? {}
      : { loopback: 'is a loopback address: it names the machine that reads it, not this host' }),
  };
  return problems[range];
}

/** Strict dotted-decimal IPv4 (four parts, no leading zeros or octal), by ipaddr.js. */
export function isIPv4(value: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(value);
}

export function isCidr(value: string): boolean {
  const [ip, bits, ...rest] = value.split('/');
  // No leading zeros: "10.0.0.0/08" is not how anyone means /8.
  if (rest.length !== 0 || bits === undefined || !/^(0|[1-9]\d?)$/.test(bits) || !isIPv4(ip)) return false;
  try {
    ipaddr.IPv4.parseCIDR(value);
    return true;
  } catch {
    return false;
  }
}

/** RFC 1123 label: what host names, Mesos-DNS labels and resource names can all carry. */
/** Names that are not the cluster's to serve: RFC 6761 special-use names and mDNS's `local` (RFC 6762). */
const SPECIAL_USE_DOMAINS = ['invalid', 'local', 'localhost', 'onion'];
/** The cluster domain leaves room for the longest names built under it (`<app>.marathon.<domain>`) in DNS's 253. */
export const MAX_CLUSTER_DOMAIN_LENGTH = 180;

/**
 * Why a domain cannot be the cluster's Mesos-DNS domain, or undefined. Cluster hosts send every name under it to
 * Mesos-DNS, so a top-level domain of the Internet (IANA's list, the `tlds` package) would take all of that TLD.
 */
export function clusterDomainProblem(domain: string): string | undefined {
  if (domain.length > MAX_CLUSTER_DOMAIN_LENGTH)
    return `is ${domain.length} characters; at most ${MAX_CLUSTER_DOMAIN_LENGTH} leave room for the names built under it`;
  if (SPECIAL_USE_DOMAINS.includes(domain))
    return 'is a special-use name (RFC 6761/6762) the hosts already resolve otherwise; use a name of your own such as "mesos"';
  if (PUBLIC_TLDS.has(domain))
    return 'is a top-level domain of the Internet: the hosts would send every name under it to Mesos-DNS; use a name that is not one, such as "mesos", or a subdomain of your own (cluster.example.org)';
  return undefined;
}

export function isDnsLabel(value: string): boolean {
  return /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(value);
}

/** POSIX portable user names (useradd's default rule): users reach cloud-init, sudoers and ssh argv. */
export const POSIX_USER = /^[a-z_][a-z0-9_-]{0,31}$/;

/**
 * An OpenSSH public host key line without comment (`ssh-ed25519 AAAA…`), as pinned in config, exported in the
 * stack outputs and handed to ssh: one pattern for all three, since the value ends up on an ssh command line.
 */
export const HOST_KEY_LINE = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+=*$/;

export function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** Keeps `v` only if it is one of `allowed`; otherwise records the problem with a near-miss suggestion. */
export function oneOf<T extends string>(
  issues: IssueList,
  path: string,
  v: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (v === undefined) return undefined;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  issues.add(path, `${describe(v)} is not one of ${allowed.join(', ')}${suggest(v, allowed)}`);
  return undefined;
}

/** Keeps the whole list only if every item passes `ok`; each failing item is recorded under its index. */
export function checkEach(
  issues: IssueList,
  path: string,
  values: string[] | undefined,
  ok: (v: string) => boolean,
  problem: string,
): string[] | undefined {
  if (values === undefined) return undefined;
  let good = true;
  values.forEach((v, i) => {
    if (!ok(v)) {
      issues.add(`${path}[${i}]`, `${describe(v)} ${problem}`);
      good = false;
    }
  });
  return good ? values : undefined;
}

/** The narrowest prefix an admin range may have: wider ones (a /1 is half the internet) are refused. */
export const WIDEST_ADMIN_PREFIX = 8;

/** The network address of a CIDR (host bits cleared), e.g. 10.1.2.3/8 → 10.0.0.0/8. */
export function canonicalCidr(value: string): string {
  const [addr, bits] = ipaddr.IPv4.parseCIDR(value);
  return `${ipaddr.IPv4.networkAddressFromCIDR(`${addr.toString()}/${bits}`).toString()}/${bits}`;
}

/**
 * CIDR ranges that open admin ports (adminCidrs, awsSshCidrs): each one canonical (no host bits), no wider
 * than /8 however it is spelt (0.0.0.0/0, two /1 halves, 0.0.0.0/4…), listed once.
 */
export function checkCidrs(
  issues: IssueList,
  path: string,
  values: string[] | undefined,
): string[] | undefined {
  const cidrs = checkEach(
    issues,
    path,
    values,
    isCidr,
    'is not an IPv4 CIDR such as 10.0.0.0/8 (IPv4 only; the prefix a number 0-32 without leading zeros)',
  );
  if (cidrs === undefined) return undefined;
  let ok = true;
  const seen = new Map<string, number>();
  cidrs.forEach((c, i) => {
    const at = `${path}[${i}]`;
    const bits = Number(c.split('/')[1]);
    const canonical = canonicalCidr(c);
    if (bits < WIDEST_ADMIN_PREFIX) {
      issues.add(
        at,
        `${describe(c)} opens admin ports to ${bits === 0 ? 'the whole internet' : `1/${2 ** bits} of the internet`}; ` +
          `list your office or VPN ranges (at most /${WIDEST_ADMIN_PREFIX} each)`,
      );
      ok = false;
    } else if (canonical !== c) {
      issues.add(at, `${describe(c)} has host bits set; write the network, ${canonical}`);
      ok = false;
    } else if (seen.has(c)) {
      issues.add(at, `${describe(c)} is listed twice (also ${path}[${seen.get(c)}])`);
      ok = false;
    }
    seen.set(c, i);
  });
  return ok ? cidrs : undefined;
}
