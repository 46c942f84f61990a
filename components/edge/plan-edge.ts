import { appUis, clusterAppUrls, type AppsPlan } from '../apps/plan-apps';
import type { RenderedDocument } from '../plan/documents';
import {
  APP_PORTS,
  EDGE_PORTS,
  FRAMEWORK_NAMES,
  PORTS,
  livyAuthenticated,
  mastersOf,
  type EdgeRouteId,
} from '../plan/topology';
import { HTTP_USER, type SecretName } from '../platform/render-secrets';
import { imageFor } from '../model/catalog';
import { EDGE_BUILTIN_USERS } from '../model/parse-edge';
import type { ClusterSpec } from '../model/types';
import {
  renderGroupFile,
  renderHttpdConf,
  type EdgeAudience,
  type EdgeDirectory,
  type EdgeRoute,
  type HttpdConfig,
} from './render-httpd';

/** Where things live in the official httpd image (tests/contract/upstream/httpd). */
export const HTTPD_IMAGE_PATHS = {
  serverRoot: '/usr/local/apache2',
  modulesDir: 'modules',
  config: '/usr/local/apache2/conf/httpd.conf',
  pidFile: 'logs/httpd.pid',
  user: 'www-data',
  group: 'www-data',
  /** Numeric ids of www-data in the image's Debian base (base-passwd). */
  uid: 33,
  gid: 33,
} as const;

const SECRET_DIR = `${HTTPD_IMAGE_PATHS.serverRoot}/conf/stars`;
export const EDGE_FILES = {
  certificate: `${SECRET_DIR}/server.crt`,
  key: `${SECRET_DIR}/server.key`,
  users: `${SECRET_DIR}/users`,
  groups: `${SECRET_DIR}/groups`,
  logins: `${SECRET_DIR}/logins.conf`,
  ldapBindPassword: `${SECRET_DIR}/ldap-bind-password`,
} as const;

/** A backend login the edge injects: the `Define` it is read from, the user and the platform secret. */
export interface BackendLogin {
  readonly define: string;
  readonly username: string;
  readonly secret: SecretName;
}

export interface EdgeHostPlan {
  readonly host: string;
  readonly address: string;
  readonly config: string;
}

export interface EdgePlan {
  readonly enabled: boolean;
  readonly image: string;
  readonly containerName: string;
  readonly routes: readonly EdgeRoute[];
  readonly hosts: readonly EdgeHostPlan[];
  /** Local logins in the htpasswd file, sorted: `admin` (unless a directory checks people), `stars`, edgeUsers. */
  readonly users: readonly string[];
  /** Local logins that reach the operator routes, sorted: `admin` (unless a directory checks people), `stars`, edgeOperators. */
  readonly operators: readonly string[];
  /** The group file naming them (not secret). */
  readonly groupFile: string;
  /** With the directory: the group DN whose members are operators too. */
  readonly operatorGroup?: string;
  readonly backendLogins: readonly BackendLogin[];
  readonly directory?: EdgeDirectory;
  /** The `appUrls` entries through the edge: output key → edge port and path. */
  readonly appUrls: readonly { readonly key: string; readonly port: number; readonly path: string }[];
  /** The `appUrls` output without the edge (plain HTTP inside the cluster). */
  readonly clusterAppUrls: Readonly<Record<string, string>>;
  /** Resolvers for the container where the host does not use Mesos-DNS itself (local mode). */
  readonly dns?: readonly string[];
  readonly documents: readonly RenderedDocument[];
}

const BACKEND_LOGINS: Readonly<Record<'mesos' | 'marathon' | 'chronos', BackendLogin>> = {
  mesos: { define: 'MESOS_LOGIN', username: HTTP_USER, secret: 'mesos-http' },
  marathon: { define: 'MARATHON_LOGIN', username: HTTP_USER, secret: 'marathon-http' },
  chronos: { define: 'CHRONOS_LOGIN', username: HTTP_USER, secret: 'chronos-http' },
};

/**
 * Cluster administration: the Mesos, Marathon and Chronos APIs (the edge injects their own logins, which can
 * launch privileged containers) and Jenkins. Every other route serves scientists.
 */
export const OPERATOR_ROUTES: readonly EdgeRouteId[] = ['mesos', 'marathon', 'chronos', 'jenkins'];

export function audienceOf(id: EdgeRouteId): EdgeAudience {
  return OPERATOR_ROUTES.includes(id) ? 'operators' : 'users';
}

/** Interactive UIs: WebSockets, the browser's Host (origin and reverse-proxy checks), long requests. */
const NOTEBOOKS: readonly EdgeRouteId[] = ['zeppelin', 'jupyter', 'jenkins'];

function route(id: EdgeRouteId, backend: string, extra: Partial<EdgeRoute> = {}): EdgeRoute {
  const notebook = NOTEBOOKS.includes(id);
  return {
    id,
    audience: audienceOf(id),
    port: EDGE_PORTS[id],
    backend,
    forwardLogin: false,
    websocket: notebook,
    preserveHost: notebook,
    timeoutSeconds: notebook || id === 'livy' ? 3600 : 300,
    ...extra,
  };
}

/** The edge route of an app UI's port (APP_PORTS and EDGE_PORTS share the names). */
export function edgeRouteOf(appPort: number): EdgeRouteId {
  const id = (Object.keys(APP_PORTS) as (keyof typeof APP_PORTS)[]).find((k) => APP_PORTS[k] === appPort);
  if (id === undefined || !(id in EDGE_PORTS))
    throw new Error(`edge: no edge port serves the app port ${appPort}; add it to EDGE_PORTS`);
  return id as EdgeRouteId;
}

