// Jest globalSetup/globalTeardown: every suite that skips something on this machine appends its reason to one
// log (tests/support/skips.ts); the teardown prints the reasons once, after the run, where nobody misses them.
// The run also gets a temporary directory of its own as TMPDIR (the workers inherit it), removed at the end, so
// no test leaves a directory behind even when it fails before its own cleanup.
const { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } = require('fs');
const { tmpdir } = require('os');
const path = require('path');

async function setup() {
  const run = mkdtempSync(path.join(tmpdir(), 'stars-test-'));
  // Traversable by the unprivileged users some process tests run as (www-data, an app's uid).
  chmodSync(run, 0o755);
  process.env.STARS_TEST_RUN_DIR = run;
  process.env.STARS_TEST_OUTER_TMPDIR = process.env.TMPDIR ?? '';
  process.env.TMPDIR = run;
  process.env.STARS_SKIP_LOG = path.join(run, 'skips.log');
}

async function teardown() {
  const log = process.env.STARS_SKIP_LOG;
  if (log === undefined) return;
  const reasons = existsSync(log)
    ? [
        ...new Set(
          readFileSync(log, 'utf8')
            .split('\n')
            .filter((l) => l !== ''),
        ),
      ]
    : [];
  const run = process.env.STARS_TEST_RUN_DIR;
  if (run !== undefined) rmSync(run, { recursive: true, force: true });
  if (process.env.STARS_TEST_OUTER_TMPDIR === '') delete process.env.TMPDIR;
  else process.env.TMPDIR = process.env.STARS_TEST_OUTER_TMPDIR;
  if (reasons.length === 0) return;
  process.stderr.write(
    `\nSKIPPED on this machine (${reasons.length}):\n${reasons.map((r) => `  - ${r}`).join('\n')}\n\n`,
  );
}

module.exports = { setup, teardown };
