import { isIP } from 'net';
import type { EdgeRouteId } from '../plan/topology';
import { DISTINGUISHED_NAME } from '../model/ldap-names';
import { EDGE_USER } from '../model/parse-edge';

/**
 * The edge's httpd.conf: one TLS virtual host per UI/API, each behind the same login, proxying to one backend.
 * Directive names and ProxyPass keys are upstream facts (tests/contract/upstream/httpd). The file holds no
 * secret: backend logins come from an included file of `Define`s and the LDAP bind password from a file read by
 * `exec:`, so the plan can print this document as it is deployed.
 */

/** Who a route serves: operators (cluster administration) or every edge login. */
export type EdgeAudience = 'operators' | 'users';

export interface EdgeRoute {
  readonly id: EdgeRouteId;
  readonly audience: EdgeAudience;
  readonly port: number;
  /** `http://host:port`, no path. */
  readonly backend: string;
  /** The `Define` (in the logins file) holding the `Basic …` header the edge sends this backend. */
  readonly backendLogin?: string;
  /** Pass the user's own login on (a backend that checks the same directory); otherwise it is removed. */
  readonly forwardLogin: boolean;
  /** Tunnel WebSocket upgrades (notebooks). */
  readonly websocket: boolean;
  /** Keep the browser's Host (apps that compare it with Origin, e.g. Jupyter's WebSockets). */
  readonly preserveHost: boolean;
  readonly timeoutSeconds: number;
}

/** People's logins checked against the site's directory (mod_authnz_ldap), besides the local file. */
export interface EdgeDirectory {
  /** `ldap[s]://host[:port]`, validated by the config parser. */
  readonly url: string;
  readonly searchBase: string;
  readonly bindDn: string;
  /** `uid` (LDAP) or `sAMAccountName` (Active Directory). */
  readonly userAttribute: string;
}

export interface EdgeFiles {
  readonly certificate: string;
  readonly key: string;
  /** htpasswd (bcrypt) of the local logins. */
  readonly users: string;
  /** The group file naming the local operators (`operators: admin stars …`). */
  readonly groups: string;
  /** `Define`s of the backend logins; absent when no backend checks a login. */
  readonly logins?: string;
  readonly ldapBindPassword?: string;
  /** CA bundle that signs the directory's certificate (ldaps). */
  readonly ldapCaBundle?: string;
}

export interface HttpdConfig {
  readonly serverRoot: string;
  /** Where the module `.so` files are, relative to serverRoot or absolute. */
  readonly modulesDir: string;
  readonly serverName: string;
  readonly user: string;
  readonly group: string;
  readonly pidFile: string;
  readonly routes: readonly EdgeRoute[];
  readonly files: EdgeFiles;
  readonly directory?: EdgeDirectory;
  /** With the directory: the DN of the group whose members are operators too. */
  readonly operatorGroup?: string;
}

/** The group of the local operators in the group file. */
export const OPERATORS_GROUP = 'operators';

const MODULES = [
  ['mpm_event', 'mod_mpm_event'],
  ['unixd', 'mod_unixd'],
  ['log_config', 'mod_log_config'],
  ['authn_core', 'mod_authn_core'],
  ['authn_file', 'mod_authn_file'],
  ['authz_core', 'mod_authz_core'],
  ['authz_user', 'mod_authz_user'],
  ['authz_groupfile', 'mod_authz_groupfile'],
  ['auth_basic', 'mod_auth_basic'],
  ['headers', 'mod_headers'],
  ['reqtimeout', 'mod_reqtimeout'],
  ['socache_shmcb', 'mod_socache_shmcb'],
  ['ssl', 'mod_ssl'],
  ['proxy', 'mod_proxy'],
  ['proxy_http', 'mod_proxy_http'],
] as const;
const LDAP_MODULES = [
  ['ldap', 'mod_ldap'],
  ['authnz_ldap', 'mod_authnz_ldap'],
] as const;

/**
 * A quoted httpd argument; values reaching here are validated, this only keeps one a single token and keeps
 * httpd from expanding `${…}` (a defined name such as a backend login would be substituted).
 */
