import type { IssueList } from './issues';
import { checkEach, describe, oneOf, readObject, readString, readStringArray, type Raw } from './read-values';
import type { DockerEngineSource, PackageSourcesSpec } from './types';

/**
 * `stars:packageSources`: where hosts get packages and images at sites behind a proxy or without the internet.
 * Every value ends up in a file on the host (apt.conf, dnf.conf, a systemd drop-in, daemon.json), so each is
 * held to a plain URL or host token here, before anything is rendered.
 */

const KEYS = [
  'proxy',
  'noProxy',
  'aptMirror',
  'dnfMirror',
  'dockerRepository',
  'registryMirrors',
  'dockerEngine',
  'downloadMirror',
  'pypiIndex',
  'npmRegistry',
];
export const DOCKER_ENGINE_SOURCES: readonly DockerEngineSource[] = ['vendor', 'distribution'];
export const DEFAULT_DOCKER_REPOSITORY = 'https://download.docker.com';

/** http(s)://[user:password@]host[:port][/path]: nothing that could end a line or a quoted string in a host file. */
/** The characters of a URL login (RFC 3986 userinfo, percent-encoded beyond these), none of which ends a quoted string. */
const USERINFO = 'A-Za-z0-9._~%!$&*+,;=-';
const URL_SHAPE = new RegExp(
  `^https?://([:${USERINFO}]+@)?[A-Za-z0-9.-]+(:\\d{1,5})?(/[A-Za-z0-9._~%/+-]*)?$`,
);
/** A NO_PROXY entry: a host, a .domain suffix, an address or a CIDR. */
const NO_PROXY_ENTRY = /^\.?[A-Za-z0-9][A-Za-z0-9.:-]*(\/\d{1,3})?$/;

/** Whether a value is a URL that may go into a host's package or engine configuration. */
export function isPackageSourceUrl(value: string): boolean {
  return URL_SHAPE.test(value);
}

/** The proxy's login as `user:password` in URL characters. */
export const PROXY_CREDENTIALS = new RegExp(`^[${USERINFO}]{1,256}:[${USERINFO}]{1,256}$`);

/** Why the proxy login cannot be used, or undefined; the message never shows the value. */
export function proxyCredentialsProblem(value: string): string | undefined {
  return PROXY_CREDENTIALS.test(value)
    ? undefined
    : 'stars:proxyCredentials is not user:password with URL characters only (letters, digits and ._~!$&*+,;=-, anything else percent-encoded, e.g. %40 for @); the value is not shown';
}

/**
 * A URL that ends up in files on every host. A login in it would also sit in the plain config, the state, plans and
 * the hosts' logs, so none is taken here (the proxy's goes to the secret stars:proxyCredentials). `httpsOnly` where
 * what is fetched is not verified otherwise (Docker's signing key, registry pulls by tag).
 */
function readUrl(
  issues: IssueList,
  path: string,
  value: Raw,
  example: string,
  httpsOnly = false,
): string | undefined {
  if (value === undefined) return undefined;
  const s = readString(issues, path, value);
  if (s === undefined) return undefined;
  if (!isPackageSourceUrl(s)) {
    issues.add(path, `${describe(s)} is not an http:// or https:// URL such as ${example}`);
    return undefined;
  }
  const login = /^https?:\/\/[^/@]*@/.test(s);
  if (login) {
    issues.add(
      path,
      path.endsWith('.proxy')
        ? "carries a login, which would be kept in plain text in the config, the state, plans and the hosts' logs; give the proxy without it and set the login with `pulumi config set --secret stars:proxyCredentials user:password`"
        : 'carries a login, which would be kept in plain text in the config, the state and on every host; use a source that admits the cluster without one',
    );
    return undefined;
  }
  if (httpsOnly && !s.startsWith('https://')) {
    issues.add(
      path,
      `${describe(s)} is plain HTTP, and what comes from it is not signed by anything the hosts check; use https:// such as ${example}`,
    );
    return undefined;
  }
  return s.replace(/\/+$/, '');
}

