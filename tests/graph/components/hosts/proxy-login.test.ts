import { gunzipSync } from 'zlib';
import { REDACTED } from '../../../../scripts/lib/program-runner';
import { find, runStack } from '../../harness';

jest.setTimeout(120_000);

const LOGIN = 'ops:pa%40ss-only-in-secrets';
const PROXY = { proxy: 'http://proxy.example.org:3128' };
const withLogin = (stack: string) =>
  runStack(
    stack,
    { 'stars:packageSources': PROXY, 'stars:proxyCredentials': LOGIN },
    { secretOverrides: ['stars:proxyCredentials'] },
  );

describe('the proxy login from the secret stars:proxyCredentials', () => {
  test('on-prem: the bootstrap gets it filled in, only inside a secret', async () => {
    const run = await withLogin('staging');
    const bootstrap = find(run, 'command:remote:Command', 'hosts-m1-bootstrap');
    expect(bootstrap.inputs.stdin).toBe(REDACTED);
    const stdin = bootstrap.revealed.stdin as string;
    expect(stdin).toContain(`http://${LOGIN}@proxy.example.org:3128`);
    expect(stdin).not.toContain('{{secret:');
    // A new password re-runs the bootstrap: a digest of it (secret) is one of the triggers.
    expect(bootstrap.inputs.triggers).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/), REDACTED]);
    const plain = JSON.stringify({ resources: run.resources.map((r) => r.inputs), outputs: run.outputs });
    expect(plain).not.toContain('only-in-secrets');
  });

  test('AWS: the user data (secret) carries it filled in for the first boot', async () => {
    const run = await withLogin('production');
    const instance = find(run, 'aws:ec2/instance:Instance', 'hosts-master-1-instance');
    const cloudInit = gunzipSync(Buffer.from(instance.revealed.userDataBase64 as string, 'base64')).toString(
      'utf8',
    );
    expect(cloudInit).toContain(`http://${LOGIN}@proxy.example.org:3128`);
    expect(cloudInit).not.toContain('{{secret:');
  });

  test('image builds download through the proxy with its login, which the state keeps only inside a secret', async () => {
    const run = await withLogin('staging');
    const image = find(run, 'docker:index/remoteImage:RemoteImage', 'platform-images-lightning-a1');
    const revealed = image.revealed.build as { buildArgs: Record<string, string> };
    expect([revealed.buildArgs.HTTPS_PROXY, revealed.buildArgs.http_proxy]).toEqual([
      `http://${LOGIN}@proxy.example.org:3128`,
      `http://${LOGIN}@proxy.example.org:3128`,
    ]);
    expect(JSON.stringify(image.inputs)).not.toContain('only-in-secrets');
  });

  test('without a login nothing changes: the bootstrap stdin is the plain bundle with one trigger', async () => {
    const run = await runStack('staging', { 'stars:packageSources': PROXY });
    const bootstrap = find(run, 'command:remote:Command', 'hosts-m1-bootstrap');
    expect(bootstrap.inputs.stdin as string).toContain('http://proxy.example.org:3128');
    expect(bootstrap.inputs.triggers).toHaveLength(1);
  });
});
