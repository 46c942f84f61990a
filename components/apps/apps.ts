import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import type { ClientAccess, PlatformEndpoints } from '../platform/endpoints';
import { ZEPPELIN_USER } from '../model/app-settings';
import type { AppName } from '../model/types';
import {
  Blazegraph,
  Jenkins,
  Jupyter,
  Lightning,
  Livy,
  MaintenanceJobs,
  Spark,
  Zeppelin,
  type CatalogAppArgs,
  type DeployContext,
} from './catalog-apps';
import { AppSecretFiles, type AgentRuntime } from './app-secret-files';
import type { MarathonApp } from './marathon-app';
import { clusterAppUrls, type AppsPlan } from './plan-apps';
import { jupyterPasswordHash } from './render-notebooks';

const LDAP_HINT = 'set it with `pulumi config set --secret stars:ldapBindPassword <password>`';

export interface AppsArgs {
  readonly plan: AppsPlan;
  readonly endpoints: PlatformEndpoints;
  /** Where the REST clients connect: the TLS edge's access when it is on, else the platform's own endpoints. */
  readonly access?: ClientAccess;
  /** The agents and the Stars Mesos image on each: where the apps' secret files are written. */
  readonly agents?: readonly AgentRuntime[];
  /** Secret config values (`zeppelinUsers`, `ldapBindPassword`, …); unset keys are undefined. */
  readonly secrets: Readonly<Record<string, pulumi.Output<string> | undefined>>;
}

export interface AppCredential {
  readonly username: string;
  readonly password: string;
}

const COMPONENTS: Readonly<
  Record<
    AppName,
    new (n: string, a: CatalogAppArgs, o?: pulumi.ComponentResourceOptions) => pulumi.ComponentResource
  >
> = {
  spark: Spark,
  zeppelin: Zeppelin,
  livy: Livy,
  blazegraph: Blazegraph,
  lightning: Lightning,
  jupyter: Jupyter,
  jenkins: Jenkins,
};

/** Deploy order: an app's `after` targets belong to apps earlier in this list. */
const ORDER: readonly AppName[] = [
  'spark',
  'blazegraph',
  'lightning',
  'livy',
  'zeppelin',
  'jupyter',
  'jenkins',
];

/**
 * The apps layer: the catalog apps as Marathon apps and the maintenance jobs on Chronos, all managed through
 * the REST APIs after the platform is ready. Exposes each app's URL (Mesos-DNS name and port) and the
 * generated credentials (secret).
 */
export class Apps extends pulumi.ComponentResource {
  /** app (`spark-dispatcher`, `zeppelin`, …) → URL. */
  readonly urls: pulumi.Output<Record<string, string>>;
  /** Generated logins by secret name (`jupyter-password`, `zeppelin-password-admin`, …); secret. */
  readonly credentials: pulumi.Output<Record<string, AppCredential>>;
  readonly marathonApps: Readonly<Record<string, MarathonApp>>;

