import { posix } from 'path';
import { shellQuote, type BootstrapScript } from './render-bootstrap';

/**
 * A host's bootstrap steps as one script, sent over SSH as the standard input of one command: it installs every
 * step under BOOTSTRAP_DIR (each checked against its sha256 before it replaces the installed copy) and runs them
 * in order, stopping at the first failure. One remote command per host instead of a copy and a run per step keeps
 * the deployment graph small (the Pulumi SDK's cost is per resource) and stages nothing in a shared /tmp.
 */

export interface BundledStep extends BootstrapScript {
  /** sha256 of `content`, hex. */
  readonly sha256: string;
  /** Where the step is installed on the host (BOOTSTRAP_DIR in a plan). */
  readonly installPath: string;
}

/** Ends each step's here-document; a step may not contain it as a line of its own. */
export const STEP_DELIMITER = 'STARS_BOOTSTRAP_STEP_EOF';

export function renderBootstrapBundle(hostName: string, steps: readonly BundledStep[]): string {
  for (const step of steps) {
    // A here-document always ends its body with a newline; a script without one would fail its own checksum.
    if (!step.content.endsWith('\n'))
      throw new Error(`bootstrap step ${step.file} for host ${hostName} must end with a newline`);
    if (step.content.split('\n').includes(STEP_DELIMITER))
      throw new Error(`bootstrap step ${step.file} for host ${hostName} contains the line ${STEP_DELIMITER}`);
  }
  const host = shellQuote(hostName);
  const installs = steps
    .map(
      (s) =>
        `install_step ${shellQuote(s.installPath)} ${shellQuote(s.sha256)} <<'${STEP_DELIMITER}'\n` +
        `${s.content}${STEP_DELIMITER}\n`,
    )
    .join('');
  const runs = steps.map((s) => `run_step ${shellQuote(s.installPath)}\n`).join('');
  const dirs = [...new Set(steps.map((s) => posix.dirname(s.installPath)))].sort();
  return `#!/usr/bin/env bash
# Stars bootstrap of host ${hostName}: installs the steps below, each checked against its sha256, then runs them in
# order. Rendered by components/hosts/render-bootstrap-bundle.ts; safe to re-run.
set -euo pipefail

install_step() {
  local path="$1" sum="$2"
  cat >"$path.new"
  if ! printf '%s  %s\\n' "$sum" "$path.new" | sha256sum -c --quiet - >/dev/null 2>&1; then
    rm -f "$path.new"
    printf 'stars bootstrap [%s] ERROR: %s does not match its sha256\\n' ${host} "$path" >&2
    exit 1
  fi
  if [ -f "$path" ] && cmp -s "$path" "$path.new"; then
    rm -f "$path.new"
    return 0
  fi
  chmod 0755 "$path.new"
  mv -f "$path.new" "$path"
  printf 'installed %s\\n' "$path" >>"$STARS_CHANGES"
}

run_step() {
  printf 'stars bootstrap [%s] running %s\\n' ${host} "$1"
  # No stdin: a step must never read (and so swallow) anything meant for another.
  bash "$1" </dev/null
}

[ "$(id -u)" -eq 0 ] || { printf 'stars bootstrap [%s] ERROR: must run as root (sudo)\\n' ${host} >&2; exit 1; }
# Every step records what it changed here, so the last line says whether the host was already converged.
STARS_CHANGES="$(mktemp)"
export STARS_CHANGES
trap 'rm -f "$STARS_CHANGES"' EXIT
install -d -m 0755 -o root -g root ${dirs.map(shellQuote).join(' ')}
${installs}${runs}changes="$(wc -l <"$STARS_CHANGES")"
if [ "$changes" -eq 0 ]; then
  printf 'stars bootstrap [%s] converged: nothing changed\\n' ${host}
else
  printf 'stars bootstrap [%s] converged: %s change(s)\\n' ${host} "$changes"
fi
`;
}

/**
 * The remote command that receives a bundle on standard input: it keeps it in a private temporary file (mktemp,
 * mode 0600), refuses it unless it matches the planned sha256 (a cut-off transfer), then runs it as root with
 * `args` (shell words, already quoted). POSIX sh, as the login shell may be dash.
 */
export function renderBundleRunCommand(bundleSha256: string, args = ''): string {
  return [
    'f="$(mktemp)"',
    `trap 'rm -f "$f"' EXIT`,
    'cat >"$f"',
    `printf '%s  %s\\n' ${shellQuote(bundleSha256)} "$f" | sha256sum -c --quiet -`,
    `sudo bash "$f"${args === '' ? '' : ` ${args}`}`,
  ].join(' && ');
}
