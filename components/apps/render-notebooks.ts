import { createHash, createHmac } from 'crypto';
import { stableJson } from '../plan/documents';
import type { ZeppelinOptions } from '../model/types';
import {
  APP_PORTS,
  dataVolume,
  httpCheck,
  pinnedHttpService,
  projectImage,
  secretRef,
  asImageUser,
  type AppContext,
  type RenderedApp,
} from './render-common';
import { secretFilePath, secretsVolume } from './render-secret-files';
import {
  SPARK_HOME,
  ADVERTISE_AGENT_ADDRESS,
  sparkDriverConf,
  sparkDriverEnv,
  sparkDriverSecretFiles,
  sparkDriverVolumes,
} from './render-spark';

/** Zeppelin (Spark interpreter on Mesos, Shiro auth) and JupyterLab with sparkmagic kernels pointed at Livy. */

export const ZEPPELIN_HOME = '/opt/zeppelin';
/** The apache/zeppelin image's user: uid 1000 with group root, which may write conf/ (its Dockerfile). */
export const ZEPPELIN_USER = '1000:0';
// The version the Stars JupyterLab image installs (images/jupyter); the contract tests read its facts.
export { SPARKMAGIC_VERSION } from '../model/artefacts';

/** `spark-defaults.conf` for a driver container: one `key value` line per setting, sorted. */
export function renderSparkDefaults(conf: Readonly<Record<string, string>>): string {
  return `${Object.keys(conf)
    .sort()
    .map((k) => `${k} ${conf[k]}`)
    .join('\n')}\n`;
}

/** The role shiro.ini's admin URLs require: LdapRealm reads a group's cn as its role name (facts ldapRealmRoles). */
export function zeppelinAdminRole(z: ZeppelinOptions): string {
  return z.auth === 'ldap' && z.adminGroup !== undefined ? z.adminGroup : 'admin';
}

/**
 * REST paths only admins reach: those Zeppelin's template limits to `roles[admin]` (facts shiroAdminUrls), the
 * interpreter restart the template opens to every user (without a note it closes the interpreter for all), and
 * Helium (package installs), which checks no role at all. First match wins, so they precede `/** = authc`.
 */
export const ZEPPELIN_ADMIN_URLS = [
  '/api/admin/**',
  '/api/configurations/**',
  '/api/credential/**',
  '/api/helium/**',
  '/api/interpreter/**',
  '/api/notebook-repositories/**',
];

function directoryRealm(z: ZeppelinOptions): string[] {
  if (z.auth === 'ldap')
    return [
      'ldapRealm = org.apache.zeppelin.realm.LdapRealm',
      `ldapRealm.contextFactory.url = ${z.ldapUrl ?? ''}`,
      `ldapRealm.contextFactory.systemUsername = ${z.ldapBindUser ?? ''}`,
      `ldapRealm.contextFactory.systemPassword = ${secretRef('ldap-bind-password')}`,
      'ldapRealm.contextFactory.authenticationMechanism = simple',
      `ldapRealm.userSearchBase = ${z.ldapSearchBase ?? ''}`,
      'ldapRealm.userSearchAttributeName = uid',
      // Without an admin group no role is read at all, so nobody is an admin.
      ...(z.adminGroup === undefined
        ? []
        : ['ldapRealm.authorizationEnabled = true', `ldapRealm.groupSearchBase = ${z.ldapSearchBase ?? ''}`]),
      'securityManager.realms = $ldapRealm',
    ];
  if (z.auth === 'activeDirectory')
    return [
      'activeDirectoryRealm = org.apache.zeppelin.realm.ActiveDirectoryGroupRealm',
      `activeDirectoryRealm.url = ${z.ldapUrl ?? ''}`,
      `activeDirectoryRealm.systemUsername = ${z.ldapBindUser ?? ''}`,
      `activeDirectoryRealm.systemPassword = ${secretRef('ldap-bind-password')}`,
      `activeDirectoryRealm.searchBase = ${z.ldapSearchBase ?? ''}`,
      'activeDirectoryRealm.authorizationCachingEnabled = false',
      // Only mapped groups give a role (facts activeDirectoryGroupRoles); the DN is quoted for its commas.
      ...(z.adminGroup === undefined
        ? []
        : [`activeDirectoryRealm.groupRolesMap = "${z.adminGroup}":"admin"`]),
      'securityManager.realms = $activeDirectoryRealm',
    ];
  return [];
}