  constructor(name: string, args: AppsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:apps:Apps', name, {}, opts);
    const { plan, endpoints } = args;

    const secrets: Record<string, pulumi.Input<string>> = {};
    const generated: Record<string, pulumi.Output<AppCredential>> = {};
    for (const g of plan.generated) {
      const pw = new random.RandomPassword(
        `${name}-${g.name}`,
        { length: 24, special: false },
        { parent: this },
      );
      secrets[g.name] = pw.result;
      generated[g.name] = pulumi.secret(pw.result.apply((password) => ({ username: g.username, password })));
    }
    const jupyterPassword = secrets['jupyter-password'];
    if (jupyterPassword !== undefined)
      secrets['jupyter-password-hash'] = pulumi.output(jupyterPassword).apply(jupyterPasswordHash);
    // An unset secret key arrives as its declared default "": then the generated logins are the users.
    const fromConfig = (args.secrets.zeppelinUsers ?? pulumi.output('')).apply((v) => v.trim());
    const admins = plan.zeppelinAdmins;
    const zeppelinGenerated = new Set(plan.generated.filter((g) => g.app === 'zeppelin').map((g) => g.name));
    if (plan.zeppelinUsers.length > 0) {
      const generatedIni = pulumi
        .all(
          plan.zeppelinUsers.map(
            (u) => secrets[plan.generated.find((g) => g.username === u && g.app === 'zeppelin')?.name ?? ''],
          ),
        )
        .apply((pws) => plan.zeppelinUsers.map((u, i) => usersIniLine(u, pws[i], admins)).join('\n'));
      secrets['zeppelin-users-ini'] = pulumi
        .all([fromConfig, generatedIni])
        .apply(([config, gen]) => (config === '' ? gen : usersIniFromConfig(config, admins)));
    }
    const ldap = args.secrets.ldapBindPassword;
    if (ldap !== undefined && plan.secretNames.includes('ldap-bind-password')) {
      // An unset secret key arrives as its declared default "", which is known at preview: fail there.
      secrets['ldap-bind-password'] = ldap.apply((v) => {
        if (v === '') throw new Error(`Zeppelin LDAP/AD auth needs the bind password: ${LDAP_HINT}`);
        return v;
      });
    }
    const values: Record<string, string> = {};
    if (endpoints.frameworkCredentials !== undefined) {
      secrets['framework-secret'] = endpoints.frameworkCredentials.secret;
      values['framework-principal'] = endpoints.frameworkCredentials.principal;
    }
    if (endpoints.marathonCredentials !== undefined) {
      secrets['marathon-password'] = endpoints.marathonCredentials.password;
      values['marathon-username'] = endpoints.marathonCredentials.username;
    }
    if (endpoints.chronosCredentials !== undefined) {
      secrets['chronos-password'] = endpoints.chronosCredentials.password;
      values['chronos-username'] = endpoints.chronosCredentials.username;
    }

    const access: ClientAccess = args.access ?? endpoints;
    const writers =
      plan.secretFiles.length === 0 || args.agents === undefined
        ? []
        : [
            new AppSecretFiles(
              `${name}-secret-files`,
              { files: plan.secretFiles, script: plan.secretWriter, agents: args.agents, secrets, values },
              { parent: this },
            ),
          ];
    const context: DeployContext = {
      marathonUrls: access.marathonUrls,
      chronosUrls: access.chronosUrls,
      ...(access.marathonCredentials !== undefined
        ? { marathonCredentials: access.marathonCredentials }
        : {}),
      ...(access.chronosCredentials !== undefined ? { chronosCredentials: access.chronosCredentials } : {}),
      ...(access.caCertificate !== undefined ? { caCertificate: access.caCertificate } : {}),
      secrets,
      values,
      ready: [...endpoints.ready, ...writers],
      schedulersReady: endpoints.schedulersReady,
      deployed: new Map(),
    };
    for (const app of ORDER) {
      const apps = plan.apps.filter((a) => a.app === app);
      if (apps.length > 0) new COMPONENTS[app](`${name}-${app}`, { apps, context }, { parent: this });
    }
    if (plan.jobs.length > 0)
      new MaintenanceJobs(`${name}-maintenance`, { jobs: plan.jobs, context }, { parent: this });

    const urls = clusterAppUrls(plan.apps);
    this.urls = pulumi.output(urls);
    // Logins set in stars:zeppelinUsers replace the generated ones, which are then not advertised.
    this.credentials = pulumi.secret(
      pulumi
        .all([pulumi.all(generated), fromConfig])
        .apply(([all, config]) =>
          Object.fromEntries(Object.entries(all).filter(([k]) => config === '' || !zeppelinGenerated.has(k))),
        ),
    );
    this.marathonApps = Object.fromEntries(context.deployed);
    this.registerOutputs({ urls: this.urls, credentials: this.credentials });
  }
}

/**
 * `alice:pw1,bob:pw2` (the secret config `zeppelinUsers`) → shiro `[users]` lines; every user is admin. The value
 * lands in a line-oriented file, so a user is a plain name and a password one printable token: a newline or a
 * space could add lines or roles to shiro.ini.
 */
/** One shiro.ini [users] line: Zeppelin's admin role only for the named admins. */
export function usersIniLine(user: string, password: string, admins: readonly string[]): string {
  return admins.includes(user) ? `${user} = ${password}, admin` : `${user} = ${password}`;
}

export function usersIniFromConfig(value: string, admins: readonly string[]): string {
  const lines = value
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '')
    .map((pair) => {
      const i = pair.indexOf(':');
      const user = pair.slice(0, i);
      const password = pair.slice(i + 1);
      if (i <= 0 || password === '')
        throw new Error('stars:zeppelinUsers must be user:password pairs separated by commas');
      if (!ZEPPELIN_USER.test(user))
        throw new Error(
          `stars:zeppelinUsers: ${JSON.stringify(user)} is not a user name; use letters, digits, "_", "." and "-" (1-64)`,
        );
      if (!/^[\x21-\x7e]+$/.test(password))
        throw new Error(
          `stars:zeppelinUsers: the password of ${user} must be printable ASCII without spaces (it goes into shiro.ini)`,
        );
      return usersIniLine(user, password, admins);
    });
  if (lines.length === 0)
    throw new Error('stars:zeppelinUsers must be user:password pairs separated by commas');
  return lines.join('\n');
}
