import type { DataBackupSpec, HostSpec } from '../model/types';
import type { DataSet } from '../plan/topology';
import { secretRef } from '../plan/placeholders';
import { WRITE_IF_CHANGED, preamble, shellQuote } from './render-bootstrap';

/**
 * 60-data-backup.sh: the daily restic backup of this host's data sets (stars:dataBackup). The script itself
 * (components/hosts/scripts/data-backup.sh) runs in the pinned restic image with each data directory mounted
 * read-only; a systemd timer starts it at `time` UTC, catching up a missed run at boot. Secrets reach the host only
 * as base64 in this script's stdin (the hosts layer fills them in) and land in root-only files.
 */

export const DATA_BACKUP_DIR = '/etc/stars/data-backup';
export const DATA_BACKUP_SCRIPT = '/usr/local/lib/stars/data-backup.sh';
export const DATA_BACKUP_RUN = '/usr/local/lib/stars/data-backup-run';
export const DATA_RESTORE = '/usr/local/lib/stars/data-restore';
/** The node exporter's textfile collector directory (the monitoring issue scrapes it). */
export const METRICS_DIR = '/var/lib/stars/metrics';
export const DATA_BACKUP_UNIT = 'stars-data-backup';

/** Secret placeholders this step carries, filled base64-encoded (components/hosts/bootstrap-secrets.ts). */
export const DATA_BACKUP_SECRETS = {
  password: 'data-backup-password',
  sshKey: 'data-backup-ssh-key',
  s3Credentials: 'data-backup-s3-credentials',
} as const;

/** KEY=value lines Docker's --env-file reads (no quoting: values are checked to hold no newline). */
function envFile(host: HostSpec, b: DataBackupSpec): string {
  const lines = [
    `RESTIC_REPOSITORY=${b.repository}`,
    `RESTIC_PASSWORD_FILE=${DATA_BACKUP_DIR}/password`,
    `RESTIC_CACHE_DIR=/cache`,
    `STARS_HOST=${host.name}`,
    `STARS_KEEP_DAILY=${b.keep.daily}`,
    `STARS_KEEP_WEEKLY=${b.keep.weekly}`,
    `STARS_KEEP_MONTHLY=${b.keep.monthly}`,
    `STARS_METRICS_DIR=${METRICS_DIR}`,
  ];
  if (b.kind === 'sftp')
    lines.push(
      `STARS_SFTP_COMMAND=ssh -i ${DATA_BACKUP_DIR}/ssh-key -o UserKnownHostsFile=${DATA_BACKUP_DIR}/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes ${sftpTarget(b.repository)} -s sftp`,
    );
  return `${lines.join('\n')}\n`;
}

/** `user@host` of `sftp:user@host:/path`. */
function sftpTarget(repository: string): string {
  return repository.slice('sftp:'.length, repository.indexOf(':', 'sftp:'.length));
}

/** The command one run of the image needs: the script, the settings, the metrics, the cache and one data set. */
function dockerRun(b: DataBackupSpec, args: string, dataMount = ''): string {
  return [
    'docker run --rm --network host --entrypoint /bin/sh',
    `--env-file ${DATA_BACKUP_DIR}/env`,
    ...(b.kind === 's3' ? [`--env-file ${DATA_BACKUP_DIR}/s3.env`] : []),
    `-v ${DATA_BACKUP_DIR}:${DATA_BACKUP_DIR}:ro`,
    `-v ${DATA_BACKUP_SCRIPT}:/usr/local/bin/stars-data-backup:ro`,
    `-v ${METRICS_DIR}:${METRICS_DIR}`,
    '-v /var/cache/stars-restic:/cache',
    ...(dataMount === '' ? [] : [dataMount]),
    shellQuote(b.image),
    `/usr/local/bin/stars-data-backup ${args}`,
  ].join(' ');
}

/** Runs every data set's backup, each in its own container; fails when one failed, after trying them all. */
export function renderRunScript(b: DataBackupSpec, sets: readonly DataSet[]): string {
  const runs = sets.map(
    (s) =>
      `${dockerRun(b, `backup ${s.name} /data/${s.name}`, `-v ${s.dir}:/data/${s.name}:ro`)} || failed="$failed ${s.name}"`,
  );
  return `#!/bin/sh
# Rendered by Stars (components/hosts/render-data-backup.ts): one restic backup per data set on this host.
failed=''
${runs.join('\n')}
[ -z "$failed" ] || { echo "stars data-backup: failed:$failed" >&2; exit 1; }
`;
}

/**
 * `data-restore NAME SNAPSHOT [--yes]`: the restore of one of this host's data sets, in the same image with the
 * directory above the data writable (the restore lands beside it, then is swapped in). The timer is held while it
 * runs; stopping what writes the data (the app in Marathon, ZooKeeper's container) is the operator's step.
 */
