import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs `npm run plan` as a user would: a separate process, offline, no Pulumi CLI. */
function plan(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'scripts/plan.ts', ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PULUMI_CONFIG_PASSPHRASE: '' },
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

jest.setTimeout(120_000);

describe('npm run plan', () => {
  test.each(['dev', 'staging', 'production'])(
    'plans the %s stack offline and writes resources.json and graph.mmd',
    (stack) => {
      const out = mkdtempSync(path.join(tmpdir(), `plan-${stack}-`));
      const r = plan(['--stack', stack, '--out', out]);
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^\d+ resources$/m);
      const resources = JSON.parse(readFileSync(path.join(out, 'resources.json'), 'utf8')) as {
        stack: string;
        resources: unknown[];
      };
      expect(resources.stack).toBe(stack);
      expect(readFileSync(path.join(out, 'graph.mmd'), 'utf8').startsWith('flowchart TD\n')).toBe(true);
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
        '  - apps[1]: "sparkle" is not a known app (did you mean "spark"?); known apps: spark, zeppelin, livy, blazegraph, lightning, jupyter',
        '  - hosts[0].address: "10.0.0.300" is not an IPv4 address',
        '  - hosts: has 2 masters; an even count adds no fault tolerance to the ZooKeeper/Mesos quorum, use 3 or 5 (production needs one of them)',
        '  - hosts: has no agent; give at least one host the agent role so tasks can run',
        '',
      ].join('\n'),
    );
    expect(existsSync(out)).toBe(false);
  });

  test('bad arguments print the usage and exit 64', () => {
    const r = plan(['--stak', 'dev']);
    expect(r.code).toBe(64);
    expect(r.stderr.split('\n')[0]).toBe('error: unknown argument "--stak"');
  });
});
