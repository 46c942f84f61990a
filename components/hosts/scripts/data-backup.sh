#!/bin/sh
# data-backup.sh: Stars data backups with restic (issue 30). POSIX sh, as busybox runs it in the restic image.
#   data-backup.sh init                              make the repository unless it exists (never over another)
#   data-backup.sh backup NAME DIR                   back DIR up as NAME, apply retention, check the repository
#   data-backup.sh restore NAME SNAPSHOT TARGET [--yes]
#                                                    put NAME's SNAPSHOT (an id or `latest`) at TARGET: restored
#                                                    beside it and verified first, then swapped in, the old
#                                                    TARGET kept; refused over files newer than the snapshot
#                                                    unless --yes
# Environment: RESTIC_REPOSITORY and RESTIC_PASSWORD_FILE (restic's own), STARS_HOST (the host the backups are
# named after), STARS_KEEP_DAILY/WEEKLY/MONTHLY (retention, 0-1000), STARS_CHECK_SUBSET (what `restic check`
# reads of the data, default a tenth a day), STARS_SFTP_COMMAND (for sftp: repositories, the ssh command restic
# runs, e.g. with the repository host's key pinned), STARS_METRICS_DIR (node exporter textfile collector directory: each
# backup's success, time and size for the alerts). Every failure exits non-zero with restic's own reason.
set -eu

fail() {
  printf 'stars data-backup: %s\n' "$*" >&2
  exit 1
}
[ -n "${RESTIC_REPOSITORY:-}" ] || fail "RESTIC_REPOSITORY is not set"
[ -r "${RESTIC_PASSWORD_FILE:-}" ] || fail "RESTIC_PASSWORD_FILE does not name a readable file"
host="${STARS_HOST:-$(hostname)}"
printf '%s' "$host" | grep -Eq '^[a-z0-9][a-z0-9.-]{0,62}$' || fail "STARS_HOST $host is not a host name"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

valid_name() {
  printf '%s' "$1" | grep -Eq '^[a-z0-9][a-z0-9-]{0,62}$' || fail "$1 is not a backup name (a-z, 0-9, -)"
}

# restic, with the ssh command of an sftp: repository (its host key pinned there) when one is given.
run_restic() {
  if [ -n "${STARS_SFTP_COMMAND:-}" ]; then
    restic -o "sftp.command=$STARS_SFTP_COMMAND" "$@"
  else
    restic "$@"
  fi
}

# Runs restic; on failure stops with what restic said (unreachable, wrong password, damaged repository).
restic_or_fail() {
  if ! run_restic "$@" >"$work/out" 2>"$work/err"; then
    fail "restic $1 failed: $(tr '\n' ' ' <"$work/err")"
  fi
}

# A retention count from the environment, 0-1000.
keep() {
  if ! printf '%s' "$2" | grep -Eq '^[0-9]{1,4}$' || [ "$2" -gt 1000 ]; then
    fail "$1 $2 is not 0-1000"
  fi
  printf '%s' "$2"
}

# The node exporter reads *.prom; a reader never sees half a file (written beside it, then renamed).
metrics() {
  [ -n "${STARS_METRICS_DIR:-}" ] || return 0
  file="$STARS_METRICS_DIR/stars-data-backup-$1.prom"
  last="$(sed -n "s/^stars_data_backup_last_success_timestamp_seconds{name=\"$1\"} //p" "$file" 2>/dev/null || true)"
  if [ "$2" = 1 ]; then last="$(date +%s)"; fi
  {
    printf '# HELP stars_data_backup_last_run_success Whether the last backup of a data set succeeded.\n'
    printf '# TYPE stars_data_backup_last_run_success gauge\n'
    printf 'stars_data_backup_last_run_success{name="%s"} %s\n' "$1" "$2"
    if [ -n "$last" ]; then
      printf '# HELP stars_data_backup_last_success_timestamp_seconds When the last good backup finished.\n'
      printf '# TYPE stars_data_backup_last_success_timestamp_seconds gauge\n'
      printf 'stars_data_backup_last_success_timestamp_seconds{name="%s"} %s\n' "$1" "$last"
    fi
    printf '# HELP stars_data_backup_last_added_bytes What the last backup added to the repository.\n'
    printf '# TYPE stars_data_backup_last_added_bytes gauge\n'
    printf 'stars_data_backup_last_added_bytes{name="%s"} %s\n' "$1" "${3:-0}"
  } >"$file.tmp"
  mv "$file.tmp" "$file"
}

cmd_init() {
  if run_restic cat config >/dev/null 2>"$work/err"; then
    printf 'stars data-backup: repository %s exists\n' "$RESTIC_REPOSITORY"
    return 0
  fi
  # Only a repository that is not there is made; a wrong password or an unreachable one stops here.
  grep -q 'Is there a repository at the following location' "$work/err" ||
    fail "restic cat config failed: $(tr '\n' ' ' <"$work/err")"
  restic_or_fail init
  printf 'stars data-backup: made repository %s\n' "$RESTIC_REPOSITORY"
}

backup_failed() {
  rc=$?
  if [ "$rc" -ne 0 ]; then metrics "$name" 0; fi
  rm -rf "$work"
}