/**
 * conf/shiro.ini. Local users come from one placeholder (`zeppelin-users-ini`: `name = password` lines, with
 * `, admin` only for appSettings.zeppelin.admins, built at deploy time); LDAP/AD bind with the secret
 * `ldap-bind-password` and take admins from one group. `/api/version` stays anonymous for the health check.
 */
export function renderShiroIni(z: ZeppelinOptions): string {
  const main = [
    '[main]',
    ...directoryRealm(z),
    'sessionManager = org.apache.shiro.web.session.mgt.DefaultWebSessionManager',
    'securityManager.sessionManager = $sessionManager',
    'securityManager.sessionManager.globalSessionTimeout = 86400000',
    'shiro.loginUrl = /api/login',
  ];
  const users =
    z.auth === 'local' ? ['', '[users]', secretRef('zeppelin-users-ini'), '', '[roles]', 'admin = *'] : [];
  const role = zeppelinAdminRole(z);
  const urls = [
    '/api/version = anon',
    ...ZEPPELIN_ADMIN_URLS.map((u) => `${u} = authc, roles[${role}]`),
    '/** = authc',
  ];
  return `${[...main, ...users, '', '[urls]', ...urls].join('\n')}\n`;
}

const SHIRO_FILE = 'shiro.ini';
const JUPYTER_CONFIG_FILE = 'jupyter_server_config.json';
/** The Zeppelin image's user (images/zeppelin USER 1000) and docker-stacks' NB_UID (tests/contract/upstream). */
export const ZEPPELIN_UID = 1000;
export const JUPYTER_UID = 1000;