export function renderRestoreScript(b: DataBackupSpec, sets: readonly DataSet[]): string {
  const cases = sets.map((s) => {
    const parent = s.dir.slice(0, s.dir.lastIndexOf('/'));
    const leaf = s.dir.slice(s.dir.lastIndexOf('/') + 1);
    return `  ${s.name}) parent=${parent} leaf=${leaf} ;;`;
  });
  return `#!/bin/sh
# Rendered by Stars (components/hosts/render-data-backup.ts): restore one data set of this host from restic.
set -eu
usage='usage: data-restore ${sets.map((s) => s.name).join('|')} SNAPSHOT|latest [--yes]'
if [ "$#" -lt 2 ] || [ "$#" -gt 3 ]; then
  echo "$usage" >&2
  exit 64
fi
case "$1" in
${cases.join('\n')}
  *) echo "data-restore: $1 is not backed up on this host; $usage" >&2; exit 64 ;;
esac
systemctl stop ${DATA_BACKUP_UNIT}.timer
trap 'systemctl start ${DATA_BACKUP_UNIT}.timer' EXIT
${dockerRun(b, 'restore "$1" "$2" "/restore/$leaf" ${3:+"$3"}', '-v "$parent:/restore"')}
`;
}

function units(b: DataBackupSpec): { service: string; timer: string } {
  return {
    service: `[Unit]
Description=Stars data backup (restic)
Requires=docker.service
After=docker.service network-online.target

[Service]
Type=oneshot
ExecStart=${DATA_BACKUP_RUN}
`,
    timer: `[Unit]
Description=Stars data backup, daily at ${b.time} UTC

[Timer]
OnCalendar=*-*-* ${b.time}:00 UTC
Persistent=true

[Install]
WantedBy=timers.target
`,
  };
}

/** Writes a root-only file from base64 (a secret's value, as the hosts layer fills it in). */
const SECRET_FILE = `
secret_file() {
  local file="$1" value
  value="$(printf '%s' "$2" | base64 -d)"
  if [ -f "$file" ] && [ "$(cat "$file")" = "$value" ]; then return 0; fi
  (umask 077 && printf '%s\\n' "$value" >"$file")
  changed "wrote $file"
}
`;

/** `script`: the text of components/hosts/scripts/data-backup.sh (committedHostScript), installed as it is. */
export function renderDataBackupScript(
  host: HostSpec,
  b: DataBackupSpec,
  sets: readonly DataSet[],
  script: string,
): string {
  const u = units(b);
  const secrets = [
    `secret_file ${DATA_BACKUP_DIR}/password '${secretRef(DATA_BACKUP_SECRETS.password)}'`,
    ...(b.kind === 'sftp'
      ? [
          `secret_file ${DATA_BACKUP_DIR}/ssh-key '${secretRef(DATA_BACKUP_SECRETS.sshKey)}'`,
          `write_root ${DATA_BACKUP_DIR}/known_hosts ${shellQuote(`${b.sftpHostKey ?? ''}\n`)}`,
        ]
      : []),
    ...(b.kind === 's3'
      ? [`secret_file ${DATA_BACKUP_DIR}/s3.creds '${secretRef(DATA_BACKUP_SECRETS.s3Credentials)}'`]
      : []),
  ];
  return `${preamble(host.name, '60-data-backup.sh', 'daily restic backups of this host’s data')}${WRITE_IF_CHANGED}${SECRET_FILE}
# A root-only file with fixed content.
write_root() {
  if (umask 077 && write_if_changed "$1" "$2"); then changed "wrote $1"; fi
}
install -d -m 0700 ${DATA_BACKUP_DIR}
install -d -m 0700 /var/cache/stars-restic
install -d -m 0755 ${METRICS_DIR} /usr/local/lib/stars
${secrets.join('\n')}
write_root ${DATA_BACKUP_DIR}/env ${shellQuote(envFile(host, b))}
${
  b.kind === 's3'
    ? `# Docker's env-file form of the S3 keys (ACCESS_KEY_ID:SECRET in the secret).
creds="$(cat ${DATA_BACKUP_DIR}/s3.creds)"
write_root ${DATA_BACKUP_DIR}/s3.env "AWS_ACCESS_KEY_ID=\${creds%%:*}
AWS_SECRET_ACCESS_KEY=\${creds#*:}"
`
    : ''
}if write_if_changed ${DATA_BACKUP_SCRIPT} ${shellQuote(script)}; then changed "wrote ${DATA_BACKUP_SCRIPT}"; fi
if write_if_changed ${DATA_BACKUP_RUN} ${shellQuote(renderRunScript(b, sets))}; then changed "wrote ${DATA_BACKUP_RUN}"; fi
if write_if_changed ${DATA_RESTORE} ${shellQuote(renderRestoreScript(b, sets))}; then changed "wrote ${DATA_RESTORE}"; fi
chmod 0755 ${DATA_BACKUP_SCRIPT} ${DATA_BACKUP_RUN} ${DATA_RESTORE}
units_changed=no
if write_if_changed /etc/systemd/system/${DATA_BACKUP_UNIT}.service ${shellQuote(u.service)}; then units_changed=yes; fi
if write_if_changed /etc/systemd/system/${DATA_BACKUP_UNIT}.timer ${shellQuote(u.timer)}; then units_changed=yes; fi
if [ "$units_changed" = yes ]; then
  systemctl daemon-reload
  changed "wrote the ${DATA_BACKUP_UNIT} units"
fi
systemctl enable --now ${DATA_BACKUP_UNIT}.timer >/dev/null
# The repository is made once, never over one that exists or cannot be opened (the script says which).
${dockerRun(b, 'init')}
log "data backups of ${sets.map((s) => s.name).join(', ')} daily at ${b.time} UTC to ${b.repository}"
`;
}
