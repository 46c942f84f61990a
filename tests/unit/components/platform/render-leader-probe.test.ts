import { spawnSync } from 'child_process';
import { planPlatform } from '../../../../components/platform/plan-platform';
import { renderLeaderLookup, renderLeaderProbe } from '../../../../components/platform/render-leader-probe';
import { specWith } from './fixtures';

const shellcheck = (script: string): string =>
  spawnSync('/usr/bin/shellcheck', ['-s', 'bash', '-'], { input: script, encoding: 'utf8' }).stdout;

/** Three masters given out of host-name order, so the probe's order is seen to come from the names. */
const plan = planPlatform(specWith(3, {}, (i) => `10.0.0.${4 - i}`));

describe('renderLeaderProbe: what the probe asks, from the plan', () => {
  const probe = renderLeaderProbe(plan);

  test('shellcheck clean', () => {
    expect(shellcheck(probe)).toBe('');
  });

  test('every ZooKeeper member on its client port, and every Mesos-DNS on its HTTP port, in host-name order', () => {
    expect(probe).toContain(
      "\nZOOKEEPER=('10.0.0.3' '10.0.0.2' '10.0.0.1')\nZOOKEEPER_PORT=2181\n" +
        "MESOS_DNS=('10.0.0.3:8123' '10.0.0.2:8123' '10.0.0.1:8123')\nDOMAIN='mesos'\n",
    );
  });

  test('the report: a header, one line per service with a leader, the records Mesos-DNS v0.6.0 keeps, an end', () => {
    expect(probe.split('\n').filter((l) => l.startsWith("printf '"))).toEqual([
      "printf '%s\\n' 'stars-leaders 1'",
      'printf \'zookeeper %s\\n\' "$(zookeeper_leader)"',
      'printf \'mesos-master %s\\n\' "$(record "leader.$DOMAIN")"',
      'printf \'marathon %s\\n\' "$(record \'marathon.\'"$DOMAIN")"',
      'printf \'chronos %s\\n\' "$(record \'chronos.\'"$DOMAIN")"',
      "printf '%s\\n' 'end'",
    ]);
  });

  test('it sends no login anywhere', () => {
    expect(probe).toContain("\nCREDENTIAL=''\n");
    expect(probe).not.toMatch(/\{\{secret:/);
  });
});

describe('renderLeaderLookup: each master in turn, the first report wins', () => {
  const lookup = renderLeaderLookup(
    [
      {
        name: 'm1',
        argv: [
          'ssh',
          '-o',
          'KnownHostsCommand=/bin/echo 10.0.0.1 ssh-ed25519 AAAA',
          'stars@10.0.0.1',
          'bash -s',
        ],
      },
      { name: "it's", argv: ['bash', '-s'] },
    ],
    45,
  );

  test('shellcheck clean', () => {
    expect(shellcheck(lookup)).toBe('');
  });

  test('every argument is quoted as one word, whatever it holds', () => {
    expect(lookup.split('\n').filter((l) => l.startsWith('try_target '))).toEqual([
      "try_target 'm1' 'ssh' '-o' 'KnownHostsCommand=/bin/echo 10.0.0.1 ssh-ed25519 AAAA' 'stars@10.0.0.1' 'bash -s' && exit 0",
      "try_target 'it'\\''s' 'bash' '-s' && exit 0",
    ]);
    expect(lookup).toContain('| timeout 45 "$@" 2>"$err")"');
  });

  test.each([
    ['a target that answers a report', "printf 'stars-leaders 1\\nend\\n'", 'stars-leaders 1\nend\n'],
    ['a target that answers something else', "echo 'Welcome!'", 'stars-leaders unreachable t: exit 0 \n'],
    ['a target that fails', "echo 'no route' >&2; exit 7", 'stars-leaders unreachable t: exit 7 no route\n'],
  ])('%s: exit 0, with the report or the reason it got none', (_what, body, stdout) => {
    const script = renderLeaderLookup([{ name: 't', argv: ['bash', '-c', body] }], 5);
    const r = spawnSync('/bin/bash', ['-c', script], { input: 'probe\n', encoding: 'utf8' });
    expect([r.status, r.stdout]).toEqual([0, stdout]);
  });
});
