import { APP_SECRETS_DIR } from '../plan/topology';

/**
 * App secrets travel as files, never in a Marathon or Chronos definition (whose env anyone with the API login
 * reads): on every agent a one-shot writer container copies them to `APP_SECRETS_DIR/<app>/<name>`, mode 0400
 * and owned by the user the app's process runs as, and the app mounts its own directory read-only at
 * APP_SECRETS_MOUNT. Contents are templates with `{{secret:…}}` placeholders, filled at deploy time.
 */
export const APP_SECRETS_MOUNT = '/run/secrets/stars';
/** Where the writer container gets the files (docker uploads) before it copies them out. */
export const APP_SECRETS_UPLOAD_DIR = '/run/stars-app-secrets';

export interface SecretFile {
  /** The app's directory name (`spark`, `zeppelin`, `jobs`, …). */
  readonly app: string;
  readonly name: string;
  /** The uid that reads it: the app process's own user. */
  readonly uid: number;
  readonly content: string;
}

const APP = /^[a-z][a-z0-9-]{0,31}$/;
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The path an app reads one of its secret files at. */
export function secretFilePath(name: string): string {
  return `${APP_SECRETS_MOUNT}/${name}`;
}

/** The read-only volume of an app's secret directory. */
export function secretsVolume(app: string): { containerPath: string; hostPath: string; mode: 'RO' } {
  return { containerPath: APP_SECRETS_MOUNT, hostPath: `${APP_SECRETS_DIR}/${app}`, mode: 'RO' };
}

/** Sorted by app, then name; a duplicate or a name that is not one plain path component is refused. */
export function sortSecretFiles(files: readonly SecretFile[]): SecretFile[] {
  const seen = new Set<string>();
  for (const f of files) {
    if (!APP.test(f.app) || !NAME.test(f.name) || !Number.isInteger(f.uid) || f.uid < 0)
      throw new Error(`app secret file ${f.app}/${f.name} (uid ${f.uid}) is not a valid name and owner`);
    const key = `${f.app}/${f.name}`;
    if (seen.has(key)) throw new Error(`two app secret files are called ${key}`);
    seen.add(key);
  }
  return [...files].sort((a, b) => (`${a.app}/${a.name}` < `${b.app}/${b.name}` ? -1 : 1));
}

/**
 * The writer's script (`sh -c SCRIPT writer IN OUT`): each file replaced atomically (copy, owner, mode, rename),
 * every app directory 0500 to its user, and whatever the plan no longer names removed, so a disabled app's
 * secrets do not linger on the agents.
 */
export function renderSecretWriter(files: readonly SecretFile[]): string {
  const sorted = sortSecretFiles(files);
  const apps = [...new Set(sorted.map((f) => f.app))];
  const uidOf = new Map(sorted.map((f) => [f.app, f.uid]));
  for (const f of sorted) {
    if (uidOf.get(f.app) !== f.uid) throw new Error(`app secret files of ${f.app} name two owners`);
  }
  const lines = [
    '# Rendered by Stars (components/apps/render-secret-files.ts): app secrets onto this agent.',
    'set -eu',
    'umask 077',
    'in=$1',
    'out=$2',
    'mkdir -p "$out"',
    'chown 0:0 "$out"',
    'chmod 0711 "$out"',
    'put() {',
    '  mkdir -p "$out/$1"',
    '  tmp="$out/$1/.$2.new"',
    '  cp "$in/$1/$2" "$tmp"',
    '  chown "$3:0" "$tmp"',
    '  chmod 0400 "$tmp"',
    '  mv -f "$tmp" "$out/$1/$2"',
    '  chown "$3:0" "$out/$1"',
    '  chmod 0500 "$out/$1"',
    '}',
    ...sorted.map((f) => `put ${f.app} ${f.name} ${f.uid}`),
    `for d in "$out"/* "$out"/.[!.]*; do`,
    '  [ -e "$d" ] || continue',
    `  case "\${d##*/}" in`,
    ...(apps.length === 0 ? [] : [`    ${apps.join('|')}) ;;`]),
    '    *) rm -rf "$d" ;;',
    '  esac',
    'done',
    ...apps.flatMap((app) => {
      const names = sorted.filter((f) => f.app === app).map((f) => f.name);
      return [
        `for f in "$out/${app}"/* "$out/${app}"/.[!.]*; do`,
        '  [ -e "$f" ] || continue',
        `  case "\${f##*/}" in`,
        `    ${names.join('|')}) ;;`,
        '    *) rm -rf "$f" ;;',
        '  esac',
        'done',
      ];
    }),
    `echo "stars: ${sorted.length} app secret file(s) in place"`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The writer container's health marker: `<upload dir>.done`, inside the container only. */
export const WRITER_DONE = `${APP_SECRETS_UPLOAD_DIR}.done`;

/**
 * What the writer container runs (`sh -c PROGRAM stars-app-secrets IN OUT`): the script, then the marker its
 * healthcheck waits for, then an idle wait that ends at once on `docker stop`.
 */
export function writerProgram(script: string): string {
  return `${script}touch "$1.done"\ntrap 'exit 0' TERM INT\nwhile :; do sleep 3600 & wait $!; done\n`;
}
