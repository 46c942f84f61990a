import type * as docker from '@pulumi/docker';
import dockerPackage from '@pulumi/docker/package.json';
import * as pulumi from '@pulumi/pulumi';
import { withPluginVersion } from './lean-resource';

/**
 * A host's Docker engine as a provider, registered exactly as `docker.Provider` registers it (package `docker`,
 * `sshOpts` JSON-encoded as the SDK class encodes it, plugin version) but declaring only what it is given. The SDK
 * class declares nine properties and wraps three of them in Outputs whether set or not; every host has one
 * provider (README "Scale"). A graph test checks the registration matches the SDK class's.
 */
export class HostDockerProvider extends pulumi.ProviderResource {
  constructor(
    name: string,
    args: Pick<docker.ProviderArgs, 'host' | 'sshOpts'>,
    opts: pulumi.ResourceOptions = {},
  ) {
    const inputs: pulumi.Inputs = { host: args.host };
    if (args.sshOpts !== undefined) inputs.sshOpts = pulumi.output(args.sshOpts).apply(JSON.stringify);
    super('docker', name, inputs, withPluginVersion(dockerPackage.version, opts));
  }
}
