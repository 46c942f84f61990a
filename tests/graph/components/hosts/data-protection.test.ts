/**
 * Issue 30: nothing is destroyed by accident. The resources that hold data are protected and retained on delete
 * by default (stars:protectData): on AWS each host's /var volume, where ZooKeeper, the apps and the backups keep
 * everything. On-prem no Pulumi resource holds data, and no delete command touches a data directory.
 */
import type { ProgramRun } from '../../../../scripts/lib/program-runner';
import { renderTree } from '../../../../scripts/lib/plan-output';
import { runStack } from '../../harness';

jest.setTimeout(120_000);

const VOLUME = 'aws:ebs/volume:Volume';
const kept = (run: ProgramRun) =>
  run.resources
    .filter((r) => r.protect === true || r.retainOnDelete === true)
    .map((r) => [r.type, r.name, r.protect ?? false, r.retainOnDelete ?? false]);

describe('stars:protectData (default on)', () => {
  test('production (AWS): every host /var volume, and nothing else, is protected and retained on delete', async () => {
    const run = await runStack('production');
    const volumes = run.resources.filter((r) => r.type === VOLUME).map((r) => r.name);
    expect(volumes.length).toBeGreaterThan(0);
    expect(kept(run)).toEqual(volumes.map((name) => [VOLUME, name, true, true]));
    expect(renderTree(run.resources)).toContain(` ${VOLUME} ${volumes[0]} [protect, retainOnDelete]\n`);
  });

  test('production with protectData false: the volumes may go with the stack', async () => {
    const run = await runStack('production', { 'stars:protectData': 'false' });
    expect(kept(run)).toEqual([]);
  });

  test.each(['staging', 'dev'])(
    '%s: no resource holds data, so none is protected, and no delete command touches a data directory',
    async (stack) => {
      const run = await runStack(stack);
      expect(kept(run)).toEqual([]);
      const deletes = run.resources
        .map((r) => JSON.stringify(r.inputs.delete ?? ''))
        .filter((d) => /\/var\/lib\/(stars|zookeeper|mesos)|\/data\b/.test(d));
      expect(deletes).toEqual([]);
    },
  );
});
