import { createHash } from 'crypto';
import * as pulumi from '@pulumi/pulumi';
import { proxyCredentialsProblem } from '../model/parse-package-sources';
import { fillPlaceholders, placeholdersIn } from '../plan/placeholders';
import { DATA_BACKUP_SECRETS } from './render-data-backup';
import { PROXY_CREDENTIALS_SECRET } from './render-package-sources';

/** Secret config the bootstrap scripts refer to by placeholder (plans show the placeholder, hosts get the value). */
export interface BootstrapSecrets {
  /** The secret stars:proxyCredentials (user:password). */
  readonly proxyCredentials?: pulumi.Input<string>;
  /** stars:dataBackupPassword, stars:dataBackupSshKey and stars:dataBackupS3Credentials. */
  readonly dataBackupPassword?: pulumi.Input<string>;
  readonly dataBackupSshKey?: pulumi.Input<string>;
  readonly dataBackupS3Credentials?: pulumi.Input<string>;
}

interface SecretRule {
  readonly key: keyof BootstrapSecrets;
  /** Why the value cannot be used, never showing it; undefined when it can. */
  readonly problem: (value: string) => string | undefined;
  /** How the placeholder is filled: as it is (a URL login), or base64 (the script decodes it into a file). */
  readonly base64: boolean;
  /** What to say when it is not set. */
  readonly missing: string;
}

const setWith = (key: string, example: string) =>
  `stars:${key} is not set; set it with \`pulumi config set --secret stars:${key} ${example}\``;

const limit = (key: string, max: number) => (value: string) =>
  value.length === 0 || value.length > max
    ? `stars:${key} must be 1-${max} characters; the value is not shown`
    : undefined;

/** Each placeholder a bootstrap may carry, the secret it takes and how it is checked and filled. */
const RULES: Readonly<Record<string, SecretRule>> = {
  [PROXY_CREDENTIALS_SECRET]: {
    key: 'proxyCredentials',
    problem: proxyCredentialsProblem,
    base64: false,
    missing: `packageSources.proxy takes a login, but ${setWith('proxyCredentials', 'user:password')}`,
  },
  [DATA_BACKUP_SECRETS.password]: {
    key: 'dataBackupPassword',
    problem: limit('dataBackupPassword', 1024),
    base64: true,
    missing: `stars:dataBackup needs its repository password, but ${setWith('dataBackupPassword', '<password>')}`,
  },
  [DATA_BACKUP_SECRETS.sshKey]: {
    key: 'dataBackupSshKey',
    problem: (v) =>
      /^-----BEGIN [A-Z ]*PRIVATE KEY-----\n[\s\S]+\n-----END [A-Z ]*PRIVATE KEY-----\n?$/.test(v) &&
      v.length <= 16384
        ? undefined
        : 'stars:dataBackupSshKey is not a PEM or OpenSSH private key (set it with --secret < key); the value is not shown',
    base64: true,
    missing: `an sftp backup repository needs a login key, but ${setWith('dataBackupSshKey', '< key')}`,
  },
  [DATA_BACKUP_SECRETS.s3Credentials]: {
    key: 'dataBackupS3Credentials',
    problem: (v) =>
      /^[A-Za-z0-9]{16,128}:[A-Za-z0-9/+=]{16,128}$/.test(v)
        ? undefined
        : 'stars:dataBackupS3Credentials is not ACCESS_KEY_ID:SECRET_ACCESS_KEY; the value is not shown',
    base64: true,
    missing: `an s3 backup repository needs its keys, but ${setWith('dataBackupS3Credentials', 'KEY_ID:SECRET')}`,
  },
};

/**
 * A bootstrap text with its secret placeholders filled, as a secret Output, or the text itself when it has none.
 * `rerun` changes with the secrets' values (a digest, itself secret), so a new password reaches the hosts.
 */
export function filledBootstrap(
  text: string,
  secrets: BootstrapSecrets | undefined,
  host: string,
): { text: pulumi.Input<string>; rerun: pulumi.Input<string>[] } {
  const names = placeholdersIn(text, 'secret');
  if (names.length === 0) return { text, rerun: [] };
  const unknown = names.filter((n) => RULES[n] === undefined);
  if (unknown.length > 0)
    throw new Error(`host ${host}: the bootstrap refers to unknown secrets ${unknown.join(', ')}`);
  const missing = names.filter((n) => secrets?.[RULES[n].key] === undefined).map((n) => RULES[n].missing);
  if (missing.length > 0) throw new Error(`host ${host}: ${missing.join('; ')}`);
  const values = pulumi.all(names.map((n) => pulumi.output(secrets?.[RULES[n].key] as pulumi.Input<string>)));
  const checked = values.apply((vs) =>
    Object.fromEntries(
      names.map((n, i) => {
        const problem = RULES[n].problem(vs[i]);
        if (problem !== undefined) throw new Error(problem);
        return [n, RULES[n].base64 ? Buffer.from(vs[i], 'utf8').toString('base64') : vs[i]];
      }),
    ),
  );
  return {
    text: pulumi.secret(checked.apply((secret) => fillPlaceholders(text, { secret }))),
    rerun: [
      pulumi.secret(
        checked.apply((secret) => createHash('sha256').update(JSON.stringify(secret)).digest('hex')),
      ),
    ],
  };
}
