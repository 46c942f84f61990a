import { readFileSync } from 'fs';
import * as path from 'path';
import { gateFor } from '../../components/platform/plan-gates';
import type { ContainerPlan } from '../../components/platform/plan-platform';
import { FRAMEWORK_NAMES, PORTS } from '../../components/plan/topology';
import { BASH_FOUR_LETTER_WORD } from '../../components/platform/render-bash-http';
import { renderLeaderProbe } from '../../components/platform/render-leader-probe';
import { planPlatform } from '../../components/platform/plan-platform';
import { specWith } from '../unit/components/platform/fixtures';

/** Every endpoint a health gate calls, and what it expects there, against the facts read from upstream. */

const facts = JSON.parse(
  readFileSync(path.join(__dirname, 'upstream', 'gates', 'health-endpoints.json'), 'utf8'),
) as { facts: Record<string, { source: string; value?: string; values?: string[] }> };
const fact = (name: string): { source: string; value?: string; values?: string[] } => {
  const f = facts.facts[name];
  if (f === undefined) throw new Error(`no fact ${name}`);
  return f;
};
const member = (service: ContainerPlan['service']): ContainerPlan =>
  ({ service, host: 'm1', address: '10.0.0.1' }) as ContainerPlan;
const gate = (service: ContainerPlan['service']) =>
  gateFor(member(service), { domain: 'mesos', authEnabled: true, timeoutSeconds: 60 });

describe('health gates against upstream', () => {
  test('the Mesos master gate calls only routes that need no login, and expects 307 from redirect', () => {
    const g = gate('mesos-master');
    expect(g.auth).toBe(false);
    expect(g.onUpdate.map((c) => c.path)).toEqual(fact('mesos-master.routesWithoutAuthentication').values);
    expect(fact('mesos-master.redirectWithLeader').value).toMatch(/^307 /);
    expect(g.onUpdate.find((c) => c.path === '/master/redirect')?.expect).toBe('status-307');
  });

  test.each(['marathon', 'chronos'] as const)(
    '%s: /ping answers pong behind basic auth, so the gate logs in',
    (service) => {
      const g = gate(service);
      expect(fact(`${service}.ping`).value).toMatch(/-> 200 pong/);
      expect([g.auth, g.onCreate[0]]).toEqual([true, { path: '/ping', expect: 'pong' }]);
    },
  );

  test('the leader endpoints are the upstream paths, and an empty leader does not pass', () => {
    expect(gate('marathon').onUpdate[1]).toEqual({ path: '/v2/leader', expect: 'leader' });
    expect(fact('marathon.leader').value).toContain('GET /v2/leader ->');
    expect(gate('chronos').onUpdate[1]).toEqual({ path: '/v1/scheduler/leader', expect: 'leader' });
    expect(fact('chronos.leader').value).toContain('an empty leader when none is elected');
  });

  test('Mesos-DNS: the gate asks the HTTP API for leader.<domain> with the domain written out, on the default port', () => {
    const g = gate('mesos-dns');
    expect(fact('mesos-dns.routes').values).toEqual(
      expect.arrayContaining(['/v1/version', '/v1/hosts/{host}']),
    );
    expect(fact('mesos-dns.hostsAnswer').value).toContain('the domain is not appended');
    expect([g.port, PORTS.mesosDnsHttp, g.onUpdate[1]]).toEqual([
      8123,
      8123,
      { path: '/v1/hosts/leader.mesos', expect: 'ip' },
    ]);
  });

  test('ZooKeeper: srvr is always whitelisted and its Mode values are the ones the gate accepts', () => {
    expect(fact('zookeeper.srvrAlwaysWhitelisted').value).toBe('srvr');
    expect(fact('zookeeper.modes').values).toEqual(
      expect.arrayContaining(['leader', 'follower', 'standalone']),
    );
    expect(gate('zookeeper').port).toBe(2181);
  });
});

describe('the leader look-up against upstream', () => {
  const plan = planPlatform(specWith(3));
  const probe = renderLeaderProbe(plan);

  test('Mesos-DNS: the leading master is leader.<domain>, asked of the HTTP API with the domain written out', () => {
    expect(fact('mesos-dns.leaderRecord').value).toBe('leader.<domain>.');
    expect(fact('mesos-dns.leaderRecordAddress').value).toContain("the address in the leader's PID");
    expect(probe).toContain('"$(record "leader.$DOMAIN")"');
    expect(probe).toContain("\nDOMAIN='mesos'\n");
    expect(probe).toContain('http_request "$server" GET "/v1/hosts/$1"');
  });

  test("Mesos-DNS: Marathon and Chronos are <framework name>.<domain> at their PID's host, and the names asked are the ones they register with", () => {
    expect(fact('mesos-dns.frameworkRecord').value).toMatch(
      /^<framework name>\.<domain>\. A record at the framework's PID host/,
    );
    const args = (service: 'marathon' | 'chronos'): readonly string[] =>
      plan.containers.find((c) => c.service === service)?.args ?? [];
    const flag = (xs: readonly string[], name: string): string | undefined => xs[xs.indexOf(name) + 1];
    expect(flag(args('marathon'), '--framework_name')).toBe(FRAMEWORK_NAMES.marathon);
    expect(flag(args('chronos'), '--mesos_framework_name')).toBe(FRAMEWORK_NAMES.chronos);
    expect(probe).toContain(`"$(record '${FRAMEWORK_NAMES.marathon}.'"$DOMAIN")"`);
    expect(probe).toContain(`"$(record '${FRAMEWORK_NAMES.chronos}.'"$DOMAIN")"`);
  });

  test('Mesos-DNS: a miss is an empty ip, which the probe reports as no leader', () => {
    expect(fact('mesos-dns.hostsAnswer').value).toContain('a miss is 200 [{"host":"","ip":""}]');
    expect(probe).toContain('printf \'%s\\n\' "${ip:--}"');
  });

  test('ZooKeeper: the leader is the member whose srvr says Mode: leader', () => {
    expect(fact('zookeeper.modes').values).toContain('leader');
    expect(probe).toContain(
      'mode="$(four_letter_word "$address" "$ZOOKEEPER_PORT" srvr | sed -n \'s/^Mode: //p\')"',
    );
    expect(probe).toContain(`\n${BASH_FOUR_LETTER_WORD}\n`);
    expect(BASH_FOUR_LETTER_WORD).toContain('printf "%s" "$2" >&3 && cat <&3\' "$1" "$2" "$3"');
    expect(probe).toContain('if [ "$mode" = leader ]; then');
  });
});
