import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import * as path from 'path';
import { bootstrapScripts } from '../../../../components/hosts/plan-hosts';
import {
  renderDataBackupScript,
  renderRestoreScript,
  renderRunScript,
} from '../../../../components/hosts/render-data-backup';
import { parseClusterSpec } from '../../../../components/model/parse-cluster-spec';
import { rawConfigFromEngine } from '../../../../components/model/raw-config';
import type { ClusterSpec, DataBackupSpec } from '../../../../components/model/types';
import { ZOOKEEPER_HOST_DIR, dataSets } from '../../../../components/plan/topology';
import { ZOOKEEPER_DIRS } from '../../../../components/platform/render-zookeeper';
import { loadStackConfig } from '../../../../scripts/lib/stack-config';

const PROJECT_DIR = path.resolve(__dirname, '..', '..', '..', '..');
const SCRIPT = readFileSync(
  path.join(PROJECT_DIR, 'components', 'hosts', 'scripts', 'data-backup.sh'),
  'utf8',
);
const KEY =
  'backup.example.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const SFTP = {
  repository: 'sftp:backup@backup.example.org:/srv/restic/stars',
  sftpHostKey: KEY,
  time: '03:15',
};

/** The staging stack with stars:dataBackup and its secrets (secret keys, as `pulumi config set --secret` makes them). */
function withBackup(backup: Record<string, unknown>, secrets: readonly string[]): ClusterSpec {
  const cfg = loadStackConfig(PROJECT_DIR, 'staging');
  const values: Record<string, string> = { ...cfg.values, 'stars:dataBackup': JSON.stringify(backup) };
  for (const s of secrets) values[`stars:${s}`] = 'set';
  const { raw, secretKeys } = rawConfigFromEngine({
    values,
    secretKeys: [...cfg.secretKeys, ...secrets.map((s) => `stars:${s}`)],
  });
  return parseClusterSpec(raw, { stack: 'staging', secretKeys });
}

const staging = withBackup(SFTP, ['dataBackupPassword', 'dataBackupSshKey']);
const backup = staging.dataBackup as DataBackupSpec;

describe('what each host backs up', () => {
  test("the data apps on the first agent, ZooKeeper's data on the first master, nothing elsewhere", () => {
    expect(dataSets(staging)).toEqual({
      a1: [
        { name: 'blazegraph', dir: '/var/lib/stars/apps/blazegraph' },
        { name: 'jupyter', dir: '/var/lib/stars/apps/jupyter' },
        { name: 'lightning', dir: '/var/lib/stars/apps/lightning' },
        { name: 'zeppelin', dir: '/var/lib/stars/apps/zeppelin' },
      ],
      m1: [
        { name: 'zookeeper', dir: '/var/lib/zookeeper/data' },
        { name: 'zookeeper-log', dir: '/var/lib/zookeeper/datalog' },
      ],
    });
    expect([ZOOKEEPER_DIRS.hostData, ZOOKEEPER_DIRS.hostDataLog]).toEqual(
      dataSets(staging).m1.map((s) => s.dir),
    );
    expect(path.dirname(ZOOKEEPER_DIRS.hostData)).toBe(ZOOKEEPER_HOST_DIR);
  });

  test('only those hosts get the 60-data-backup.sh step, and only with stars:dataBackup', () => {
    const withStep = staging.hosts
      .filter((h) => bootstrapScripts(staging, h).some((s) => s.file === '60-data-backup.sh'))
      .map((h) => h.name);
    expect(withStep).toEqual(['a1', 'm1']);
    const plain = withBackup({ repository: '/mnt/backups' }, ['dataBackupPassword']);
    expect(
      plain.hosts.some((h) => bootstrapScripts({ ...plain, dataBackup: undefined }, h).length === 0),
    ).toBe(false);
    expect(
      plain.hosts.flatMap((h) => bootstrapScripts({ ...plain, dataBackup: undefined }, h)).map((s) => s.file),
    ).not.toContain('60-data-backup.sh');
  });
});

