import { spawnSync } from 'child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs `npm run plan` as a user would: a separate process, offline, no Pulumi CLI. */
function plan(args: string[], initCwd = ROOT): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'scripts/plan.ts', ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      // npm run starts scripts in the project root and says where the user was in INIT_CWD.
      env: { ...process.env, PULUMI_CONFIG_PASSPHRASE: '', INIT_CWD: initCwd },
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

jest.setTimeout(120_000);

describe('npm run plan', () => {
  test.each([
    ['dev', 'local'],
    ['staging', 'onprem'],
    ['production', 'aws'],
  ])(
    'plans the %s stack offline, says what it planned first, and writes resources.json, graph.mmd and outputs.json',
    (stack, mode) => {
      const out = mkdtempSync(path.join(tmpdir(), `plan-${stack}-`));
      const r = plan(['--stack', stack, '--out', out]);
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe(
        `plan of stack ${stack}: environment ${stack}, mode ${mode}, config Pulumi.${stack}.yaml`,
      );
      expect(r.stdout).toMatch(/^\d+ resources$/m);
      const outputs = JSON.parse(readFileSync(path.join(out, 'outputs.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect([outputs.environment, outputs.mode]).toEqual([stack, mode]);
      expect(r.stdout).toContain('stack outputs (secrets shown as [secret]):\n{\n');
      if (outputs.backupKey !== undefined) expect(outputs.backupKey).toBe('[secret]');
      expect(JSON.stringify(outputs)).not.toContain('mock-password');
      const resources = JSON.parse(readFileSync(path.join(out, 'resources.json'), 'utf8')) as {
        stack: string;
        resources: unknown[];
      };
      expect(resources.stack).toBe(stack);
      expect(readFileSync(path.join(out, 'graph.mmd'), 'utf8').startsWith('flowchart TD\n')).toBe(true);
      rmSync(out, { recursive: true, force: true });
    },
  );

  test('a config with several mistakes lists all of them, exits non-zero and writes nothing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'plan-bad-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(
      file,
      [
        'config:',
        '  stars:environment: production',
        '  stars:mode: onprem',
        '  stars:adminCidrs: [10.0.0.0/16]',
        '  stars:sshPort: 0',
        '  stars:apps: [spark, sparkle]',
        '  stars:hosts:',
        '    - { name: m1, address: 10.0.0.300, roles: [master], ssh: { hostKey: ssh-ed25519 AAAAC3Nza } }',
        '    - { name: m2, address: 10.0.0.2, roles: [master], ssh: { hostKey: ssh-ed25519 AAAAC3Nza } }',
        '',
      ].join('\n'),
    );
    const out = path.join(dir, 'out');
    const r = plan(['--stack', 'bad', '--config-file', file, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      [
        'error: stack config has 5 problems:',
        '  - sshPort: 0 is not a TCP port (1-65535)',
        '  - apps[1]: "sparkle" is not a known app (did you mean "spark"?); known apps: spark, zeppelin, livy, blazegraph, lightning, jupyter, jenkins',
        '  - hosts[0].address (host m1): "10.0.0.300" is not an IPv4 address',
        '  - hosts: has 2 masters; an even count adds no fault tolerance to the ZooKeeper/Mesos quorum, use 3 or 5 (production needs one of them)',
        '  - hosts: has no agent; give at least one host the agent role so tasks can run',
        '',
      ].join('\n'),
    );
    expect(existsSync(out)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  test('--out refuses a non-empty directory it did not write, and touches nothing in it', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'plan-foreign-'));
    mkdirSync(path.join(out, 'hosts'));
    writeFileSync(path.join(out, 'hosts', 'mine.txt'), 'keep me\n');
    const r = plan(['--stack', 'dev', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: ${out} is not empty and was not written by npm run plan (no .stars-plan); choose a new or empty --out directory\n`,
    );
    expect(readFileSync(path.join(out, 'hosts', 'mine.txt'), 'utf8')).toBe('keep me\n');
    expect(readdirSync(out)).toEqual(['hosts']);
    rmSync(out, { recursive: true, force: true });
  });

  test('a second plan into its own directory replaces only what the first wrote (a removed host goes, a user file stays)', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'plan-again-'));
    const staging = readFileSync(path.join(ROOT, 'Pulumi.staging.yaml'), 'utf8');
    expect(plan(['--stack', 'staging', '--out', out]).code).toBe(0);
    expect(existsSync(path.join(out, 'hosts', 'a3', 'firewall.nft'))).toBe(true);
    writeFileSync(path.join(out, 'notes.md'), 'mine\n');
    const fewer = path.join(out, '..', `${path.basename(out)}-staging.yaml`);
    // The same stack without agent a3.
    writeFileSync(fewer, staging.replace(/ {4}- name: a3\n(?: {6}.*\n)+/, ''));
    const r = plan(['--stack', 'staging', '--config-file', fewer, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(path.join(out, 'hosts', 'a3'))).toBe(false);
    expect(existsSync(path.join(out, 'hosts', 'a2', 'firewall.nft'))).toBe(true);
    expect(readFileSync(path.join(out, 'notes.md'), 'utf8')).toBe('mine\n');
    expect(readFileSync(path.join(out, '.stars-plan'), 'utf8')).toContain('resources.json\n');
    rmSync(out, { recursive: true, force: true });
    rmSync(fewer, { force: true });
  });

  test("a second plan never follows a link left in the first plan's folder, and changes nothing", () => {
    const out = mkdtempSync(path.join(tmpdir(), 'plan-link-'));
    const victim = mkdtempSync(path.join(tmpdir(), 'plan-victim-'));
    writeFileSync(path.join(victim, 'check.sh'), 'precious\n');
    expect(plan(['--stack', 'dev', '--out', out]).code).toBe(0);
    const hostDir = path.join(out, 'hosts', 'local', 'bootstrap');
    expect(existsSync(path.join(hostDir, 'check.sh'))).toBe(true);
    rmSync(hostDir, { recursive: true });
    symlinkSync(victim, hostDir);
    const r = plan(['--stack', 'dev', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: ${hostDir} is a symbolic link; a plan writes only plain files under --out, so remove it or choose a new --out directory\n`,
    );
    expect(readdirSync(victim)).toEqual(['check.sh']);
    expect(readFileSync(path.join(victim, 'check.sh'), 'utf8')).toBe('precious\n');
    expect(existsSync(path.join(out, 'resources.json'))).toBe(true);
    rmSync(out, { recursive: true, force: true });
    rmSync(victim, { recursive: true, force: true });
  });

  test('relative --config-file and --out are read from the directory npm was run in, not the project root', () => {
    const here = mkdtempSync(path.join(tmpdir(), 'plan-here-'));
    writeFileSync(path.join(here, 'mine.yaml'), readFileSync(path.join(ROOT, 'Pulumi.dev.yaml'), 'utf8'));
    const r = plan(['--stack', 'mine', '--config-file', 'mine.yaml', '--out', 'out'], here);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(path.join(here, 'out', 'resources.json'))).toBe(true);
    expect(existsSync(path.join(ROOT, 'out'))).toBe(false);
    const missing = plan(['--stack', 'mine', '--config-file', 'nope.yaml'], here);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `error: no stack config at ${path.join(here, 'nope.yaml')}; check the path (a relative --config-file is read from the directory you ran npm in) or create the file (copy Pulumi.staging.yaml and replace its hosts and CIDRs)\n`,
    );
    rmSync(here, { recursive: true, force: true });
  });

  test('bad arguments print the usage and exit 64', () => {
    const r = plan(['--stak', 'dev']);
    expect(r.code).toBe(64);
    expect(r.stderr.split('\n')[0]).toBe('error: unknown option --stak');
  });
});
