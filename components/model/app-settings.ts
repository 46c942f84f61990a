import type { IssueList } from './issues';
import { readBoolean, readNumber, readObject, readString, readStringArray, type Raw } from './read-values';
import { DISTINGUISHED_NAME } from './ldap-names';
import { APP_NAMES, type AppName, type AppsSpec, type ZeppelinOptions } from './types';

/** Defaults that run out of the box on a modest agent; every field can be overridden in `appSettings`. */
export const APP_DEFAULTS: Omit<AppsSpec, 'enabled'> = {
  spark: {
    executorCores: 1,
    executorMemory: '2g',
    coresMax: 8,
    dispatcherCpus: 0.5,
    dispatcherMemMb: 1024,
    historyServer: true,
    shuffleService: true,
  },
  zeppelin: { cpus: 1, memMb: 3072, auth: 'local', users: ['admin'], admins: [] },
  livy: { cpus: 1, memMb: 2048, sessionTimeout: '1h', auth: true },
  // Blazegraph has no login of its own: read-only unless a dev stack asks otherwise (README "Security model").
  blazegraph: { cpus: 1, memMb: 5120, heap: '4g', readOnly: true, corsOrigins: [] },
  lightning: { cpus: 0.5, memMb: 512 },
  jupyter: { cpus: 1, memMb: 2048 },
  jenkins: { cpus: 1, memMb: 2048 },
};

type Field = 'number' | 'boolean' | 'string' | 'string[]';

const FIELDS: Readonly<Record<AppName, Readonly<Record<string, Field>>>> = {
  spark: {
    executorCores: 'number',
    executorMemory: 'string',
    coresMax: 'number',
    dispatcherCpus: 'number',
    dispatcherMemMb: 'number',
    historyServer: 'boolean',
    shuffleService: 'boolean',
  },
  zeppelin: {
    cpus: 'number',
    memMb: 'number',
    auth: 'string',
    ldapUrl: 'string',
    ldapSearchBase: 'string',
    ldapBindUser: 'string',
    users: 'string[]',
    admins: 'string[]',
    adminGroup: 'string',
  },
  livy: { cpus: 'number', memMb: 'number', sessionTimeout: 'string', auth: 'boolean' },
  blazegraph: {
    cpus: 'number',
    memMb: 'number',
    heap: 'string',
    readOnly: 'boolean',
    corsOrigins: 'string[]',
  },
  lightning: { cpus: 'number', memMb: 'number', image: 'string' },
  jupyter: { cpus: 'number', memMb: 'number' },
  jenkins: { cpus: 'number', memMb: 'number' },
};

