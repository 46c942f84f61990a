import { loadStackConfig } from '../../../scripts/lib/stack-config';
import { runProgram } from '../../../scripts/lib/program-runner';
import { PROJECT_DIR, runStack } from '../harness';

jest.setTimeout(60_000);

describe('loadClusterSpec inside the program', () => {
  test('a secret key stored in plain text stops the program before any resource is registered', async () => {
    await expect(
      runStack('staging', { 'stars:sshPrivateKey': '-----BEGIN OPENSSH PRIVATE KEY-----' }),
    ).rejects.toThrow(
      'stars:sshPrivateKey: is stored in plain text; set it with `pulumi config set --secret stars:sshPrivateKey`',
    );
  });

  test('every problem in the stack config is reported in one error', async () => {
    await expect(runStack('staging', { 'stars:mode': 'cloud', 'stars:sshPort': '0' })).rejects.toThrow(
      [
        'stack config has 2 problems:',
        '  - mode: "cloud" is not one of onprem, aws, local',
        '  - sshPort: 0 is not a TCP port (1-65535)',
      ].join('\n'),
    );
  });

  test('a secret key stored encrypted is accepted and handed to the program as a secret', async () => {
    const cfg = loadStackConfig(PROJECT_DIR, 'staging');
    const run = await runProgram({
      stack: 'staging',
      config: { ...cfg.values, 'stars:sshPrivateKey': 'not-a-real-key' },
      secretKeys: ['stars:sshPrivateKey'],
      load: (p) => {
        let m: Record<string, unknown> = {};
        jest.isolateModules(() => {
          // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program under test, by path
          m = require(p) as Record<string, unknown>;
        });
        return m;
      },
    });
    expect(JSON.stringify(run.resources)).not.toContain('not-a-real-key');
    expect(JSON.stringify(run.outputs)).not.toContain('not-a-real-key');
  });
});
