import * as pulumi from '@pulumi/pulumi';
import {
  unknownCheckingProxy,
  type PolicyResource,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
} from '@pulumi/policy';

/**
 * @pulumi/policy ships no test runner, so these build the same argument bags its analyzer server builds
 * (server.js: props behind unknownCheckingProxy, reportViolation, getConfig, notApplicable) and call the
 * policy's own validate function.
 */
export class NotApplicable extends Error {}

export const UNKNOWN = pulumi.runtime.unknownValue;

const urnOf = (stack: string, type: string, name: string): string =>
  `urn:pulumi:${stack}::stars::${type}::${name}`;

export async function runResourcePolicy(
  policy: ResourceValidationPolicy,
  resource: {
    type: string;
    name?: string;
    props: Record<string, unknown>;
    additionalSecretOutputs?: string[];
  },
): Promise<string[]> {
  const violations: string[] = [];
  const name = resource.name ?? 'r';
  const args: ResourceValidationArgs = {
    type: resource.type,
    props: unknownCheckingProxy(resource.props) as Record<string, unknown>,
    urn: urnOf('dev', resource.type, name),
    name,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: resource.additionalSecretOutputs ?? [],
    },
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
  const validations = Array.isArray(policy.validateResource)
    ? policy.validateResource
    : [policy.validateResource];
  for (const v of validations) await v?.(args, (message) => violations.push(message));
  return violations;
}

export async function runStackPolicy(
  policy: StackValidationPolicy,
  stack: string,
  resources: { type: string; name: string; props: Record<string, unknown> }[],
  config: object = {},
): Promise<string[] | 'not applicable'> {
  const violations: string[] = [];
  const policyResources = resources.map((r): PolicyResource => ({
    type: r.type,
    name: r.name,
    urn: urnOf(stack, r.type, r.name),
    props: unknownCheckingProxy(r.props) as Record<string, unknown>,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  }));
  const args: StackValidationArgs = {
    resources: policyResources,
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
  try {
    await policy.validateStack(args, (message) => violations.push(message));
  } catch (err) {
    if (err instanceof NotApplicable) return 'not applicable';
    throw err;
  }
  return violations;
}
