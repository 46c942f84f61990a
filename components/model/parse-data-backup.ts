import type { IssueList } from './issues';
import { IMAGE_REFERENCE } from './app-settings';
import { describe, readInteger, readObject, readString, type Raw } from './read-values';
import type { DataBackupSpec } from './types';

/**
 * `stars:dataBackup`: where and when the hosts back up their data with restic. Every value ends up in a root-only
 * file or a systemd unit on a host, so each is held to a narrow shape here; the repository's password, SSH key and
 * S3 keys are secret config (`dataBackupPassword`, `dataBackupSshKey`, `dataBackupS3Credentials`).
 */

/** The restic image the hosts run (its evidence: tests/contract/upstream/restic). */
export const RESTIC_IMAGE = 'ghcr.io/restic/restic:0.19.1';

const KEYS = ['repository', 'time', 'keep', 'image', 'sftpHostKey'];
const KEEP_KEYS = ['daily', 'weekly', 'monthly'];
export const DEFAULT_KEEP = { daily: 7, weekly: 4, monthly: 6 } as const;

const LOCAL = /^\/[A-Za-z0-9._/-]{1,255}$/;
const SFTP = /^sftp:([a-z_][a-z0-9_-]{0,31})@([A-Za-z0-9.-]{1,253}):(\/[A-Za-z0-9._/-]{1,255})$/;
const S3 =
  /^s3:https:\/\/[A-Za-z0-9.-]{1,253}(:\d{1,5})?\/[a-z0-9][a-z0-9.-]{2,62}(\/[A-Za-z0-9._/-]{1,255})?$/;
/** `host key-type base64`, as ssh-keyscan prints it (no options, no comment). */
const HOST_KEY =
  /^[A-Za-z0-9.-]{1,253} (ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) [A-Za-z0-9+/]{16,4096}={0,2}$/;

export interface DataBackupSecrets {
  readonly password: boolean;
  readonly sshKey: boolean;
  readonly s3Credentials: boolean;
}

function kindOf(repository: string): DataBackupSpec['kind'] | undefined {
  if (LOCAL.test(repository) && !repository.split('/').includes('..')) return 'local';
  if (SFTP.test(repository) && !repository.split('/').includes('..')) return 'sftp';
  if (S3.test(repository)) return 's3';
  return undefined;
}

function readKeep(issues: IssueList, value: Raw): DataBackupSpec['keep'] {
  if (value === undefined) return DEFAULT_KEEP;
  const obj = readObject(issues, 'dataBackup.keep', value, KEEP_KEYS) ?? {};
  const out: Record<string, number> = { ...DEFAULT_KEEP };
  for (const k of KEEP_KEYS) {
    if (obj[k] === undefined) continue;
    const n = readInteger(issues, `dataBackup.keep.${k}`, obj[k] as Raw);
    if (n !== undefined && (n < 0 || n > 1000)) issues.add(`dataBackup.keep.${k}`, `${n} is not 0-1000`);
    else if (n !== undefined) out[k] = n;
  }
  if (out.daily + out.weekly + out.monthly === 0)
    issues.add('dataBackup.keep', 'keeps no snapshot at all; keep at least one daily, weekly or monthly');
  return out as unknown as DataBackupSpec['keep'];
}

export function parseDataBackup(
  issues: IssueList,
  value: Raw,
  secrets: DataBackupSecrets,
): DataBackupSpec | undefined {
  if (value === undefined) {
    for (const [set, key] of [
      [secrets.password, 'dataBackupPassword'],
      [secrets.sshKey, 'dataBackupSshKey'],
      [secrets.s3Credentials, 'dataBackupS3Credentials'],
    ] as const)
      if (set) issues.add(key, 'belongs to stars:dataBackup, which is not set; set it or remove the key');
    return undefined;
  }
  const obj = readObject(issues, 'dataBackup', value, KEYS);
  if (obj === undefined) return undefined;
  const repository =
    obj.repository === undefined
      ? undefined
      : readString(issues, 'dataBackup.repository', obj.repository as Raw);
  const kind = repository === undefined ? undefined : kindOf(repository);
  if (repository === undefined && obj.repository === undefined)
    issues.add(
      'dataBackup.repository',
      'is required: /path, sftp:user@host:/path or s3:https://host/bucket[/path]',
    );
  else if (repository !== undefined && kind === undefined)
    issues.add(
      'dataBackup.repository',
      `${describe(repository)} is not /path, sftp:user@host:/path or s3:https://host/bucket[/path] (letters, digits, ._/- only)`,
    );
  const time = obj.time === undefined ? '02:30' : readString(issues, 'dataBackup.time', obj.time as Raw);
  if (time !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(time))
    issues.add('dataBackup.time', `${describe(time)} is not HH:MM (00:00-23:59, UTC)`);
  const image =
    obj.image === undefined ? RESTIC_IMAGE : readString(issues, 'dataBackup.image', obj.image as Raw);
  if (image !== undefined && (!IMAGE_REFERENCE.test(image) || /:latest(@|$)/.test(image)))
    issues.add(
      'dataBackup.image',
      `${describe(image)} is not a pinned image reference; write [registry/]name:tag`,
    );
  const hostKey =
    obj.sftpHostKey === undefined
      ? undefined
      : readString(issues, 'dataBackup.sftpHostKey', obj.sftpHostKey as Raw);
  if (hostKey !== undefined && !HOST_KEY.test(hostKey))
    issues.add('dataBackup.sftpHostKey', 'is not "host key-type base64" as ssh-keyscan prints it');
  if (kind === 'sftp' && obj.sftpHostKey === undefined)
    issues.add(
      'dataBackup.sftpHostKey',
      "is required with an sftp repository: the repository host's key, pinned (ssh-keyscan host)",
    );
  if (kind !== 'sftp' && obj.sftpHostKey !== undefined)
    issues.add('dataBackup.sftpHostKey', 'is only used with an sftp repository; remove it');
  if (!secrets.password)
    issues.add(
      'dataBackupPassword',
      'is required with stars:dataBackup: `pulumi config set --secret stars:dataBackupPassword <password>`',
    );
  if (kind === 'sftp' && !secrets.sshKey)
    issues.add(
      'dataBackupSshKey',
      'is required with an sftp repository: `pulumi config set --secret stars:dataBackupSshKey < key`',
    );
  if (kind === 's3' && !secrets.s3Credentials)
    issues.add(
      'dataBackupS3Credentials',
      'is required with an s3 repository: `pulumi config set --secret stars:dataBackupS3Credentials KEY_ID:SECRET`',
    );
  const keep = readKeep(issues, obj.keep as Raw);
  if (repository === undefined || kind === undefined || time === undefined || image === undefined)
    return undefined;
  return {
    repository,
    kind,
    time,
    keep,
    image,
    ...(hostKey === undefined ? {} : { sftpHostKey: hostKey }),
  };
}
