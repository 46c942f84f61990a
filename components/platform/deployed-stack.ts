import * as pulumi from '@pulumi/pulumi';
import { ALL_RUNNING_NOTE, describeDeployed, readDeployed, type Deployed } from './plan-deployed';
import type { ContainerPlan } from './plan-platform';

/** The engine's built-in function that reads a stack's outputs (what a StackReference reads). */
export const READ_STACK_OUTPUTS_TOKEN = 'pulumi:pulumi:readStackOutputs';

/**
 * The stack's own outputs from its last update, read with the engine's built-in `readStackOutputs`, which reads the
 * named stack's last checkpoint, its own included (pulumi/pulumi v3.259.0 builtins.go Invoke and
 * readStackReference; tests/contract/upstream/pulumi/3.259.0.json). It runs in `pulumi preview` as in `pulumi up`,
 * so the preview shows the order the update will take, and leaves nothing in the state. `plan-deployed.ts` decides
 * what the reading means.
 *
 * A Promise, not an Output, on purpose: every Output checks its value for unknowns by walking it, and a value that
 * holds a resource walks the whole program's object graph (components keep their plans and children), so one
 * Output per agent made evaluation quadratic in the agents. A Promise of the resources a step waits for is what
 * `dependsOn` also takes.
 */
export function readDeployedStack(
  parent: pulumi.Resource,
  containers: readonly ContainerPlan[],
): Promise<Deployed> {
  const self = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
  return pulumi.runtime.invoke(READ_STACK_OUTPUTS_TOKEN, { name: self }, { parent }).then(
    (answer: { outputs?: unknown } | undefined) => {
      const deployed = readDeployed(answer?.outputs);
      // Said only when it matters: a reading that cannot be used, or an update that creates some members.
      const note = describeDeployed(deployed, containers);
      const mixed = deployed.kind === 'known' && Object.keys(deployed.roles).length > 0;
      if (deployed.kind === 'unknown') void pulumi.log.warn(`rolling: ${note}`, parent);
      else if (mixed && note !== ALL_RUNNING_NOTE) void pulumi.log.info(`rolling: ${note}`, parent);
      return deployed;
    },
    (err: unknown) => {
      const reason = `the stack's last outputs could not be read (${err instanceof Error ? err.message : String(err)})`;
      void pulumi.log.warn(`rolling: ${reason}; every member is rolled as if it were running`, parent);
      return { kind: 'unknown', reason } satisfies Deployed;
    },
  );
}
