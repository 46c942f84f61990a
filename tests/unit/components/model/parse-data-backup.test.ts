import { IssueList } from '../../../../components/model/issues';
import { DEFAULT_KEEP, RESTIC_IMAGE, parseDataBackup } from '../../../../components/model/parse-data-backup';

const ALL = { password: true, sshKey: true, s3Credentials: true };
const KEY =
  'backup.example.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const parse = (value: unknown, secrets = ALL) => {
  const issues = new IssueList();
  const spec = parseDataBackup(issues, value, secrets);
  return { spec, issues: issues.all().map((i) => `${i.path}: ${i.message}`) };
};

describe('parseDataBackup', () => {
  test('unset: no backups, and no backup secret may be set', () => {
    expect(parse(undefined, { password: false, sshKey: false, s3Credentials: false })).toEqual({
      spec: undefined,
      issues: [],
    });
    expect(parse(undefined, { password: true, sshKey: false, s3Credentials: false }).issues).toEqual([
      'dataBackupPassword: belongs to stars:dataBackup, which is not set; set it or remove the key',
    ]);
  });

  test.each([
    ['/mnt/backups/stars', 'local'],
    ['sftp:backup@backup.example.org:/srv/restic/stars', 'sftp'],
    ['s3:https://s3.example.org/stars-backups/prod', 's3'],
  ] as const)(
    '%s is a %s repository with the defaults: 02:30 UTC, 7/4/6, the pinned image',
    (repository, kind) => {
      const { spec, issues } = parse({ repository, ...(kind === 'sftp' ? { sftpHostKey: KEY } : {}) });
      expect(issues).toEqual([]);
      expect(spec).toEqual({
        repository,
        kind,
        time: '02:30',
        keep: DEFAULT_KEEP,
        image: RESTIC_IMAGE,
        ...(kind === 'sftp' ? { sftpHostKey: KEY } : {}),
      });
    },
  );

  test.each([
    [{}, 'dataBackup.repository: is required: /path, sftp:user@host:/path or s3:https://host/bucket[/path]'],
    [
      { repository: 'sftp:root@host:/srv/$(id)' },
      'dataBackup.repository: "sftp:root@host:/srv/$(id)" is not /path, sftp:user@host:/path or s3:https://host/bucket[/path] (letters, digits, ._/- only)',
    ],
    [
      { repository: '/srv/../etc' },
      'dataBackup.repository: "/srv/../etc" is not /path, sftp:user@host:/path or s3:https://host/bucket[/path] (letters, digits, ._/- only)',
    ],
    [
      { repository: 's3:http://s3.example.org/b' },
      'dataBackup.repository: "s3:http://s3.example.org/b" is not /path, sftp:user@host:/path or s3:https://host/bucket[/path] (letters, digits, ._/- only)',
    ],
    [{ repository: '/b', time: '25:00' }, 'dataBackup.time: "25:00" is not HH:MM (00:00-23:59, UTC)'],
    [{ repository: '/b', keep: { daily: 1001 } }, 'dataBackup.keep.daily: 1001 is not 0-1000'],
    [
      { repository: '/b', keep: { daily: 0, weekly: 0, monthly: 0 } },
      'dataBackup.keep: keeps no snapshot at all; keep at least one daily, weekly or monthly',
    ],
    [
      { repository: '/b', image: 'restic/restic:latest' },
      'dataBackup.image: "restic/restic:latest" is not a pinned image reference; write [registry/]name:tag',
    ],
    [
      { repository: 'sftp:backup@h.example.org:/r' },
      "dataBackup.sftpHostKey: is required with an sftp repository: the repository host's key, pinned (ssh-keyscan host)",
    ],
    [
      { repository: '/b', sftpHostKey: KEY },
      'dataBackup.sftpHostKey: is only used with an sftp repository; remove it',
    ],
    [
      { repository: '/b', schedule: 'daily' },
      'dataBackup.schedule: unknown key; known keys: repository, time, keep, image, sftpHostKey',
    ],
  ])('refuses %j naming the field and the fix', (value, message) => {
    expect(parse(value).issues).toEqual([message]);
  });

  test.each([
    [{ repository: '/b' }, { password: false, sshKey: false, s3Credentials: false }, 'dataBackupPassword'],
    [
      { repository: 'sftp:b@h.example.org:/r', sftpHostKey: KEY },
      { password: true, sshKey: false, s3Credentials: false },
      'dataBackupSshKey',
    ],
    [
      { repository: 's3:https://s3.example.org/stars-backups' },
      { password: true, sshKey: false, s3Credentials: false },
      'dataBackupS3Credentials',
    ],
  ])('%j without the secret it needs names %s and how to set it', (value, secrets, key) => {
    const { issues } = parse(value, secrets);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(new RegExp(`^${key}: is required .*pulumi config set --secret stars:${key}`));
  });
});
