import { spawnSync } from 'child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { sha256 } from '../../../../components/hosts/plan-hosts';
import {
  STEP_DELIMITER,
  renderBootstrapBundle,
  renderBundleRunCommand,
  type BundledStep,
} from '../../../../components/hosts/render-bootstrap-bundle';

function step(dir: string, file: string, content: string): BundledStep {
  return { file, content, sha256: sha256(content), installPath: path.join(dir, file) };
}

describe('renderBootstrapBundle: text', () => {
  const steps = [
    step('/usr/local/lib/stars/bootstrap', '10-a.sh', '#!/usr/bin/env bash\necho a\n'),
    step('/usr/local/lib/stars/bootstrap', '20-b.sh', '#!/usr/bin/env bash\necho b\n'),
  ];

  test('the same steps give the same bytes, ending with a newline', () => {
    const text = renderBootstrapBundle('a1', steps);
    expect(renderBootstrapBundle('a1', steps)).toBe(text);
    expect(text.endsWith('\n')).toBe(true);
  });

  test('every step is installed with its hash, then run in the given order', () => {
    const text = renderBootstrapBundle('a1', steps);
    expect(text).toContain(
      `install_step '/usr/local/lib/stars/bootstrap/10-a.sh' '${steps[0].sha256}' <<'${STEP_DELIMITER}'\n` +
        `#!/usr/bin/env bash\necho a\n${STEP_DELIMITER}\n`,
    );
    expect(text).toContain(
      "run_step '/usr/local/lib/stars/bootstrap/10-a.sh'\nrun_step '/usr/local/lib/stars/bootstrap/20-b.sh'\nchanges=",
    );
    expect(text).toContain("install -d -m 0755 -o root -g root '/usr/local/lib/stars/bootstrap'\n");
  });

  test.each([
    [
      'a step without a final newline',
      step('/d', '10-a.sh', 'echo a'),
      'bootstrap step 10-a.sh for host a1 must end with a newline',
    ],
    [
      'a step containing the delimiter line',
      step('/d', '10-a.sh', `cat <<'${STEP_DELIMITER}'\nx\n${STEP_DELIMITER}\n`),
      `bootstrap step 10-a.sh for host a1 contains the line ${STEP_DELIMITER}`,
    ],
  ])('refuses %s', (_claim, bad, message) => {
    expect(() => renderBootstrapBundle('a1', [bad])).toThrow(message);
  });

  test('bash parses it and shellcheck finds nothing', () => {
    const text = renderBootstrapBundle('a1', steps);
    expect(spawnSync('bash', ['-n'], { input: text }).status).toBe(0);
    const r = spawnSync('/usr/bin/shellcheck', ['-s', 'bash', '-'], { input: text, encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('renderBundleRunCommand: text', () => {
  test('stages stdin in a private temp file, checks the hash, runs it with sudo', () => {
    expect(renderBundleRunCommand('ab12')).toBe(
      `f="$(mktemp)" && trap 'rm -f "$f"' EXIT && cat >"$f" && printf '%s  %s\\n' 'ab12' "$f" | sha256sum -c --quiet - && sudo bash "$f"`,
    );
  });
});

// Runs the bundle for real, as the SSH command would: POSIX sh (dash) reads it from stdin. The steps are installed
// into a temp dir; `sudo` is a stand-in on PATH that runs its arguments (this test already runs as root).
const asRoot = process.getuid?.() === 0 ? describe : describe.skip;
asRoot('bundle over the run command: real processes', () => {
  let dir: string;
  let bin: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'stars-bundle-'));
    bin = path.join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'sudo'), '#!/bin/sh\nexec "$@"\n');
    chmodSync(path.join(bin, 'sudo'), 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function runBundle(
    input: string,
    bundleSha: string,
  ): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync('/usr/bin/dash', ['-c', renderBundleRunCommand(bundleSha)], {
      input,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  const twoSteps = (): BundledStep[] => [
    step(
      path.join(dir, 'lib'),
      '10-a.sh',
      `#!/usr/bin/env bash\nread -r x || true\necho "a:\${x:-}" >>"${dir}/log"\n`,
    ),
    step(path.join(dir, 'lib'), '20-b.sh', `#!/usr/bin/env bash\necho b >>"${dir}/log"\n`),
  ];

  test('installs each step byte for byte with mode 0755 and runs them in order, a step reading no stdin', () => {
    const steps = twoSteps();
    const bundle = renderBootstrapBundle('a1', steps);
    const r = runBundle(bundle, sha256(bundle));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const s of steps) {
      expect(readFileSync(s.installPath, 'utf8')).toBe(s.content);
      expect(statSync(s.installPath).mode & 0o777).toBe(0o755);
      expect(existsSync(`${s.installPath}.new`)).toBe(false);
    }
    expect(readFileSync(path.join(dir, 'log'), 'utf8')).toBe('a:\nb\n');
    expect(r.stdout).toBe(
      steps.map((s) => `stars bootstrap [a1] running ${s.installPath}\n`).join('') +
        'stars bootstrap [a1] converged: 2 change(s)\n',
    );
  });

  test('a second run of the same bundle installs nothing and says the host was already converged', () => {
    const bundle = renderBootstrapBundle('a1', twoSteps());
    expect(runBundle(bundle, sha256(bundle)).status).toBe(0);
    const again = runBundle(bundle, sha256(bundle));
    expect(again.status).toBe(0);
    expect(again.stdout.split('\n').at(-2)).toBe('stars bootstrap [a1] converged: nothing changed');
  });

  test("a step's own change() lines are counted with the steps it installed", () => {
    const changing = step(
      path.join(dir, 'lib'),
      '10-c.sh',
      '#!/usr/bin/env bash\nprintf "x\\n" >>"$STARS_CHANGES"\n',
    );
    const bundle = renderBootstrapBundle('a1', [changing]);
    expect(runBundle(bundle, sha256(bundle)).stdout.split('\n').at(-2)).toBe(
      'stars bootstrap [a1] converged: 2 change(s)',
    );
    expect(runBundle(bundle, sha256(bundle)).stdout.split('\n').at(-2)).toBe(
      'stars bootstrap [a1] converged: 1 change(s)',
    );
  });

  test('a failing step stops the bundle: later steps do not run and the exit status is not 0', () => {
    const [, second] = twoSteps();
    const failing = step(path.join(dir, 'lib'), '10-a.sh', '#!/usr/bin/env bash\nexit 7\n');
    const bundle = renderBootstrapBundle('a1', [failing, second]);
    const r = runBundle(bundle, sha256(bundle));
    expect(r.status).toBe(7);
    expect(existsSync(path.join(dir, 'log'))).toBe(false);
  });

  test('a cut-off transfer is refused before anything is installed', () => {
    const steps = twoSteps();
    const bundle = renderBootstrapBundle('a1', steps);
    const r = runBundle(bundle.slice(0, Math.floor(bundle.length / 2)), sha256(bundle));
    expect(r.status).not.toBe(0);
    expect(existsSync(path.join(dir, 'lib'))).toBe(false);
  });

  test('a step whose body does not match its hash is refused and the installed copy is kept', () => {
    const [a] = twoSteps();
    const good = renderBootstrapBundle('a1', [a]);
    expect(runBundle(good, sha256(good)).status).toBe(0);
    const tampered = good.replace('echo "a:', 'echo "A:');
    const r = runBundle(tampered, sha256(tampered));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`stars bootstrap [a1] ERROR: ${a.installPath} does not match its sha256\n`);
    expect(readFileSync(a.installPath, 'utf8')).toBe(a.content);
    expect(existsSync(`${a.installPath}.new`)).toBe(false);
  });
});
