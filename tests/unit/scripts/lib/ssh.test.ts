import { COMMON_FLAGS, parseArgs } from '../../../../scripts/lib/cli-args';
import { SSH_FLAGS, mapLimit, shellWord, sshArgv, sshSettingsFrom } from '../../../../scripts/lib/ssh';

const parse = (argv: string[]) => parseArgs(argv, { ...COMMON_FLAGS, ...SSH_FLAGS });

describe('shellWord', () => {
  test.each([
    ['uptime', 'uptime'],
    ['/var', '/var'],
    ['a b', "'a b'"],
    ["it's", "'it'\\''s'"],
    ['$(id)', "'$(id)'"],
    ['', "''"],
  ])('%j is sent as %s: one word on the host, never expanded', (arg, word) => {
    expect(shellWord(arg)).toBe(word);
  });
});

describe('ssh settings and argv', () => {
  test('defaults: outputs user and port, strict host key checking, 10s connect timeout, batch mode', () => {
    const settings = sshSettingsFrom(parse([]), { hosts: [], sshUser: 'stars', sshPort: 2222 });
    expect(sshArgv({ name: 'm1', roles: ['master'], address: '10.0.0.1' }, settings, 'uptime')).toEqual([
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=10',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'LogLevel=ERROR',
      '-p',
      '2222',
      '-l',
      'stars',
      '--',
      '10.0.0.1',
      'uptime',
    ]);
  });

  test('a host key pinned in the outputs is the only key trusted, on the address and port ssh dials', () => {
    const settings = sshSettingsFrom(parse(['--known-hosts', '/kh']), {
      hosts: [],
      sshUser: 'stars',
      sshPort: 22,
    });
    const host = {
      name: 'm1',
      roles: ['master'],
      address: '10.0.0.1',
      publicAddress: '203.0.113.1',
      sshPort: 2222,
      hostKey: 'ssh-ed25519 AAAAC3Nza',
    };
    expect(sshArgv(host, settings, 'uptime')).toEqual([
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=10',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'KnownHostsCommand=/bin/echo [203.0.113.1]:2222 ssh-ed25519 AAAAC3Nza',
      '-o',
      'HostKeyAlgorithms=ssh-ed25519',
      '-o',
      'LogLevel=ERROR',
      '-p',
      '2222',
      '-l',
      'stars',
      '--',
      '203.0.113.1',
      'uptime',
    ]);
  });

  test('flags override; a host publicAddress and own sshPort win', () => {
    const settings = sshSettingsFrom(
      parse([
        '--ssh-user',
        'admin',
        '--ssh-port',
        '22',
        '--identity',
        '/k',
        '--known-hosts',
        '/kh',
        '--strict-host-key-checking',
        'accept-new',
        '--connect-timeout',
        '3',
      ]),
      { hosts: [], sshUser: 'stars' },
    );
    const host = {
      name: 'm1',
      roles: ['master'],
      address: '10.0.0.1',
      publicAddress: '203.0.113.5',
      sshPort: 2200,
    };
    expect(sshArgv(host, settings, 'df -h')).toEqual([
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=3',
      '-o',
      'StrictHostKeyChecking=accept-new',
      '-o',
      'LogLevel=ERROR',
      '-p',
      '2200',
      '-o',
      'UserKnownHostsFile=/kh',
      '-i',
      '/k',
      '-o',
      'IdentitiesOnly=yes',
      '-l',
      'admin',
      '--',
      '203.0.113.5',
      'df -h',
    ]);
  });

  test.each([
    [
      ['--strict-host-key-checking', 'maybe'],
      '--strict-host-key-checking must be one of yes, accept-new, no, got "maybe"',
    ],
    [['--ssh-port', '70000'], '--ssh-port must be a whole number from 1 to 65535, got "70000"'],
  ])('%j is refused', (argv, message) => {
    expect(() => sshSettingsFrom(parse(argv), { hosts: [], sshUser: 'u' })).toThrow(message);
  });

  test('a host with no SSH user anywhere is an operational error naming the host and the flag', () => {
    const hosts = [
      { name: 'm1', roles: ['master'], address: '10.0.0.1', sshUser: 'ops' },
      { name: 'a1', roles: ['agent'], address: '10.0.0.2' },
      { name: 'a2', roles: ['agent'], address: '10.0.0.3' },
    ];
    expect(() => sshSettingsFrom(parse([]), { hosts })).toThrow(
      'no SSH user for a1, a2: the stack outputs give no sshUser for these hosts and no top-level sshUser; ' +
        'pass --ssh-user <user>',
    );
    expect(() => sshSettingsFrom(parse(['--ssh-user', 'root']), { hosts })).not.toThrow();
    expect(() => sshSettingsFrom(parse([]), { hosts, sshUser: 'stars' })).not.toThrow();
  });

  test.each([
    ['the host user wins over the top-level user', [], 'ops'],
    ['--ssh-user wins over the host user', ['--ssh-user', 'root'], 'root'],
  ])('%s; a host jump host becomes -J', (_claim, argv, user) => {
    const settings = sshSettingsFrom(parse(argv), { hosts: [], sshUser: 'stars' });
    const host = {
      name: 'm1',
      roles: ['master'],
      address: '10.0.0.1',
      sshUser: 'ops',
      sshPort: 22,
      sshJumpHost: 'jump@bastion.example.org:2222',
    };
    expect(sshArgv(host, settings, 'true').slice(-7)).toEqual([
      '-J',
      'jump@bastion.example.org:2222',
      '-l',
      user,
      '--',
      '10.0.0.1',
      'true',
    ]);
  });
});

test('mapLimit never runs more than the limit at once and keeps input order', async () => {
  let running = 0;
  let peak = 0;
  const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, n * 3));
    running--;
    return n * 10;
  });
  expect(out).toEqual([50, 10, 40, 20, 30]);
  expect(peak).toBe(2);
});
