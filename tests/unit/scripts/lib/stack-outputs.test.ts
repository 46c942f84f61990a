import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { escapeText } from '../../../../components/model/read-values';
import { OpsError, UsageError, parseArgs, COMMON_FLAGS } from '../../../../scripts/lib/cli-args';
import {
  hostsWithRole,
  loadStackOutputs,
  requireUrl,
  runPulumiCli,
  validateOutputs,
  type StackOutputs,
} from '../../../../scripts/lib/stack-outputs';

const OUTPUTS: StackOutputs = {
  environment: 'staging',
  marathonUrl: 'https://10.0.0.1:8443/',
  hosts: [
    { name: 'm2', roles: ['master'], address: '10.0.0.2' },
    { name: 'a1', roles: ['agent'], address: '10.0.0.11' },
    { name: 'm1', roles: ['master', 'agent'], address: '10.0.0.1' },
  ],
};

const args = (argv: string[]) => parseArgs(argv, COMMON_FLAGS);

describe('loadStackOutputs', () => {
  test('asks the Pulumi CLI for the named stack with secrets shown', async () => {
    const calls: (readonly string[])[] = [];
    const loaded = await loadStackOutputs(args(['--stack', 'staging']), async (a) => {
      calls.push(a);
      return JSON.stringify(OUTPUTS);
    });
    expect(calls).toEqual([['stack', 'output', '--stack', 'staging', '--json', '--show-secrets']]);
    expect(loaded.stack).toBe('staging');
    expect(loaded.outputs.hosts).toHaveLength(3);
  });

  test('reads --outputs-file without the CLI, labelling it with the outputs environment', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'outputs-')), 'o.json');
    writeFileSync(file, JSON.stringify(OUTPUTS));
    const loaded = await loadStackOutputs(args(['--outputs-file', file]), async () => {
      throw new Error('the CLI must not be called');
    });
    expect(loaded.stack).toBe('staging');
  });

  test('neither --stack nor --outputs-file is a usage error', async () => {
    await expect(loadStackOutputs(args([]))).rejects.toThrow(
      new UsageError('--stack <name> or --outputs-file <json> is required'),
    );
  });

  test('a missing Pulumi CLI is a clear operational error', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(runPulumiCli(['version'])).rejects.toThrow(
        new OpsError(
          'the Pulumi CLI (`pulumi`) is not on PATH; install it (https://www.pulumi.com/docs/install/) or pass --outputs-file <json> with the stack outputs',
        ),
      );
    } finally {
      process.env.PATH = saved;
    }
  });

  test("the pulumi npm package's failed first download is reported with the way out", async () => {
    // A stand-in for node_modules/.bin/pulumi offline: it prints what the package prints and fails.
    const bin = mkdtempSync(path.join(tmpdir(), 'pulumi-offline-'));
    writeFileSync(
      path.join(bin, 'pulumi'),
      '#!/bin/sh\necho "Downloading pulumi v3.259.0..." >&2\necho "pulumi: fetch failed" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    const saved = process.env.PATH;
    process.env.PATH = `${bin}:/usr/bin:/bin`;
    try {
      await expect(runPulumiCli(['version'])).rejects.toThrow(
        new OpsError(
          'the pulumi npm package could not download the Pulumi CLI (pulumi: fetch failed); install the CLI (https://www.pulumi.com/docs/install/) or pass --outputs-file <json> with the stack outputs',
        ),
      );
    } finally {
      process.env.PATH = saved;
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe('validateOutputs', () => {
  test.each<[unknown, string]>([
    [[], 'o.json: the stack outputs must be a JSON object'],
    [{ hosts: {} }, 'o.json: outputs.hosts must be a list of hosts (got object); check the stack outputs'],
    [{ hosts: null }, 'o.json: outputs.hosts must be a list of hosts (got null); check the stack outputs'],
    [{ hosts: [null] }, 'o.json: outputs.hosts[0] must be an object'],
    [
      { hosts: [{ address: '1' }] },
      'o.json: outputs.hosts[0].name undefined is not a host name (lowercase letters, digits and inner "-", at most 63); check the stack outputs',
    ],
    // A name that would forge output lines or drive the terminal is refused, and shown escaped.
    ...(
      [
        ['m1\nok: all hosts healthy', '"m1\\nok: all hosts healthy"'],
        ['m1\u001b[2J', '"m1\\u001b[2J"'],
        ['m1\u009b31m', '"m1\\u009b31m"'],
        ['m\u0131', '"m\\u0131"'],
        ['m1\u202e', '"m1\\u202e"'],
      ] as const
    ).map(([name, shown]): [unknown, string] => [
      { hosts: [{ name, address: '10.0.0.1', roles: ['master'] }] },
      `o.json: outputs.hosts[0].name ${shown} is not a host name (lowercase letters, digits and inner "-", at most 63); check the stack outputs`,
    ]),
    [
      { hosts: [{ name: 'm1', address: '10.0.0.1', roles: ['master', 'root'] }] },
      'o.json: outputs.hosts[0] (m1).roles must be a list of master and agent',
    ],
    [
      { hosts: [{ name: 'm1', address: '10.0.0.1', roles: ['master'], sshPort: 70000 }] },
      'o.json: outputs.hosts[0] (m1).sshPort 70000 is not a port (1-65535)',
    ],
    [
      { environment: '../../etc' },
      'o.json: outputs.environment "../../etc" is not a stack name (letters, digits, "_", "." and "-"); check the stack outputs',
    ],
    [
      { environment: '..' },
      'o.json: outputs.environment ".." is not a stack name (letters, digits, "_", "." and "-"); check the stack outputs',
    ],
    [
      { marathonUrl: 'http://10.0.0.1:8080' },
      `o.json: outputs.marathonUrl "http://10.0.0.1:8080" is plain HTTP to another machine, so the stack's login would cross the network readable; use the edge's https:// URL`,
    ],
    [
      { chronosUrl: 'ftp://10.0.0.1/' },
      'o.json: outputs.chronosUrl "ftp://10.0.0.1/" uses ftp:; use https://',
    ],
    [
      { marathonUrl: 'https://ops:pw@10.0.0.1:8443' },
      'o.json: outputs.marathonUrl "https://ops:pw@10.0.0.1:8443" carries a login; the login belongs in the *Credentials outputs',
    ],
    [
      { marathonUrl: 'https://10.0.0.1:8443/?x=1' },
      'o.json: outputs.marathonUrl "https://10.0.0.1:8443/?x=1" has a query or fragment; give the base URL only',
    ],
    [{ mesosUiUrl: 'not a url' }, 'o.json: outputs.mesosUiUrl "not a url" is not a URL'],
    [{ hosts: [{ name: 'm1', roles: [] }] }, 'o.json: outputs.hosts[0] (m1) needs an address'],
    [
      { hosts: [{ name: 'm1', address: 'x', roles: 'master' }] },
      'o.json: outputs.hosts[0] (m1).roles must be a list of master and agent',
    ],
    ...(
      [
        ['address', '-oProxyCommand=touch /tmp/x', 'an IPv4 address or DNS name'],
        ['publicAddress', '10.0.0.1 -oX', 'an IPv4 address or DNS name'],
        ['sshUser', '-oProxyCommand=x', 'a POSIX user name'],
        ['sshJumpHost', 'ops@-oProxyCommand=x', 'user@host[:port]'],
        ['hostKey', 'ssh-ed25519 AAAA; touch /tmp/x', 'an OpenSSH public key line (ssh-ed25519 AAAA…)'],
      ] as const
    ).map(([key, value, what]): [unknown, string] => [
      { hosts: [{ name: 'm1', address: '10.0.0.1', roles: ['master'], [key]: value }] },
      `o.json: outputs.hosts[0] (m1).${key} ${JSON.stringify(value)} is not ${what}; check the stack outputs`,
    ]),
    [{ sshUser: 'root\n' }, 'o.json: outputs.sshUser "root\\n" is not a POSIX user name'],
    [{ marathonUrl: 8080 }, 'o.json: outputs.marathonUrl must be a string'],
    [
      { marathonCredentials: '[secret]' },
      'o.json: outputs.marathonCredentials must be {username, password} in plain text (read with --show-secrets; a "[secret]" placeholder cannot be used)',
    ],
    [
      { mesosCredentials: { username: 'stars' } },
      'o.json: outputs.mesosCredentials must be {username, password} in plain text (read with --show-secrets; a "[secret]" placeholder cannot be used)',
    ],
  ])('%j is refused: %s', (raw, message) => {
    expect(() => validateOutputs(raw, 'o.json')).toThrow(new OpsError(message));
  });
});

test.each([
  'http://127.0.0.1:8080',
  'http://localhost:8080/',
  'http://[::1]:8080',
  'https://m1.example.org:8443',
])('the API URL %s is accepted (https, or plain http only to this machine)', (url) => {
  expect(validateOutputs({ marathonUrl: url }, 'o.json').marathonUrl).toBe(url);
});

test('outputs without hosts read as no hosts, so every command sees a list', () => {
  expect(validateOutputs({}, 'o.json').hosts).toEqual([]);
});

test.each([
  ['../x', '--stack "../x" is not a stack name: [org/[project/]]name of letters, digits, "_", "." and "-"'],
  [
    'a/b/c/d',
    '--stack "a/b/c/d" is not a stack name: [org/[project/]]name of letters, digits, "_", "." and "-"',
  ],
  [
    'prod\u001b[2J',
    '--stack "prod\\u001b[2J" is not a stack name: [org/[project/]]name of letters, digits, "_", "." and "-"',
  ],
])('--stack %j, which would leave backups/ or forge output, is a usage error', async (stack, message) => {
  await expect(loadStackOutputs(args(['--stack', stack]), async () => '{}')).rejects.toThrow(
    new UsageError(message),
  );
});

test('hostsWithRole selects by role and sorts by name', () => {
  expect(hostsWithRole(OUTPUTS, 'master').map((h) => h.name)).toEqual(['m1', 'm2']);
  expect(hostsWithRole(OUTPUTS, 'agent').map((h) => h.name)).toEqual(['a1', 'm1']);
  expect(hostsWithRole(OUTPUTS, 'all').map((h) => h.name)).toEqual(['a1', 'm1', 'm2']);
});

test('requireUrl trims the trailing slash and names the missing output', () => {
  expect(requireUrl(OUTPUTS, 'marathonUrl')).toBe('https://10.0.0.1:8443');
  expect(() => requireUrl(OUTPUTS, 'chronosUrl')).toThrow(
    'the stack outputs have no chronosUrl; deploy the platform first (pulumi up)',
  );
});

test.each([
  ['/zeppelin', '/zeppelin'],
  ['/x\nrestore verified', '/x\\u000arestore verified'],
  ['/x\u001b[31m', '/x\\u001b[31m'],
  ['/x\u009b2J', '/x\\u009b2J'],
  ['/\u202eevil', '/\\u202eevil'],
])('a name from an API, %j, is printed with everything outside printable ASCII escaped', (name, shown) => {
  expect(escapeText(name)).toBe(shown);
});
