import { COMMON_FLAGS, parseArgs } from '../../../../scripts/lib/cli-args';
import { SSH_FLAGS, mapLimit, sshArgv, sshSettingsFrom } from '../../../../scripts/lib/ssh';

const parse = (argv: string[]) => parseArgs(argv, { ...COMMON_FLAGS, ...SSH_FLAGS });

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
      '10.0.0.1',
      '--',
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
      '203.0.113.5',
      '--',
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

  test('no SSH user anywhere is an operational error naming the flag', () => {
    expect(() => sshSettingsFrom(parse([]), { hosts: [] })).toThrow(
      'no SSH user: the stack outputs have no sshUser; pass --ssh-user <user>',
    );
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
