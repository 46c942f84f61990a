import { loadStackConfig } from '../../../../scripts/lib/stack-config';
import { REDACTED, runProgram } from '../../../../scripts/lib/program-runner';
import { PROJECT_DIR, find } from '../../harness';

jest.setTimeout(120_000);

const KEY =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ-test-only\n-----END OPENSSH PRIVATE KEY-----\n';

describe('the SSH private key from stars:sshPrivateKey', () => {
  test('reaches the SSH connections only as a secret and appears nowhere in plain text', async () => {
    const cfg = loadStackConfig(PROJECT_DIR, 'staging');
    const run = await runProgram({
      project: cfg.project,
      stack: 'staging',
      config: { ...cfg.values, 'stars:sshPrivateKey': KEY },
      secretKeys: [...cfg.secretKeys, 'stars:sshPrivateKey'],
      load: (p) => {
        let loaded: Record<string, unknown> = {};
        jest.isolateModules(() => {
          // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the program under test by path
          loaded = require(p) as Record<string, unknown>;
        });
        return loaded;
      },
    });
    expect(find(run, 'command:remote:Command', 'hosts-m1-bootstrap').inputs.connection).toBe(REDACTED);
    expect(find(run, 'command:remote:Command', 'hosts-a3-bootstrap').inputs.connection).toBe(REDACTED);
    expect(JSON.stringify(run)).not.toContain('test-only');
    // The key is really there, inside the secret, for the provider to use.
    expect(
      (
        find(run, 'command:remote:Command', 'hosts-m1-bootstrap').revealed.connection as {
          privateKey: string;
        }
      ).privateKey,
    ).toBe(KEY);
  });
});
