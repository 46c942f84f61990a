import { gateFor, type GatePlan } from '../../../components/platform/plan-gates';
import type { ContainerPlan } from '../../../components/platform/plan-platform';
import { renderGateScript } from '../../../components/platform/render-health-gate';
import { fillPlaceholders } from '../../../components/platform/render-secrets';
import { HttpDouble, type Reply } from '../../support/http-double';
import { runBashScript, type ScriptRun } from '../../support/run-script';

/**
 * The HTTP health gates (Mesos master, Marathon, Chronos, Mesos-DNS), rendered as the program ships them, run
 * with bash against a double on loopback, because none of these services can run here. The double answers as
 * upstream does (tests/contract/upstream/gates/health-endpoints.json): /ping says pong, the leader endpoints
 * name a leader or none, /master/redirect is 307 with a leader and 503 without, Mesos-DNS answers an empty ip
 * for a name it does not know; Marathon and Chronos sit behind basic auth.
 */

jest.setTimeout(60_000);

class ServiceDouble extends HttpDouble {
  leader = true;
  protected handle(_method: string, url: URL): Reply {
    const p = url.pathname;
    if (p === '/ping') return { status: 200, text: 'pong\n' };
    if (p === '/master/health') return { status: 200 };
    if (p === '/master/redirect')
      return this.leader
        ? { status: 307, headers: { Location: '//10.0.0.1:5050' } }
        : { status: 503, text: 'No leader elected' };
    if (p === '/v2/leader')
      return this.leader
        ? { status: 200, body: { leader: '10.0.0.1:8080' } }
        : { status: 404, body: { message: 'There is no leader' } };
    if (p === '/v1/scheduler/leader')
      return { status: 200, body: { leader: this.leader ? '10.0.0.1:4400' : '' } };
    if (p === '/v1/version') return { status: 200, body: { Service: 'Mesos-DNS', Version: 'v0.6.0' } };
    if (p === '/v1/hosts/leader.mesos')
      return {
        status: 200,
        body: [this.leader ? { host: 'leader.mesos.', ip: '10.0.0.1' } : { host: '', ip: '' }],
      };
    return { status: 404, text: '' };
  }
}

const LOGIN = { username: 'stars', password: 'gate-test-secret' };

function gate(service: ContainerPlan['service'], d: ServiceDouble, auth: boolean): GatePlan {
  const g = gateFor({ service, host: 'm1', address: '10.0.0.1' } as ContainerPlan, {
    domain: 'mesos',
    authEnabled: auth,
    timeoutSeconds: 2,
  });
  return { ...g, address: '127.0.0.1', port: Number(new URL(d.url).port) };
}

function run(g: GatePlan, phase: string, password = LOGIN.password): Promise<ScriptRun> {
  const script = fillPlaceholders(renderGateScript(g), {
    'marathon-http': password,
    'chronos-http': password,
  });
  return runBashScript(script, [phase], { ...process.env, STARS_GATE_INTERVAL: '0.2' });
}

const doubles: ServiceDouble[] = [];
afterAll(async () => Promise.all(doubles.map((d) => d.stop())));
async function double(auth: boolean): Promise<ServiceDouble> {
  const d = await new ServiceDouble(auth ? { credentials: LOGIN } : {}).start();
  doubles.push(d);
  return d;
}

const SERVICES = [
  ['mesos-master', false, 'GET /master/redirect: HTTP 503 No leader elected'],
  ['marathon', true, 'GET /v2/leader: HTTP 404 {"message":"There is no leader"}'],
  ['chronos', true, 'GET /v1/scheduler/leader: HTTP 200 {"leader":""}'],
  ['mesos-dns', false, 'GET /v1/hosts/leader.mesos: HTTP 200 [{"host":"","ip":""}]'],
] as const;

describe('HTTP health gates against their services', () => {
  test.each(SERVICES)('%s: a replaced member with a leader passes the update gate', async (service, auth) => {
    const r = await run(gate(service, await double(auth), auth), 'update');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(new RegExp(`^stars gate \\[${service}/m1\\] healthy \\(update\\): GET /`));
  });

  test.each(SERVICES)(
    '%s: without a leader the gate stops at its timeout and says what it saw',
    async (service, auth, saw) => {
      const d = await double(auth);
      d.leader = false;
      const r = await run(gate(service, d, auth), 'update');
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `stars gate [${service}/m1] ERROR: not healthy within 2 s (update); last saw: ${saw}\n`,
      );
    },
  );

  test.each(SERVICES.filter(([s]) => s !== 'mesos-dns'))(
    '%s: a first creation only needs the process to answer, leader or not',
    async (service, auth) => {
      const d = await double(auth);
      d.leader = false;
      const r = await run(gate(service, d, auth), 'create');
      expect([r.code, r.stderr]).toEqual([0, '']);
    },
  );

  test('mesos-dns: even a first creation must resolve the leading master (it starts after the masters)', async () => {
    const d = await double(false);
    d.leader = false;
    const r = await run(gate('mesos-dns', d, false), 'create');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'stars gate [mesos-dns/m1] ERROR: not healthy within 2 s (create); last saw: GET /v1/hosts/leader.mesos: HTTP 200 [{"host":"","ip":""}]\n',
    );
    d.leader = true;
    expect((await run(gate('mesos-dns', d, false), 'create')).code).toBe(0);
  });

  test.each(['marathon', 'chronos'] as const)(
    '%s: the gate logs in, and a wrong password does not pass',
    async (service) => {
      const d = await double(true);
      const r = await run(gate(service, d, true), 'update', 'wrong');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('last saw: GET /ping: HTTP 401');
      expect(d.requests.at(-1)?.authorization).toBe(`Basic ${Buffer.from('stars:wrong').toString('base64')}`);
    },
  );
});
