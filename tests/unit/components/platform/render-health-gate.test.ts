import { spawnSync } from 'child_process';
import { gateFor, ROLLING_SERVICES } from '../../../../components/platform/plan-gates';
import type { ContainerPlan } from '../../../../components/platform/plan-platform';
import { renderGateScript } from '../../../../components/platform/render-health-gate';

const member = (service: ContainerPlan['service']): ContainerPlan =>
  ({ service, host: 'm2', address: '10.0.0.2' }) as ContainerPlan;
const options = { domain: 'mesos', authEnabled: true, timeoutSeconds: 120 };

describe('gateFor: what each service must show, from upstream endpoints', () => {
  test.each([
    ['zookeeper', 2181, [], []],
    [
      'mesos-master',
      5050,
      ['/master/health status-200'],
      ['/master/health status-200', '/master/redirect status-307'],
    ],
    ['marathon', 8080, ['/ping pong'], ['/ping pong', '/v2/leader leader']],
    ['chronos', 4400, ['/ping pong'], ['/ping pong', '/v1/scheduler/leader leader']],
    [
      'mesos-dns',
      8123,
      ['/v1/version status-200', '/v1/hosts/leader.mesos ip'],
      ['/v1/version status-200', '/v1/hosts/leader.mesos ip'],
    ],
  ] as const)('%s on port %i: on create %j, on update %j', (service, port, onCreate, onUpdate) => {
    const g = gateFor(member(service), options);
    expect([
      g.port,
      g.onCreate.map((c) => `${c.path} ${c.expect}`),
      g.onUpdate.map((c) => `${c.path} ${c.expect}`),
    ]).toEqual([port, onCreate, onUpdate]);
  });

  test('only Marathon and Chronos send basic auth, and only with auth on', () => {
    expect(ROLLING_SERVICES.filter((s) => gateFor(member(s), options).auth)).toEqual(['marathon', 'chronos']);
    expect(
      ROLLING_SERVICES.filter((s) => gateFor(member(s), { ...options, authEnabled: false }).auth),
    ).toEqual([]);
  });
});

describe('renderGateScript', () => {
  test.each(ROLLING_SERVICES.map((s) => [s]))('%s: shellcheck clean and names the member', (service) => {
    const script = renderGateScript(gateFor(member(service), options));
    const r = spawnSync('/usr/bin/shellcheck', ['-s', 'bash', '-'], { input: script, encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(script).toContain(`\nGATE='${service}/m2'\nADDRESS='10.0.0.2'\n`);
    expect(script).toContain('\nTIMEOUT=120\n');
  });

  test('the credential is a secret placeholder, never a value, and only where auth is on', () => {
    expect(renderGateScript(gateFor(member('marathon'), options))).toContain(
      "\nCREDENTIAL='stars:{{secret:marathon-http}}'\n",
    );
    expect(renderGateScript(gateFor(member('chronos'), options))).toContain(
      "\nCREDENTIAL='stars:{{secret:chronos-http}}'\n",
    );
    expect(renderGateScript(gateFor(member('marathon'), { ...options, authEnabled: false }))).toContain(
      "\nCREDENTIAL=''\n",
    );
  });

  test('an unknown phase is refused', () => {
    const r = spawnSync('bash', ['-s', '--', 'restart'], {
      input: renderGateScript(gateFor(member('mesos-dns'), options)),
      encoding: 'utf8',
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 2,
      stderr: 'stars gate [mesos-dns/m2] ERROR: phase must be create or update, not restart\n',
    });
  });
});

describe('renderGateScript, whole', () => {
  test.each(ROLLING_SERVICES.map((s) => [s]))(
    '%s with auth on (snapshot, reviewed with the change)',
    (service) => {
      expect(renderGateScript(gateFor(member(service), options))).toMatchSnapshot();
    },
  );
});