/** Edge routes: the Mesos leader, Marathon (any instance proxies to its leader), the Chronos leader, each app UI. */
export function edgeRoutes(spec: ClusterSpec, apps: AppsPlan): EdgeRoute[] {
  const login = (k: keyof typeof BACKEND_LOGINS) =>
    spec.authEnabled ? { backendLogin: BACKEND_LOGINS[k].define } : {};
  const routes = [
    // Mesos-DNS names the leading master `leader.<domain>` and a scheduler's leader `<framework>.<domain>`.
    route('mesos', `http://leader.${spec.domain}:${PORTS.mesosMaster}`, login('mesos')),
    route('marathon', `http://127.0.0.1:${PORTS.marathon}`, login('marathon')),
    route('chronos', `http://${FRAMEWORK_NAMES.chronos}.${spec.domain}:${PORTS.chronos}`, login('chronos')),
  ];
  for (const ui of appUis(apps.apps)) {
    const id = edgeRouteOf(ui.port);
    const forward = id === 'livy' && livyAuthenticated(spec);
    routes.push(route(id, `http://${ui.dnsName}:${ui.port}`, { forwardLogin: forward }));
  }
  return routes.sort((x, y) => x.port - y.port);
}

export function edgeDirectory(spec: ClusterSpec): EdgeDirectory | undefined {
  const z = spec.apps.zeppelin;
  if (!spec.edge.directory || z.ldapUrl === undefined || z.ldapSearchBase === undefined) return undefined;
  return {
    url: z.ldapUrl,
    searchBase: z.ldapSearchBase,
    bindDn: z.ldapBindUser ?? '',
    userAttribute: z.auth === 'activeDirectory' ? 'sAMAccountName' : 'uid',
  };
}

/** The directory's operator group, only where the directory checks logins. */
function operatorGroupOf(
  spec: ClusterSpec,
  directory: EdgeDirectory | undefined,
): { operatorGroup?: string } {
  return directory === undefined || spec.edge.operatorGroup === undefined
    ? {}
    : { operatorGroup: spec.edge.operatorGroup };
}

/** httpd.conf for one master, with the image's paths unless others are given (tests use Debian's apache2). */
export function edgeHttpdConfig(
  spec: ClusterSpec,
  routes: readonly EdgeRoute[],
  serverName: string,
  paths: Partial<Pick<HttpdConfig, 'serverRoot' | 'modulesDir' | 'pidFile' | 'files'>> = {},
): HttpdConfig {
  const directory = edgeDirectory(spec);
  return {
    serverRoot: HTTPD_IMAGE_PATHS.serverRoot,
    modulesDir: HTTPD_IMAGE_PATHS.modulesDir,
    pidFile: HTTPD_IMAGE_PATHS.pidFile,
    user: HTTPD_IMAGE_PATHS.user,
    group: HTTPD_IMAGE_PATHS.group,
    serverName,
    routes,
    files: {
      certificate: EDGE_FILES.certificate,
      key: EDGE_FILES.key,
      users: EDGE_FILES.users,
      groups: EDGE_FILES.groups,
      ...(spec.authEnabled ? { logins: EDGE_FILES.logins } : {}),
      ...(directory === undefined ? {} : { ldapBindPassword: EDGE_FILES.ldapBindPassword }),
    },
    ...(directory === undefined ? {} : { directory }),
    ...operatorGroupOf(spec, directory),
    ...paths,
  };
}

export function planEdge(spec: ClusterSpec, apps: AppsPlan): EdgePlan {
  const image = imageFor('httpd', spec.versions.httpd);
  // Local mode: one host, and the laptop does not resolve through Mesos-DNS, so its own address.
  const local = spec.mode === 'local' ? mastersOf(spec)[0]?.address : undefined;
  const base = { image, containerName: 'stars-edge', clusterAppUrls: clusterAppUrls(apps.apps, local) };
  if (!spec.edge.enabled)
    return {
      ...base,
      enabled: false,
      routes: [],
      hosts: [],
      users: [],
      operators: [],
      groupFile: '',
      backendLogins: [],
      appUrls: [],
      documents: [],
    };
  const routes = edgeRoutes(spec, apps);
  const hosts = mastersOf(spec).map((m) => ({
    host: m.name,
    address: m.address,
    config: renderHttpdConf(edgeHttpdConfig(spec, routes, m.publicAddress ?? m.address)),
  }));
  const builtin = EDGE_BUILTIN_USERS.filter((u) => u !== 'admin' || !spec.edge.directory);
  const directory = edgeDirectory(spec);
  const operators = [...builtin, ...spec.edge.operators].sort();
  const groupFile = renderGroupFile(operators);
  return {
    ...base,
    enabled: true,
    routes,
    hosts,
    users: [...builtin, ...spec.edge.users].sort(),
    operators,
    groupFile,
    ...operatorGroupOf(spec, directory),
    backendLogins: spec.authEnabled ? Object.values(BACKEND_LOGINS) : [],
    appUrls: appUis(apps.apps).map((u) => ({
      key: u.key,
      port: EDGE_PORTS[edgeRouteOf(u.port)],
      path: u.path,
    })),
    ...(directory === undefined ? {} : { directory }),
    ...(local === undefined ? {} : { dns: [local] }),
    documents: hosts.flatMap((h) => [
      { path: `hosts/${h.host}/edge/groups`, content: groupFile },
      { path: `hosts/${h.host}/edge/httpd.conf`, content: h.config },
    ]),
  };
}