cmd_backup() {
  name="${1:?usage: data-backup.sh backup NAME DIR}"
  dir="${2:?usage: data-backup.sh backup NAME DIR}"
  valid_name "$name"
  [ -d "$dir" ] || fail "$dir is not a directory"
  daily="$(keep STARS_KEEP_DAILY "${STARS_KEEP_DAILY:-7}")"
  weekly="$(keep STARS_KEEP_WEEKLY "${STARS_KEEP_WEEKLY:-4}")"
  monthly="$(keep STARS_KEEP_MONTHLY "${STARS_KEEP_MONTHLY:-6}")"
  # From here a failure is a failed backup, which the metrics say (the alert fires on it).
  trap backup_failed EXIT
  restic_or_fail backup --json --host "$host" --tag "stars-$name" "$dir"
  summary="$(grep '"message_type":"summary"' "$work/out" || true)"
  [ -n "$summary" ] || fail "restic backup printed no summary"
  added="$(printf '%s' "$summary" | sed -n 's/.*"data_added":\([0-9]*\).*/\1/p')"
  snapshot="$(printf '%s' "$summary" | sed -n 's/.*"snapshot_id":"\([0-9a-f]*\)".*/\1/p')"
  restic_or_fail forget --host "$host" --tag "stars-$name" --keep-daily "$daily" --keep-weekly "$weekly" \
    --keep-monthly "$monthly" --prune
  # The structure every time and a tenth of the data, a different tenth each day (all of it every ten days).
  day="$(date -u +%j | sed 's/^0*//')"
  subset="${STARS_CHECK_SUBSET:-$((${day:-0} % 10 + 1))/10}"
  printf '%s' "$subset" | grep -Eq '^[0-9]{1,3}/[0-9]{1,3}$' || fail "STARS_CHECK_SUBSET $subset is not n/t"
  restic_or_fail check --read-data-subset "$subset"
  metrics "$name" 1 "$added"
  printf 'stars data-backup: %s backed up as snapshot %s (%s bytes added)\n' "$name" "$snapshot" "${added:-0}"
}

# "2026-12-08T03:30:01.5+00:00" -> "202612080330.01", touch -t's form (POSIX), read in UTC.
touch_time() {
  printf '%s' "$1" | cut -c1-19 | sed 's/^\(....\)-\(..\)-\(..\)T\(..\):\(..\):\(..\)$/\1\2\3\4\5.\6/'
}

cmd_restore() {
  name="${1:?usage: data-backup.sh restore NAME SNAPSHOT TARGET [--yes]}"
  want="${2:?usage: data-backup.sh restore NAME SNAPSHOT TARGET [--yes]}"
  target="${3:?usage: data-backup.sh restore NAME SNAPSHOT TARGET [--yes]}"
  yes="${4:-}"
  valid_name "$name"
  printf '%s' "$want" | grep -Eq '^(latest|[0-9a-f]{8,64})$' || fail "$want is not a snapshot id or latest"
  case "$target" in /*) ;; *) fail "$target is not an absolute path" ;; esac
  [ -z "$yes" ] || [ "$yes" = --yes ] || fail "$yes is not --yes"
  if [ "$want" = latest ]; then
    restic_or_fail snapshots --json --tag "stars-$name" --latest 1
  else
    restic_or_fail snapshots --json --tag "stars-$name" "$want"
  fi
  # One snapshot of one directory: [{"time":"…","paths":["/data/x"],…,"id":"…"}]
  id="$(sed -n 's/.*"id":"\([0-9a-f]\{64\}\)".*/\1/p' "$work/out")"
  time="$(sed -n 's/.*"time":"\([^"]*\)".*/\1/p' "$work/out")"
  path="$(sed -n 's/.*"paths":\["\([^"]*\)"\].*/\1/p' "$work/out")"
  if [ -z "$id" ] || [ -z "$time" ] || [ -z "$path" ]; then
    fail "no snapshot $want of $name in the repository"
  fi
  if [ -d "$target" ] && [ -z "$yes" ]; then
    TZ=UTC0 touch -t "$(touch_time "$time")" "$work/snapshot-time"
    newer="$(find "$target" -type f -newer "$work/snapshot-time" | head -n 1)"
    [ -z "$newer" ] || fail "$target has data newer than snapshot ${id%"${id#????????}"} ($time), e.g. $newer; pass --yes to replace it (the current data is kept beside it)"
  fi
  staging="$target.restoring"
  rm -rf "$staging"
  # A restore that fails leaves nothing half-done: the staging copy goes, the target was never touched.
  trap 'rm -rf "$work" "$staging"' EXIT
  restic_or_fail restore "$id" --target "$staging" --verify
  [ -d "$staging$path" ] || fail "snapshot $id did not restore $path"
  if [ -e "$target" ]; then
    kept="$target.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
    mv "$target" "$kept"
    printf 'stars data-backup: kept the previous %s at %s\n' "$target" "$kept"
  fi
  mv "$staging$path" "$target"
  rm -rf "$staging"
  printf 'stars data-backup: restored %s snapshot %s (%s) to %s\n' "$name" "${id%"${id#????????}"}" "$time" "$target"
}

command="${1:-}"
[ "$#" -eq 0 ] || shift
case "$command" in
  init) cmd_init ;;
  backup) cmd_backup "$@" ;;
  restore) cmd_restore "$@" ;;
  *) fail "usage: data-backup.sh init | backup NAME DIR | restore NAME SNAPSHOT TARGET [--yes]" ;;
esac
