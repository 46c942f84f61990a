import * as pulumi from '@pulumi/pulumi';
import { ALL_RUNNING_NOTE, describeDeployed, readDeployed, type Deployed } from './plan-deployed';
import type { ContainerPlan } from './plan-platform';

/**
 * The stack's own outputs from its last update, read through a StackReference to itself: the engine reads the
 * named stack's last checkpoint, its own included (pulumi/pulumi v3.259.0 builtins.go readStackReference;
 * tests/contract/upstream/pulumi/3.259.0.json). It is read in `pulumi preview` as in `pulumi up`, so the preview
 * shows the order the update will take. `plan-deployed.ts` decides what the reading means.
 */
export function readDeployedStack(
  parent: pulumi.Resource,
  name: string,
  containers: readonly ContainerPlan[],
): pulumi.Output<Deployed> {
  const self = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
  const reference = new pulumi.StackReference(name, { name: self }, { parent });
  // The outputs hold secrets (credentials); only `hosts`, which is plain, is taken out of them.
  return pulumi.unsecret(reference.outputs).apply((outputs) => {
    const deployed = readDeployed(outputs);
    // Said only when it matters: a reading that cannot be used, or an update that creates some members.
    const mixed = deployed.kind === 'known' && Object.keys(deployed.roles).length > 0;
    const note = describeDeployed(deployed, containers);
    if (deployed.kind === 'unknown') void pulumi.log.warn(`rolling: ${note}`, parent);
    else if (mixed && note !== ALL_RUNNING_NOTE) void pulumi.log.info(`rolling: ${note}`, parent);
    return deployed;
  });
}