/**
 * `login`: whether the secret stars:proxyCredentials is set. Its value never enters the spec; the hosts layer
 * checks its shape (proxyCredentialsProblem) where it fills it in.
 */
export function parsePackageSources(issues: IssueList, value: Raw, login = false): PackageSourcesSpec {
  const fallback: PackageSourcesSpec = {
    dockerEngine: 'vendor',
    proxyLogin: false,
    dockerRepository: DEFAULT_DOCKER_REPOSITORY,
    noProxy: [],
    registryMirrors: [],
  };
  const obj = value === undefined ? {} : readObject(issues, 'packageSources', value, KEYS);
  if (login && obj?.proxy === undefined)
    issues.add(
      'proxyCredentials',
      'is the login of packageSources.proxy, which is not set; set the proxy or remove the key',
    );
  if (value === undefined || obj === undefined) return fallback;
  const at = (k: string): string => `packageSources.${k}`;
  const proxy = readUrl(issues, at('proxy'), obj.proxy, 'http://proxy.example.org:3128');
  const noProxy =
    obj.noProxy === undefined
      ? []
      : (checkEach(
          issues,
          at('noProxy'),
          readStringArray(issues, at('noProxy'), obj.noProxy),
          (v) => NO_PROXY_ENTRY.test(v),
          'is not a host, .domain, address or CIDR',
        ) ?? []);
  if (noProxy.length > 0 && proxy === undefined)
    issues.add(at('noProxy'), 'is only used with packageSources.proxy; set proxy or remove noProxy');
  const aptMirror = readUrl(issues, at('aptMirror'), obj.aptMirror, 'http://mirror.example.org/debian');
  const dnfMirror = readUrl(issues, at('dnfMirror'), obj.dnfMirror, 'http://mirror.example.org/rocky');
  const dockerRepository =
    readUrl(
      issues,
      at('dockerRepository'),
      obj.dockerRepository,
      'https://docker-mirror.example.org',
      true,
    ) ?? DEFAULT_DOCKER_REPOSITORY;
  const mirrors = readStringArray(issues, at('registryMirrors'), obj.registryMirrors ?? []) ?? [];
  const registryMirrors = mirrors
    .map((m, i) =>
      readUrl(issues, `${at('registryMirrors')}[${i}]`, m, 'https://registry-mirror.example.org', true),
    )
    .filter((m): m is string => m !== undefined);
  // What image builds download: https only, since Livy's checksum may come from the same mirror and pip checks none.
  const downloadMirror = readUrl(
    issues,
    at('downloadMirror'),
    obj.downloadMirror,
    'https://mirror.example.org/stars',
    true,
  );
  const pypiIndex = readUrl(issues, at('pypiIndex'), obj.pypiIndex, 'https://pypi.example.org/simple', true);
  const npmRegistry = readUrl(issues, at('npmRegistry'), obj.npmRegistry, 'https://npm.example.org/', true);
  const engineRaw =
    obj.dockerEngine === undefined ? 'vendor' : readString(issues, at('dockerEngine'), obj.dockerEngine);
  const dockerEngine = oneOf(issues, at('dockerEngine'), engineRaw, DOCKER_ENGINE_SOURCES) ?? 'vendor';
  if (dockerEngine === 'distribution' && obj.dockerRepository !== undefined)
    issues.add(
      at('dockerRepository'),
      "is Docker's own repository, unused with dockerEngine distribution; remove it",
    );
  return {
    dockerEngine,
    proxyLogin: login && proxy !== undefined,
    dockerRepository,
    noProxy: [...new Set(noProxy)].sort(),
    registryMirrors,
    ...(proxy === undefined ? {} : { proxy }),
    ...(aptMirror === undefined ? {} : { aptMirror }),
    ...(dnfMirror === undefined ? {} : { dnfMirror }),
    ...(downloadMirror === undefined ? {} : { downloadMirror }),
    ...(pypiIndex === undefined ? {} : { pypiIndex }),
    ...(npmRegistry === undefined ? {} : { npmRegistry }),
  };
}