describe('60-data-backup.sh', () => {
  const a1 = staging.hosts.find((h) => h.name === 'a1')!;
  const step = renderDataBackupScript(a1, backup, dataSets(staging).a1, SCRIPT);

  test('passes shellcheck as bash (the scripts it installs, each checked as sh on its own, stand in as one line)', () => {
    const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
    let input = step;
    for (const text of [
      SCRIPT,
      renderRunScript(backup, dataSets(staging).a1),
      renderRestoreScript(backup, dataSets(staging).a1),
    ]) {
      expect(input).toContain(quote(text));
      input = input.replace(quote(text), "'#!/bin/sh'");
    }
    const r = spawnSync('shellcheck', ['-s', 'bash', '-'], { input, encoding: 'utf8' });
    expect([r.stdout, r.status]).toEqual(['', 0]);
  });

  test('installs the committed script as it is, and the secrets only as base64 placeholders in root-only files', () => {
    expect(step).toContain(
      `write_if_changed /usr/local/lib/stars/data-backup.sh '${SCRIPT.replace(/'/g, `'\\''`)}'`,
    );
    expect(step).toContain("secret_file /etc/stars/data-backup/password '{{secret:data-backup-password}}'");
    expect(step).toContain("secret_file /etc/stars/data-backup/ssh-key '{{secret:data-backup-ssh-key}}'");
    expect(step).toContain(`write_root /etc/stars/data-backup/known_hosts '${KEY}\n'`);
    expect(step).toContain('(umask 077 && printf');
  });

  test('the timer starts daily at the configured time in UTC and catches a missed run up', () => {
    expect(step).toContain('OnCalendar=*-*-* 03:15:00 UTC\nPersistent=true');
    expect(step).toContain('systemctl enable --now stars-data-backup.timer');
  });

  test('the settings file names the repository, the retention and the pinned ssh host key', () => {
    const env = /write_root \/etc\/stars\/data-backup\/env '([^']*)'/.exec(step)?.[1] ?? '';
    expect(env.split('\n')).toEqual([
      'RESTIC_REPOSITORY=sftp:backup@backup.example.org:/srv/restic/stars',
      'RESTIC_PASSWORD_FILE=/etc/stars/data-backup/password',
      'RESTIC_CACHE_DIR=/cache',
      'STARS_HOST=a1',
      'STARS_KEEP_DAILY=7',
      'STARS_KEEP_WEEKLY=4',
      'STARS_KEEP_MONTHLY=6',
      'STARS_METRICS_DIR=/var/lib/stars/metrics',
      'STARS_SFTP_COMMAND=ssh -i /etc/stars/data-backup/ssh-key -o UserKnownHostsFile=/etc/stars/data-backup/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes backup@backup.example.org -s sftp',
      '',
    ]);
  });

  test('each data set is backed up in its own container, read-only, and one failure fails the run after all ran', () => {
    const run = renderRunScript(backup, dataSets(staging).a1);
    const lines = run.split('\n').filter((l) => l.startsWith('docker run'));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      'docker run --rm --network host --entrypoint /bin/sh --env-file /etc/stars/data-backup/env -v /etc/stars/data-backup:/etc/stars/data-backup:ro -v /usr/local/lib/stars/data-backup.sh:/usr/local/bin/stars-data-backup:ro -v /var/lib/stars/metrics:/var/lib/stars/metrics -v /var/cache/stars-restic:/cache -v /var/lib/stars/apps/blazegraph:/data/blazegraph:ro \'ghcr.io/restic/restic:0.19.1\' /usr/local/bin/stars-data-backup backup blazegraph /data/blazegraph || failed="$failed blazegraph"',
    );
    const r = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: run, encoding: 'utf8' });
    expect([r.stdout, r.status]).toEqual(['', 0]);
  });

  test('data-restore restores one of this host’s sets in the image, holding the timer, each set beside its kin', () => {
    const m1 = renderRestoreScript(backup, dataSets(staging).m1);
    expect(m1).toContain("usage='usage: data-restore zookeeper|zookeeper-log SNAPSHOT|latest [--yes]'");
    expect(m1).toContain(
      '  zookeeper) parent=/var/lib/zookeeper leaf=data ;;\n  zookeeper-log) parent=/var/lib/zookeeper leaf=datalog ;;',
    );
    expect(m1).toContain(
      "systemctl stop stars-data-backup.timer\ntrap 'systemctl start stars-data-backup.timer' EXIT\n",
    );
    expect(m1).toContain(
      '-v "$parent:/restore" \'ghcr.io/restic/restic:0.19.1\' /usr/local/bin/stars-data-backup restore "$1" "$2" "/restore/$leaf" ${3:+"$3"}',
    );
    const r = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: m1, encoding: 'utf8' });
    expect([r.stdout, r.status]).toEqual(['', 0]);
  });
});