/** Generated secret names for Zeppelin's local users (when the secret config `zeppelinUsers` is not set). */
export function zeppelinPasswordSecret(user: string): string {
  return `zeppelin-password-${user.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

export function renderZeppelin(ctx: AppContext): RenderedApp {
  const z = ctx.apps.zeppelin;
  // The server needs little heap; the Spark interpreter (the driver) gets the rest minus JVM overhead.
  const serverMb = Math.min(1024, Math.floor(z.memMb / 4));
  const interpreterMb = Math.max(512, z.memMb - serverMb - 512);
  // Spark and libmesos are in the Stars zeppelin image (images/zeppelin); Spark's config goes to the sandbox.
  const run = asImageUser(
    ZEPPELIN_USER,
    `${ADVERTISE_AGENT_ADDRESS}mkdir -p /data/notebook /data/conf $MESOS_SANDBOX/spark-conf && cp ${secretFilePath(SHIRO_FILE)} ${ZEPPELIN_HOME}/conf/shiro.ini` +
      ` && printf '%s' "$SPARK_DEFAULTS" > $MESOS_SANDBOX/spark-conf/spark-defaults.conf` +
      ` && export SPARK_HOME=${SPARK_HOME} SPARK_CONF_DIR=$MESOS_SANDBOX/spark-conf && exec ${ZEPPELIN_HOME}/bin/zeppelin.sh`,
  );
  return {
    app: 'zeppelin',
    definition: {
      id: '/zeppelin',
      cmd: run.cmd,
      cpus: z.cpus,
      mem: z.memMb,
      instances: 1,
      container: {
        type: 'DOCKER',
        docker: { image: ctx.zeppelinImage ?? '', network: 'HOST', parameters: run.parameters },
        volumes: [dataVolume('zeppelin', '/data'), ...sparkDriverVolumes(ctx), secretsVolume('zeppelin')],
      },
      env: {
        ...sparkDriverEnv(ctx),
        // Zeppelin's Spark launcher reads the master from here (SparkInterpreterLauncher); Spark itself does not.
        SPARK_MASTER: ctx.sparkMaster,
        SPARK_DEFAULTS: renderSparkDefaults(sparkDriverConf(ctx)),
        ZEPPELIN_ADDR: '0.0.0.0',
        ZEPPELIN_PORT: String(APP_PORTS.zeppelin),
        ZEPPELIN_NOTEBOOK_DIR: '/data/notebook',
        // Note permissions, saved credentials and interpreter settings live here; in the image's conf they were
        // lost at every restart, and a note without stored permissions is open to every Zeppelin user.
        ZEPPELIN_CONFIG_FS_DIR: '/data/conf',
        // New notes belong to their author; upstream's default (true) opens every new note to every user.
        ZEPPELIN_NOTEBOOK_PUBLIC: 'false',
        ZEPPELIN_IN_DOCKER: 'true',
        ZEPPELIN_MEM: `-Xms${serverMb}m -Xmx${serverMb}m`,
        ZEPPELIN_INTP_MEM: `-Xms${interpreterMb}m -Xmx${interpreterMb}m`,
      },
      ...pinnedHttpService(ctx, 'zeppelin', 'notebook', APP_PORTS.zeppelin, httpCheck('/api/version', 300)),
    },
    ui: { port: APP_PORTS.zeppelin, path: '/' },
    after: ['/spark/dispatcher'],
    // shiro.ini holds the users' passwords or the directory's bind password: a file, like the framework secret.
    secretFiles: [
      { app: 'zeppelin', name: SHIRO_FILE, uid: ZEPPELIN_UID, content: renderShiroIni(z) },
      ...sparkDriverSecretFiles(ctx, 'zeppelin', ZEPPELIN_UID),
    ],
  };
}

/** sparkmagic's config.json: every kernel talks to Livy through Mesos-DNS. */
export function renderSparkmagicConfig(livyUrl: string, ldap: boolean): string {
  const credentials = { auth: ldap ? 'Basic_Access' : 'None', password: '', url: livyUrl, username: '' };
  return stableJson({
    kernel_python_credentials: credentials,
    kernel_scala_credentials: credentials,
    kernel_r_credentials: credentials,
    heartbeat_refresh_seconds: 30,
    livy_server_heartbeat_timeout_seconds: 0,
    ignore_ssl_errors: false,
    server_extension_default_kernel_name: 'pysparkkernel',
    wait_for_idle_timeout_seconds: 15,
    livy_session_startup_timeout_seconds: 120,
  });
}

/**
 * jupyter_server's `<hashlib algorithm>:<salt>:<hex digest of passphrase + salt>` form (auth/security.py
 * passwd_check; fixture jupyter/2026-07-28.json). The salt is derived from the password so the app definition is
 * the same on every run; the password is 24 random characters, so the hash gives nothing away.
 */
export function jupyterPasswordHash(password: string): string {
  const salt = createHmac('sha256', password).update('stars jupyter salt').digest('hex').slice(0, 12);
  const digest = createHash('sha256').update(`${password}${salt}`, 'utf8').digest('hex');
  return `sha256:${salt}:${digest}`;
}

export function renderJupyter(ctx: AppContext, livyUrl: string): RenderedApp {
  const j = ctx.apps.jupyter;
  const ldap = ctx.livyAuthenticated;
  return {
    app: 'jupyter',
    definition: {
      id: '/jupyter',
      // sparkmagic, its kernels and its server extension are in the Stars image (images/jupyter); only its
      // configuration, which names this cluster's Livy, is written at start.
      cmd:
        `mkdir -p "$SPARKMAGIC_CONF_DIR" && printf '%s' "$SPARKMAGIC_CONFIG_JSON" > "$SPARKMAGIC_CONF_DIR/config.json"` +
        ` && exec start-notebook.py --ServerApp.ip=0.0.0.0 --ServerApp.port=${APP_PORTS.jupyter}` +
        ` --ServerApp.root_dir=/home/jovyan/work --config=${secretFilePath(JUPYTER_CONFIG_FILE)}`,
      cpus: j.cpus,
      mem: j.memMb,
      instances: 1,
      container: {
        type: 'DOCKER',
        docker: { image: projectImage(ctx, 'jupyter'), network: 'HOST' },
        volumes: [dataVolume('jupyter', '/home/jovyan/work'), secretsVolume('jupyter')],
      },
      env: {
        SPARKMAGIC_CONF_DIR: '/home/jovyan/.sparkmagic',
        SPARKMAGIC_CONFIG_JSON: renderSparkmagicConfig(livyUrl, ldap),
      },
      ...pinnedHttpService(ctx, 'jupyter', 'notebook', APP_PORTS.jupyter, httpCheck('/api', 300)),
    },
    ui: { port: APP_PORTS.jupyter, path: '/lab' },
    after: ['/livy'],
    // Only the salted hash, in a config file jupyter_server loads (--config, JupyterApp.config_file).
    secretFiles: [
      {
        app: 'jupyter',
        name: JUPYTER_CONFIG_FILE,
        uid: JUPYTER_UID,
        content: stableJson({
          PasswordIdentityProvider: { hashed_password: secretRef('jupyter-password-hash') },
        }),
      },
    ],
  };
}
