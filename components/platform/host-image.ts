import type * as docker from '@pulumi/docker';
import dockerPackage from '@pulumi/docker/package.json';
import * as pulumi from '@pulumi/pulumi';
import { setOnly, withPluginVersion } from '../hosts/lean-resource';

/** The type token @pulumi/docker registers its RemoteImage under. */
export const DOCKER_REMOTE_IMAGE_TYPE = 'docker:index/remoteImage:RemoteImage';

/**
 * An image on one host's engine, registered exactly as `docker.RemoteImage` registers it (same type token, inputs,
 * options and plugin version) but declaring only the inputs it is given and the two outputs the program reads:
 * `name` (what a container runs) and `imageId` (what an agent's drain digests). The SDK class declares nine
 * properties, each costing the Pulumi SDK four promises with a formatted stack trace, and every agent has one image
 * per project image (README "Scale"); a graph test checks the registration matches the SDK class's.
 */
export class HostImage extends pulumi.CustomResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly imageId: pulumi.Output<string>;

  constructor(name: string, args: docker.RemoteImageArgs, opts: pulumi.CustomResourceOptions = {}) {
    // `imageId` is declared (undefined) so the engine's answer fills it; `name` is required, so always set.
    super(
      DOCKER_REMOTE_IMAGE_TYPE,
      name,
      { ...setOnly(args), imageId: undefined },
      withPluginVersion(dockerPackage.version, opts),
    );
  }
}
