/**
 * stars:dataBackup through the program: the hosts that hold data get the backup step, its secrets travel only
 * inside the bootstrap's secret stdin (base64, decoded into root-only files), and a new password re-runs it.
 */
import { REDACTED } from '../../../../scripts/lib/program-runner';
import { find, runStack } from '../../harness';

jest.setTimeout(120_000);

const PASSWORD = 'repo-pass-only-in-secrets';
const SSH_KEY =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-only-in-secrets\n-----END OPENSSH PRIVATE KEY-----\n';
const BACKUP = {
  repository: 'sftp:backup@backup.example.org:/srv/restic/stars',
  sftpHostKey:
    'backup.example.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
};
const withBackup = (password = PASSWORD) =>
  runStack(
    'staging',
    {
      'stars:dataBackup': JSON.stringify(BACKUP),
      'stars:dataBackupPassword': password,
      'stars:dataBackupSshKey': SSH_KEY,
    },
    { secretOverrides: ['stars:dataBackupPassword', 'stars:dataBackupSshKey'] },
  );

describe('the data backup step on the hosts', () => {
  test('the first agent and the first master get it; their bootstrap carries the secrets only inside a secret', async () => {
    const run = await withBackup();
    for (const host of ['a1', 'm1']) {
      const bootstrap = find(run, 'command:remote:Command', `hosts-${host}-bootstrap`);
      expect(bootstrap.inputs.stdin).toBe(REDACTED);
      const stdin = bootstrap.revealed.stdin as string;
      expect(stdin).toContain(
        `secret_file /etc/stars/data-backup/password '${Buffer.from(PASSWORD).toString('base64')}'`,
      );
      expect(stdin).toContain(
        `secret_file /etc/stars/data-backup/ssh-key '${Buffer.from(SSH_KEY).toString('base64')}'`,
      );
      expect(stdin).not.toContain('{{secret:');
    }
    const a2 = find(run, 'command:remote:Command', 'hosts-a2-bootstrap');
    expect(JSON.stringify(a2.revealed)).not.toContain('data-backup');
    const plain = JSON.stringify({ resources: run.resources.map((r) => r.inputs), outputs: run.outputs });
    expect(plain).not.toContain('only-in-secrets');
    expect(plain).not.toContain(Buffer.from(PASSWORD).toString('base64'));
  });

  test('a new repository password re-runs the bootstrap of the hosts that use it (a secret digest trigger)', async () => {
    const before = find(await withBackup(), 'command:remote:Command', 'hosts-a1-bootstrap');
    const after = find(
      await withBackup('another-pass-only-in-secrets'),
      'command:remote:Command',
      'hosts-a1-bootstrap',
    );
    expect(after.revealed.triggers).not.toEqual(before.revealed.triggers);
  });
});
