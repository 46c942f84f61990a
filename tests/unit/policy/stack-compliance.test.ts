import { Secret, type ResourceValidationPolicy, type StackValidationPolicy } from '@pulumi/policy';
import { REDACTED, UNKNOWN as RECORDED_UNKNOWN } from '../../../scripts/lib/program-runner';
import { runStack } from '../../graph/harness';
import { STARS_POLICIES, productionMasterCount } from '../../../policy/policies';
import { UNKNOWN, runResourcePolicy, runStackPolicy } from './policy-harness';

/**
 * The real program, run offline under the mock runtime, must pass its own policy pack for every committed
 * stack: the policies and the program are checked against each other, not only against hand-made resources.
 * Values the recorder redacted as secret come back as policy Secrets; unknowns as the engine's sentinel.
 */
jest.setTimeout(120_000);

function revive(v: unknown): unknown {
  if (v === REDACTED) return new Secret('***');
  if (v === RECORDED_UNKNOWN) return UNKNOWN;
  if (Array.isArray(v)) return v.map(revive);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, revive(x)]));
  return v;
}

const isStackPolicy = (p: ResourceValidationPolicy | StackValidationPolicy): p is StackValidationPolicy =>
  'validateStack' in p;

describe.each(['dev', 'staging', 'production'])('the %s stack', (stack) => {
  test('passes every Stars policy', async () => {
    const run = await runStack(stack);
    const resources = run.resources
      .filter((r) => r.custom)
      .map((r) => ({ type: r.type, name: r.name, props: revive(r.inputs) as Record<string, unknown> }));
    const violations: string[] = [];
    for (const policy of STARS_POLICIES) {
      if (isStackPolicy(policy)) {
        const found = await runStackPolicy(policy, stack, resources);
        if (found !== 'not applicable') violations.push(...found.map((m) => `${policy.name}: ${m}`));
      } else {
        for (const r of resources)
          violations.push(
            ...(await runResourcePolicy(policy, r)).map((m) => `${policy.name}: ${r.name}: ${m}`),
          );
      }
    }
    expect(violations).toEqual([]);
  });
});

test('the production master-count policy applies to the real production stack and counts its containers', async () => {
  const run = await runStack('production');
  const resources = run.resources
    .filter((r) => r.custom)
    .map((r) => ({ type: r.type, name: r.name, props: revive(r.inputs) as Record<string, unknown> }));
  expect(await runStackPolicy(productionMasterCount, 'production', resources)).toEqual([]);
  const oneMasterLess = resources.filter((r) => r.name !== 'platform-mesos-master-master-3');
  expect(await runStackPolicy(productionMasterCount, 'production', oneMasterLess)).toEqual([
    'production stack production runs 2 mesos-master container(s); run 3 or 5 masters (a quorum of 2 of 3 or 3 of 5) by giving 3 or 5 hosts the master role',
  ]);
});
