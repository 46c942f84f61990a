import type * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import { withPluginVersion } from '../hosts/lean-resource';
import dockerPackage from '@pulumi/docker/package.json';

/** The type token @pulumi/docker registers its Container under. */
export const DOCKER_CONTAINER_TYPE = 'docker:index/container:Container';

/**
 * A Docker container registered exactly as `docker.Container` registers it (same type token, inputs, provider and
 * plugin version) but declaring only the inputs it is given. The SDK class declares all ~80 of the provider's
 * properties on every instance, and the Pulumi SDK creates four promises, each carrying a formatted stack trace,
 * per declared property: with one container per agent that was the largest single cost of evaluating a large
 * cluster (README "Scale"). Nothing here reads a container's outputs; a graph test checks that the registration
 * matches the SDK class's, so a provider upgrade that changes what the class sends is caught.
 */
export class PlatformContainer extends pulumi.CustomResource {
  constructor(name: string, args: docker.ContainerArgs, opts: pulumi.CustomResourceOptions) {
    super(DOCKER_CONTAINER_TYPE, name, { ...args }, withPluginVersion(dockerPackage.version, opts));
  }
}