export function quoted(value: string): string {
  if (/["\\\r\n]|\$\{/.test(value) || value.includes(String.fromCharCode(0)))
    throw new Error(`edge: ${JSON.stringify(value)} cannot be an httpd argument`);
  return `"${value}"`;
}

/** A group DN, which httpd takes verbatim to the end of the line: only what the config parser accepts. */
function groupDn(value: string): string {
  if (!DISTINGUISHED_NAME.test(value))
    throw new Error(`edge: ${JSON.stringify(value)} cannot be a bare httpd argument`);
  return value;
}

/** RFC 4516 LDAP URL of the user search: base DN percent-encoded, one attribute, subtree. */
export function ldapSearchUrl(d: EdgeDirectory): string {
  const base = [...d.searchBase].map((c) => (/[A-Za-z0-9=,.\-_]/.test(c) ? c : percent(c))).join('');
  return `${d.url.replace(/\/$/, '')}/${base}?${d.userAttribute}?sub?(objectClass=*)`;
}

function percent(c: string): string {
  return [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/**
 * A state-changing request must come from the edge's own origin: browsers send a cached basic login with
 * cross-site requests, and not every backend checks CSRF. Non-browser clients (the CLI, the program,
 * sparkmagic) send neither `Sec-Fetch-Site` nor `Origin`.
 */
export const SAME_ORIGIN_WRITES =
  "%{REQUEST_METHOD} in {'GET', 'HEAD', 'OPTIONS'} || " +
  "(%{HTTP:Sec-Fetch-Site} in {'', 'same-origin', 'none'} && " +
  "(-z %{HTTP:Origin} || %{HTTP:Origin} == 'https://%{HTTP_HOST}'))";

function who(c: HttpdConfig, r: EdgeRoute): string[] {
  if (r.audience === 'users') return ['      Require valid-user'];
  const group = `      Require group ${OPERATORS_GROUP}`;
  if (c.operatorGroup === undefined) return [group];
  return [
    '      <RequireAny>',
    `  ${group}`,
    // The rest of the line is the DN, quotes included (mod_authnz_ldap): validated, so left bare.
    `        Require ldap-group ${groupDn(c.operatorGroup)}`,
    '      </RequireAny>',
  ];
}

function loginBlock(c: HttpdConfig, r: EdgeRoute): string[] {
  const providers = c.directory === undefined ? 'file' : 'file ldap';
  const lines = [
    '  <Location "/">',
    '    AuthType Basic',
    '    AuthName "Stars"',
    `    AuthBasicProvider ${providers}`,
    `    AuthUserFile ${quoted(c.files.users)}`,
    `    AuthGroupFile ${quoted(c.files.groups)}`,
  ];
  if (c.directory !== undefined) {
    if (c.files.ldapBindPassword === undefined)
      throw new Error('edge: the directory needs a bind password file');
    lines.push(
      `    AuthLDAPURL ${quoted(ldapSearchUrl(c.directory))}`,
      `    AuthLDAPBindDN ${quoted(c.directory.bindDn)}`,
      `    AuthLDAPBindPassword ${quoted(`exec:/bin/cat ${c.files.ldapBindPassword}`)}`,
      // A local user the directory does not know must not end the search with a refusal.
      '    AuthLDAPBindAuthoritative off',
    );
  }
  lines.push(
    // A logged-in user refused a route gets 403, not another login prompt.
    '    AuthzSendForbiddenOnFailure On',
    '    <RequireAll>',
    `      Require expr ${quoted(SAME_ORIGIN_WRITES)}`,
    ...who(c, r),
    '    </RequireAll>',
    '  </Location>',
  );
  return lines;
}

/** How long the edge keeps a backend's address: Mesos-DNS' record TTL (render-mesos-dns.ts `ttl`). */
export const BACKEND_ADDRESS_TTL_SECONDS = 60;

function virtualHost(c: HttpdConfig, r: EdgeRoute): string[] {
  const backend = `${r.backend.replace(/\/$/, '')}/`;
  const keys = [
    `timeout=${r.timeoutSeconds}`,
    // httpd resolves a backend name once per child and keeps it until the child is recycled; Mesos-DNS names
    // follow leaders and tasks, so the address is looked up again after a record's lifetime.
    ...(isIP(new URL(r.backend).hostname) ? [] : [`addressttl=${BACKEND_ADDRESS_TTL_SECONDS}`]),
    ...(r.websocket ? ['upgrade=websocket'] : []),
  ];
  const login = r.forwardLogin
    ? []
    : r.backendLogin === undefined
      ? ['  RequestHeader unset Authorization']
      : [`  RequestHeader set Authorization "\${${r.backendLogin}}"`];
  return [
    `# ${r.id}`,
    `<VirtualHost *:${r.port}>`,
    `  ServerName ${quoted(`${c.serverName}:${r.port}`)}`,
    '  SSLEngine on',
    `  SSLCertificateFile ${quoted(c.files.certificate)}`,
    `  SSLCertificateKeyFile ${quoted(c.files.key)}`,
    '  Header always set Strict-Transport-Security "max-age=31536000"',
    ...loginBlock(c, r),
    ...login,
    '  RequestHeader set X-Forwarded-Proto "https"',
    `  ProxyPreserveHost ${r.preserveHost ? 'On' : 'Off'}`,
    `  ProxyPass "/" ${quoted(backend)} ${keys.join(' ')}`,
    `  ProxyPassReverse "/" ${quoted(backend)}`,
    '</VirtualHost>',
  ];
}

export function renderHttpdConf(c: HttpdConfig): string {
  const routes = [...c.routes].sort((a, b) => a.port - b.port);
  const ports = routes.map((r) => r.port);
  if (new Set(ports).size !== ports.length)
    throw new Error(`edge: two routes share a port (${ports.join(', ')})`);
  const modules = [...MODULES, ...(c.directory === undefined ? [] : LDAP_MODULES)];
  const lines = [
    '# Rendered by Stars (components/edge/render-httpd.ts): the TLS edge. Do not edit on the host.',
    `ServerRoot ${quoted(c.serverRoot)}`,
    // Guarded, so a build with a module compiled in (Debian's unixd, log_config) takes the same file.
    ...modules.map(
      ([name, file]) =>
        `<IfModule !${name}_module>\n  LoadModule ${name}_module ${quoted(`${c.modulesDir}/${file}.so`)}\n</IfModule>`,
    ),
    `User ${c.user}`,
    `Group ${c.group}`,
    `PidFile ${quoted(c.pidFile)}`,
    // Builds differ in their compiled-in runtime directory (Debian's is under /var/run): name ours.
    'DefaultRuntimeDir "logs"',
    `ServerName ${quoted(c.serverName)}`,
    'ServerTokens Prod',
    'ServerSignature Off',
    'TraceEnable Off',
    'ErrorLog "/proc/self/fd/2"',
    'LogLevel warn',
    'LogFormat "%a %u %t \\"%r\\" %>s %b %D" stars',
    'CustomLog "/proc/self/fd/1" stars',
    'RequestReadTimeout header=20-40,MinRate=500 body=20,MinRate=500',
    'SSLProtocol -all +TLSv1.2 +TLSv1.3',
    'SSLHonorCipherOrder off',
    'SSLSessionTickets off',
    'SSLSessionCache "shmcb:logs/ssl_scache(512000)"',
    ...(c.directory !== undefined && c.directory.url.startsWith('ldaps:')
      ? [
          `LDAPTrustedGlobalCert CA_BASE64 ${quoted(c.files.ldapCaBundle ?? '/etc/ssl/certs/ca-certificates.crt')}`,
        ]
      : []),
    ...(c.files.logins === undefined ? [] : [`Include ${quoted(c.files.logins)}`]),
    ...ports.map((p) => `Listen ${p}`),
    '',
    ...routes.flatMap((r) => [...virtualHost(c, r), '']),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The logins file: one `Define NAME "Basic base64(user:password)"` per backend login, sorted by name. */
export function renderLoginDefines(
  logins: Readonly<Record<string, { username: string; password: string }>>,
): string {
  const lines = Object.keys(logins)
    .sort()
    .map((name) => {
      if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`edge: ${name} is not a Define name`);
      const { username, password } = logins[name];
      return `Define ${name} "Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}"`;
    });
  return `${lines.join('\n')}\n`;
}

/** The group file: the local operators, sorted (`admin` and `stars` are among them). */
export function renderGroupFile(operators: readonly string[]): string {
  for (const u of operators) if (!EDGE_USER.test(u)) throw new Error(`edge: ${u} is not a login name`);
  return `${OPERATORS_GROUP}: ${[...new Set(operators)].sort().join(' ')}\n`;
}

/** htpasswd lines `user:$2…` sorted by user; the hashes are bcrypt (random.RandomPassword.bcryptHash). */
export function renderHtpasswd(users: Readonly<Record<string, string>>): string {
  return `${Object.keys(users)
    .sort()
    .map((u) => {
      if (!EDGE_USER.test(u) || !/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(users[u]))
        throw new Error(`edge: ${u} has no valid bcrypt hash`);
      return `${u}:${users[u]}`;
    })
    .join('\n')}\n`;
}
