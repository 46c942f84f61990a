import { stableJson } from '../../components/plan/documents';
import { planCluster } from '../../components/plan-cluster';
import { parseClusterSpec } from '../../components/model/parse-cluster-spec';
import { rawConfigFromEngine } from '../../components/model/raw-config';
import type { ProgramRun } from '../../scripts/lib/program-runner';
import { loadStackConfig } from '../../scripts/lib/stack-config';
import { PROJECT_DIR, runStack } from './harness';

jest.setTimeout(120_000);

/** Deterministic shuffle (a fixed LCG) so the test is repeatable yet the order really differs. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function documentsFor(stack: string, overrides: Record<string, string> = {}): string {
  const cfg = loadStackConfig(PROJECT_DIR, stack);
  const { raw, secretKeys } = rawConfigFromEngine({
    values: { ...cfg.values, ...overrides },
    secretKeys: cfg.secretKeys,
  });
  return stableJson(planCluster(parseClusterSpec(raw, { stack, secretKeys })).documents);
}

const byUrn = (run: ProgramRun): Map<string, string> =>
  new Map(run.resources.map((r) => [r.urn, stableJson(r)]));

describe('plans are byte-identical for the same config', () => {
  const stagingHosts = JSON.parse(loadStackConfig(PROJECT_DIR, 'staging').values['stars:hosts']) as unknown[];
  const reordered = {
    'stars:hosts': JSON.stringify(shuffled(stagingHosts, 7)),
    'stars:apps': JSON.stringify(
      shuffled(JSON.parse(loadStackConfig(PROJECT_DIR, 'staging').values['stars:apps']) as string[], 3),
    ),
  };

  test('the shuffled host and app order really is different from the committed order', () => {
    expect(reordered['stars:hosts']).not.toBe(JSON.stringify(stagingHosts));
    expect(reordered['stars:apps']).not.toBe(loadStackConfig(PROJECT_DIR, 'staging').values['stars:apps']);
  });

  test('rendered documents do not depend on input order', () => {
    expect(documentsFor('staging', reordered)).toBe(documentsFor('staging'));
  });

  test('resources.json does not depend on input order or on the run', async () => {
    const first = await runStack('staging');
    const again = await runStack('staging');
    const shuffledRun = await runStack('staging', reordered);
    expect(stableJson(again.resources)).toBe(stableJson(first.resources));
    expect(stableJson(shuffledRun.resources)).toBe(stableJson(first.resources));
  });
});

describe('a version change touches only the resources that use it', () => {
  test('changing the ZooKeeper version changes only ZooKeeper resources', async () => {
    const before = byUrn(await runStack('staging', { 'stars:zookeeperVersion': '3.9.5' }));
    const after = byUrn(await runStack('staging', { 'stars:zookeeperVersion': '3.8.6' }));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const changed = [...after.keys()].filter((urn) => after.get(urn) !== before.get(urn));
    expect(changed.length).toBeGreaterThan(0);
    for (const urn of changed) expect(urn.split('::').pop()).toMatch(/zookeeper/);
  });

  test('changing the Spark version rebuilds the spark, zeppelin and livy images only, and redeploys their apps', async () => {
    const before = byUrn(await runStack('staging', { 'stars:sparkVersion': '3.5.6' }));
    const after = byUrn(await runStack('staging', { 'stars:sparkVersion': '3.5.5' }));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const changed = [...after.keys()].filter((urn) => after.get(urn) !== before.get(urn));
    const names = [...new Set(changed.map((urn) => urn.split('::').pop() ?? ''))].sort();
    expect(names.filter((n) => n.startsWith('platform-images-'))).toEqual([
      'platform-images-livy-a1',
      'platform-images-livy-a2',
      'platform-images-livy-a3',
      'platform-images-spark-a1',
      'platform-images-spark-a2',
      'platform-images-spark-a3',
      'platform-images-zeppelin-a1',
    ]);
    expect(names.filter((n) => !n.startsWith('platform-images-')).every((n) => n.startsWith('apps-'))).toBe(
      true,
    );
    expect(names).not.toContain('platform-images-mesos-a1');
  });
});
