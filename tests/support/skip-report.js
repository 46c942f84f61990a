// Jest globalSetup/globalTeardown: every suite that skips something on this machine appends its reason to one
// log (tests/support/skips.ts); the teardown prints the reasons once, after the run, where nobody misses them.
const { existsSync, mkdtempSync, readFileSync, rmSync } = require('fs');
const { tmpdir } = require('os');
const path = require('path');

async function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'stars-skips-'));
  process.env.STARS_SKIP_LOG = path.join(dir, 'skips.log');
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
  rmSync(path.dirname(log), { recursive: true, force: true });
  if (reasons.length === 0) return;
  process.stderr.write(
    `\nSKIPPED on this machine (${reasons.length}):\n${reasons.map((r) => `  - ${r}`).join('\n')}\n\n`,
  );
}

module.exports = { setup, teardown };
