import {
  leaderLast,
  needsLeaderLookup,
  parseLeaderReport,
  REPORT_HEADER,
  rollSequence,
} from '../../../../components/platform/plan-leaders';
import type { ContainerPlan, ServiceName } from '../../../../components/platform/plan-platform';

const SERVICES: ServiceName[] = ['zookeeper', 'mesos-master', 'marathon', 'chronos', 'mesos-dns'];
/** Three masters, given out of host-name order: m3, m1, m2 on .13, .11, .12. */
const containers = (hosts: readonly string[] = ['m3', 'm1', 'm2']): ContainerPlan[] =>
  SERVICES.flatMap((service) =>
    hosts.map((h) => ({ service, host: h, address: `10.0.0.1${h.slice(1)}` }) as ContainerPlan),
  );
const report = (...lines: string[]): string => [REPORT_HEADER, ...lines, 'end', ''].join('\n');

describe('leaderLast: the leader moves to the end, the rest keep their order', () => {
  test.each([
    [['m1', 'm2', 'm3'], 'm1', ['m2', 'm3', 'm1']],
    [['m1', 'm2', 'm3'], 'm2', ['m1', 'm3', 'm2']],
    [['m1', 'm2', 'm3'], 'm3', ['m1', 'm2', 'm3']],
    [['m1', 'm2', 'm3'], undefined, ['m1', 'm2', 'm3']],
    [['m1', 'm2', 'm3'], 'm9', ['m1', 'm2', 'm3']],
    [['m1'], 'm1', ['m1']],
    [[], 'm1', []],
  ])('%j with leader %s rolls %j', (hosts, leader, expected) => {
    expect(leaderLast(hosts, leader)).toEqual(expected);
  });
});

describe('parseLeaderReport: addresses become member host names, anything else a note', () => {
  test('a full report names each leader by host', () => {
    const r = parseLeaderReport(
      report('zookeeper 10.0.0.12', 'mesos-master 10.0.0.11', 'marathon 10.0.0.13', 'chronos 10.0.0.11'),
      containers(),
    );
    expect(r).toEqual({
      leaders: { zookeeper: 'm2', 'mesos-master': 'm1', marathon: 'm3', chronos: 'm1' },
      notes: [],
    });
  });

  test.each([
    [
      'no leader seen',
      report('zookeeper -'),
      { level: 'info', message: 'zookeeper: no leader seen; rolls in host-name order' },
    ],
    [
      'no Mesos-DNS answered',
      report('marathon ?'),
      {
        level: 'warn',
        message: 'marathon: no Mesos-DNS answered the leader look-up; rolls in host-name order',
      },
    ],
    [
      'an address that is no member',
      report('mesos-master 10.9.9.9'),
      {
        level: 'warn',
        message:
          'mesos-master: the leader look-up saw "10.9.9.9", which is no member (m1 10.0.0.11, m2 10.0.0.12, m3 10.0.0.13); rolls in host-name order',
      },
    ],
    [
      'something that is no address',
      report('chronos $(reboot)'),
      {
        level: 'warn',
        message:
          'chronos: the leader look-up saw "$(reboot)", which is no member (m1 10.0.0.11, m2 10.0.0.12, m3 10.0.0.13); rolls in host-name order',
      },
    ],
    [
      'a service without a leader',
      report('mesos-dns 10.0.0.11'),
      { level: 'warn', message: 'the leader look-up\'s line "mesos-dns 10.0.0.11" is ignored' },
    ],
    [
      'a line with more than one value',
      report('zookeeper 10.0.0.11 10.0.0.12'),
      { level: 'warn', message: 'the leader look-up\'s line "zookeeper 10.0.0.11 10.0.0.12" is ignored' },
    ],
    [
      'no master answered',
      'stars-leaders unreachable m1: exit 255 ssh: connect to host 10.0.0.11 port 22: Connection refused\n',
      {
        level: 'warn',
        message:
          'no master answered the leader look-up (m1: exit 255 ssh: connect to host 10.0.0.11 port 22: Connection refused); every service rolls in host-name order',
      },
    ],
    [
      'no report header',
      'Welcome!\nzookeeper 10.0.0.11\nend\n',
      {
        level: 'warn',
        message:
          'the leader look-up answered no report ("Welcome!\\nzookeeper 10.0.0.11\\nend\\n"); every service rolls in host-name order',
      },
    ],
    [
      'a report cut off before its end',
      `${REPORT_HEADER}\nzookeeper 10.0.0.11\n`,
      {
        level: 'warn',
        message: `the leader look-up answered no report ("${REPORT_HEADER}\\nzookeeper 10.0.0.11\\n"); every service rolls in host-name order`,
      },
    ],
  ])('%s: no leader taken, and the note says so', (_what, text, note) => {
    expect(parseLeaderReport(text, containers())).toEqual({ leaders: {}, notes: [note] });
  });

  test('a service named twice keeps its first line', () => {
    const r = parseLeaderReport(report('zookeeper 10.0.0.11', 'zookeeper 10.0.0.12'), containers());
    expect(r.leaders).toEqual({ zookeeper: 'm1' });
    expect(r.notes).toEqual([
      { level: 'warn', message: 'the leader look-up\'s line "zookeeper 10.0.0.12" is ignored' },
    ]);
  });

  test('the offline plan reached nothing on purpose: no leaders, and nothing to warn about', () => {
    expect(parseLeaderReport('stars-leaders offline', containers())).toEqual({ leaders: {}, notes: [] });
  });
});

describe('rollSequence: host-name order whatever the config order, the leader last where there is one', () => {
  const leaders = { zookeeper: 'm1', 'mesos-master': 'm2', marathon: 'm3' } as const;
  test.each([
    ['zookeeper', ['m2', 'm3', 'm1']],
    ['mesos-master', ['m1', 'm3', 'm2']],
    ['marathon', ['m1', 'm2', 'm3']],
    ['chronos', ['m1', 'm2', 'm3']],
    ['mesos-dns', ['m1', 'm2', 'm3']],
  ] as const)('%s rolls %j', (service, expected) => {
    expect(rollSequence(containers(), service, leaders)).toEqual(expected);
  });

  test('Mesos-DNS has no leader, so a leader named for it changes nothing', () => {
    expect(rollSequence(containers(), 'mesos-dns', { zookeeper: 'm1' })).toEqual(['m1', 'm2', 'm3']);
  });
});

describe('needsLeaderLookup: only when some service with a leader has members to order', () => {
  test.each([
    [['m1'], false],
    [['m1', 'm2'], true],
    [['m1', 'm2', 'm3'], true],
  ])('masters %j: %s', (hosts, expected) => {
    expect(needsLeaderLookup(containers(hosts))).toBe(expected);
  });
});
