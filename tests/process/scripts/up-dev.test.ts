import { spawnSync } from 'child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

/**
 * `npm run up:dev` (scripts/up-dev.sh) run for real by bash, in a copy of the project tree whose `docker`,
 * `npm` and `pulumi` are stubs that log their argv: what the script checks first, which CLI it picks and what
 * it runs, with no engine, registry or Pulumi download touched.
 */

const SCRIPT = path.resolve(__dirname, '..', '..', '..', 'scripts', 'up-dev.sh');

interface World {
  readonly dir: string;
  readonly bin: string;
  readonly log: string;
}

function stub(file: string, log: string, name: string, exit = 0): void {
  writeFileSync(file, `#!/bin/bash\necho "${name} $*" >> '${log}'\nexit ${exit}\n`);
  chmodSync(file, 0o755);
}

/** A project copy with the script, a fake node_modules (when asked) and stubs on a PATH of their own. */
function world(o: {
  docker: boolean;
  pathPulumi: boolean;
  npmPulumi: boolean;
  pulumiVersionFails?: boolean;
}): World {
  const dir = mkdtempSync(path.join(tmpdir(), 'up-dev-'));
  const bin = path.join(dir, 'stub-bin');
  const log = path.join(dir, 'calls.log');
  mkdirSync(path.join(dir, 'scripts'));
  mkdirSync(bin);
  copyFileSync(SCRIPT, path.join(dir, 'scripts', 'up-dev.sh'));
  writeFileSync(log, '');
  stub(path.join(bin, 'docker'), log, 'docker', o.docker ? 0 : 1);
  stub(path.join(bin, 'npm'), log, 'npm');
  const fails = o.pulumiVersionFails === true;
  const pulumi = `#!/bin/bash\necho "$(basename "$0")@$0 $*" >> '${log}'\n[ "$1" = version ] && exit ${fails ? 1 : 0}\nexit 0\n`;
  if (o.pathPulumi) {
    writeFileSync(path.join(bin, 'pulumi'), pulumi);
    chmodSync(path.join(bin, 'pulumi'), 0o755);
  }
  if (o.npmPulumi) {
    mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules', '.bin', 'pulumi'), pulumi);
    chmodSync(path.join(dir, 'node_modules', '.bin', 'pulumi'), 0o755);
  }
  // node comes from the test's own Node.js; nothing else of /usr/local/bin (a real docker lives there).
  writeFileSync(path.join(bin, 'node'), `#!/bin/bash\nexec '${process.execPath}' "$@"\n`);
  chmodSync(path.join(bin, 'node'), 0o755);
  return { dir, bin, log };
}

function upDev(w: World, args: string[] = []): { code: number | null; stderr: string; calls: string[] } {
  const r = spawnSync('bash', [path.join(w.dir, 'scripts', 'up-dev.sh'), ...args], {
    encoding: 'utf8',
    env: { PATH: `${w.bin}:/usr/bin:/bin`, HOME: w.dir },
  });
  const calls = readFileSync(w.log, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(w.dir, '<project>'));
  return { code: r.status, stderr: r.stderr, calls };
}

const made: World[] = [];
afterAll(() => made.forEach((w) => rmSync(w.dir, { recursive: true, force: true })));
const fresh = (o: Parameters<typeof world>[0]): World => {
  const w = world(o);
  made.push(w);
  return w;
};

describe('npm run up:dev', () => {
  test('no Docker engine: it says so before npm ci or any Pulumi command runs', () => {
    const r = upDev(fresh({ docker: false, pathPulumi: false, npmPulumi: false }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: no Docker engine answers on this machine (DOCKER_HOST=unset)');
    expect(r.calls).toEqual(['docker info']);
  });

  test('no Pulumi CLI on PATH: npm ci installs the pulumi npm package, and the script runs the CLI through it', () => {
    const w = fresh({ docker: true, pathPulumi: false, npmPulumi: false });
    // npm ci is what puts node_modules/.bin/pulumi there: the stub does the same.
    writeFileSync(
      path.join(w.bin, 'npm'),
      `#!/bin/bash\necho "npm $*" >> '${w.log}'\nif [ "$1" = ci ]; then mkdir -p node_modules/.bin; printf '#!/bin/bash\\necho "npm-pulumi $*" >> ${w.log}\\n' > node_modules/.bin/pulumi; chmod +x node_modules/.bin/pulumi; fi\n`,
    );
    const r = upDev(w, ['--refresh']);
    expect(r.stderr).toContain('using the Pulumi CLI from the pulumi npm package');
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([
      'docker info',
      'npm ci',
      'npm-pulumi version',
      'npm run build',
      'npm-pulumi stack select dev --create --non-interactive',
      'npm-pulumi up --stack dev --yes --non-interactive --refresh',
    ]);
  });

  test('a Pulumi CLI on PATH is used, and an installed node_modules is not reinstalled', () => {
    const r = upDev(fresh({ docker: true, pathPulumi: true, npmPulumi: true }));
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([
      'docker info',
      'pulumi@<project>/stub-bin/pulumi version',
      'npm run build',
      'pulumi@<project>/stub-bin/pulumi stack select dev --create --non-interactive',
      'pulumi@<project>/stub-bin/pulumi up --stack dev --yes --non-interactive',
    ]);
  });

  test('a CLI that cannot run (offline first download) is reported with the manual install, before the build', () => {
    const r = upDev(fresh({ docker: true, pathPulumi: false, npmPulumi: true, pulumiVersionFails: true }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: the Pulumi CLI did not run (node_modules/.bin/pulumi version failed); offline, install it by hand',
    );
    expect(r.calls).toEqual(['docker info', 'pulumi@node_modules/.bin/pulumi version']);
  });

  test('the project pins the pulumi npm package, so npm ci alone provides a CLI', () => {
    const pkg = JSON.parse(
      readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'),
    ) as {
      devDependencies: Record<string, string>;
    };
    expect(pkg.devDependencies.pulumi).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
