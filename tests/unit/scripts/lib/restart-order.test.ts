import * as path from 'path';
import { SERVICES, planPlatform } from '../../../../components/platform/plan-platform';
import { parseClusterSpec } from '../../../../components/model/parse-cluster-spec';
import { rawConfigFromEngine } from '../../../../components/model/raw-config';
import { PLATFORM_SERVICES, restartOrder } from '../../../../scripts/lib/restart-order';
import { loadStackConfig } from '../../../../scripts/lib/stack-config';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

function specOf(stack: string) {
  const cfg = loadStackConfig(ROOT, stack);
  const { raw, secretKeys } = rawConfigFromEngine(cfg);
  return parseClusterSpec(raw, { stack, secretKeys });
}

describe('restart order', () => {
  test.each([
    ['master', ['zookeeper', 'mesos-master', 'marathon', 'chronos', 'mesos-dns']],
    ['agent', ['mesos-agent']],
    ['all', ['zookeeper', 'mesos-master', 'marathon', 'chronos', 'mesos-dns', 'mesos-agent']],
  ] as const)('role %s restarts %j in that order', (role, expected) => {
    expect(restartOrder(PLATFORM_SERVICES, role).map((s) => s.service)).toEqual(expected);
  });

  test("the order is the platform planner's start order", () => {
    expect(restartOrder(PLATFORM_SERVICES, 'all').map((s) => s.service)).toEqual([...SERVICES]);
  });

  test.each(['dev', 'staging', 'production'])(
    'every container the %s platform plan places matches a restart entry (name, role of its host)',
    (stack) => {
      const spec = specOf(stack);
      const plan = planPlatform(spec);
      for (const c of plan.containers) {
        const entry = PLATFORM_SERVICES.find((s) => s.service === c.service);
        expect(entry?.container).toBe(c.containerName);
        const host = spec.hosts.find((h) => h.name === c.host);
        expect(host?.roles).toContain(entry?.role);
      }
    },
  );

  test.each([
    ['zookeeper', { kind: 'zookeeper', port: 2181 }],
    ['mesos-master', { kind: 'http', port: 5050, path: '/master/health' }],
    ['mesos-agent', { kind: 'http', port: 5051, path: '/slave(1)/health' }],
    // With the edge on, operators reach them through the master's edge port instead.
    ['marathon', { kind: 'http', port: 8080, path: '/ping', edgePort: 9441 }],
    ['chronos', { kind: 'http', port: 4400, path: '/v1/scheduler/jobs', edgePort: 9442 }],
    ['mesos-dns', { kind: 'http', port: 8123, path: '/v1/version' }],
  ])('%s is healthy when %j answers', (service, probe) => {
    expect(PLATFORM_SERVICES.find((s) => s.service === service)?.health).toEqual(probe);
  });
});