const SIZE = /^\d+[kmg]$/;
/** A Zeppelin (shiro.ini) user name, whether listed in appSettings or set in the secret zeppelinUsers. */
export const ZEPPELIN_USER = /^[A-Za-z0-9_.-]{1,64}$/;
const LDAP_URL = /^ldaps?:\/\/[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?\/?$/;
/** `[registry[:port]/]name[/name]:tag[@sha256:…]`, a tag required (Docker's reference grammar, lowercase names). */
export const IMAGE_REFERENCE =
  /^(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*:\w[\w.-]{0,127}(?:@sha256:[0-9a-f]{64})?$/;

/** Merges `appSettings` over the defaults, checking every field's type and the few value rules. */
export function parseAppSettings(
  issues: IssueList,
  raw: Raw | undefined,
  enabled: readonly AppName[],
  environment?: string,
): AppsSpec {
  const settings = raw === undefined ? {} : (readObject(issues, 'appSettings', raw, APP_NAMES) ?? {});
  const merged: Record<string, Record<string, unknown>> = {};
  for (const app of APP_NAMES) {
    const base: Record<string, unknown> = { ...APP_DEFAULTS[app] };
    const given = settings[app];
    if (given !== undefined) {
      const path = `appSettings.${app}`;
      const fields = FIELDS[app];
      const obj = readObject(issues, path, given, Object.keys(fields)) ?? {};
      for (const [key, value] of Object.entries(obj)) {
        const kind = fields[key];
        if (kind === undefined) continue;
        const p = `${path}.${key}`;
        const v =
          kind === 'number'
            ? readNumber(issues, p, value)
            : kind === 'boolean'
              ? readBoolean(issues, p, value)
              : kind === 'string'
                ? readString(issues, p, value)
                : readStringArray(issues, p, value);
        if (v === undefined) continue;
        if (kind === 'number' && (v as number) <= 0) {
          issues.add(p, `${v} must be greater than 0`);
          continue;
        }
        base[key] = v;
      }
    }
    merged[app] = base;
  }
  const apps = merged as unknown as Omit<AppsSpec, 'enabled'>;
  checkAppRules(issues, apps, enabled);
  if (
    !apps.blazegraph.readOnly &&
    enabled.includes('blazegraph') &&
    environment !== undefined &&
    environment !== 'dev'
  )
    issues.add(
      'appSettings.blazegraph.readOnly',
      `may be false only in dev: Blazegraph has no login of its own, so a writable store would take updates from ` +
        `anyone who reaches it; ${environment} keeps it read-only (remove the key) and loads data from a dev stack or a trusted job`,
    );
  return { enabled, ...apps };
}

function checkAppRules(
  issues: IssueList,
  apps: Omit<AppsSpec, 'enabled'>,
  enabled: readonly AppName[],
): void {
  for (const [path, value] of [
    ['appSettings.spark.executorMemory', apps.spark.executorMemory],
    ['appSettings.blazegraph.heap', apps.blazegraph.heap],
  ] as const) {
    if (!SIZE.test(value))
      issues.add(path, `${JSON.stringify(value)} is not a JVM size; write e.g. "4g" or "512m"`);
  }
  if (!['local', 'ldap', 'activeDirectory'].includes(apps.zeppelin.auth)) {
    issues.add(
      'appSettings.zeppelin.auth',
      `${JSON.stringify(apps.zeppelin.auth)} is not one of local, ldap, activeDirectory`,
    );
  } else if (apps.zeppelin.auth !== 'local' && enabled.includes('zeppelin')) {
    for (const key of ['ldapUrl', 'ldapSearchBase', 'ldapBindUser'] as const) {
      if (apps.zeppelin[key] === undefined) {
        issues.add(`appSettings.zeppelin.${key}`, `is required when auth is ${apps.zeppelin.auth}`);
      }
    }
  }
  // These land in shiro.ini and livy.conf, line-oriented files: one value must stay one line and one token.
  if (apps.zeppelin.ldapUrl !== undefined && !LDAP_URL.test(apps.zeppelin.ldapUrl)) {
    issues.add(
      'appSettings.zeppelin.ldapUrl',
      `${JSON.stringify(apps.zeppelin.ldapUrl)} is not an LDAP URL; write ldap://host[:port] or ldaps://host[:port]`,
    );
  }
  for (const key of ['ldapSearchBase', 'ldapBindUser'] as const) {
    const v = apps.zeppelin[key];
    if (v !== undefined && !/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(v)) {
      issues.add(
        `appSettings.zeppelin.${key}`,
        `${JSON.stringify(v)} must be printable ASCII on one line, without leading or trailing spaces`,
      );
    }
  }
  apps.zeppelin.users.forEach((user, i) => {
    if (!ZEPPELIN_USER.test(user)) {
      issues.add(
        `appSettings.zeppelin.users[${i}]`,
        `${JSON.stringify(user)} is not a user name; use letters, digits, "_", "." and "-" (1-64)`,
      );
    }
  });
  checkZeppelinAdmins(issues, apps.zeppelin);
  // Optional: the project builds Lightning (images/lightning); a site may run its own image instead.
  if (apps.lightning.image !== undefined) {
    if (!IMAGE_REFERENCE.test(apps.lightning.image) || /:latest(@|$)/.test(apps.lightning.image)) {
      issues.add(
        'appSettings.lightning.image',
        `${JSON.stringify(apps.lightning.image)} is not a pinned image reference; write [registry/]name:tag`,
      );
    }
  }
  if (apps.blazegraph.corsOrigins.length > 0) {
    issues.add(
      'appSettings.blazegraph.corsOrigins',
      'Blazegraph 2.1.5 ships no CORS filter (its jar has no jetty-servlets), so the app would not start; ' +
        'remove corsOrigins and allow the origins at a proxy in front of Blazegraph',
    );
  }
  if (!/^\d+[smhd]$/.test(apps.livy.sessionTimeout)) {
    issues.add(
      'appSettings.livy.sessionTimeout',
      `${JSON.stringify(apps.livy.sessionTimeout)} is not a duration; write e.g. "1h"`,
    );
  }
  for (const need of [
    ['zeppelin', 'spark'],
    ['livy', 'spark'],
    ['jupyter', 'livy'],
  ] as const) {
    if (enabled.includes(need[0]) && !enabled.includes(need[1])) {
      issues.add('apps', `${need[0]} needs ${need[1]}; add "${need[1]}" to apps`);
    }
  }
}

/** A directory group's cn as LdapRealm reads it into a role name, and as shiro.ini's `roles[...]` can hold it. */
export const LDAP_GROUP_CN = /^[A-Za-z0-9_.-]{1,64}$/;

/** Zeppelin admins: local users named in `users`, or one directory group (its cn for ldap, its DN for AD). */
function checkZeppelinAdmins(issues: IssueList, z: ZeppelinOptions): void {
  if (z.auth === 'local') {
    if (z.adminGroup !== undefined)
      issues.add(
        'appSettings.zeppelin.adminGroup',
        'is for ldap and activeDirectory; with local users list the admins in appSettings.zeppelin.admins',
      );
    z.admins.forEach((admin, i) => {
      if (!z.users.includes(admin))
        issues.add(
          `appSettings.zeppelin.admins[${i}]`,
          `${JSON.stringify(admin)} is not one of appSettings.zeppelin.users (${z.users.join(', ')}); add it there or remove it`,
        );
    });
    return;
  }
  if (z.admins.length > 0)
    issues.add(
      'appSettings.zeppelin.admins',
      `lists local users, but auth is ${z.auth}; name the directory group in appSettings.zeppelin.adminGroup instead`,
    );
  const group = z.adminGroup;
  if (group === undefined) return;
  if (z.auth === 'ldap' && !LDAP_GROUP_CN.test(group))
    issues.add(
      'appSettings.zeppelin.adminGroup',
      `${JSON.stringify(group)} is not a group cn; with ldap give the group's cn (letters, digits, "_", "." and "-"), e.g. zeppelin-admins`,
    );
  if (z.auth === 'activeDirectory' && !DISTINGUISHED_NAME.test(group))
    issues.add(
      'appSettings.zeppelin.adminGroup',
      `${JSON.stringify(group)} is not a distinguished name; with activeDirectory give the group's DN, e.g. CN=zeppelin-admins,OU=groups,DC=example,DC=org`,
    );
}
