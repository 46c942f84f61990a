import type * as pulumi from '@pulumi/pulumi';
import type { types as commandTypes } from '@pulumi/command';
import type { HostSpec } from '../model/types';
import { HostDockerProvider } from './host-docker-provider';

/**
 * One machine, whatever made it (on-premises, EC2 or the local engine). Every later layer consumes this and
 * nothing provisioning-specific.
 */
export interface Host {
  readonly name: string;
  readonly spec: HostSpec;
  /** Address cluster members use; planned in the spec for every mode, so documents can be rendered offline. */
  readonly privateAddress: string;
  /** Address the operator's machine reaches (EC2 public IP, else the private address). */
  readonly publicAddress: pulumi.Output<string>;
  /** SSH connection for remote commands; undefined for the local host, which runs commands locally. */
  readonly connection?: commandTypes.input.remote.ConnectionArgs;
  /** The host's pinned SSH public key (configured, or generated for an AWS instance); unset when none is pinned. */
  readonly hostKey?: pulumi.Output<string>;
  /** Docker provider pointed at this host's engine. */
  readonly docker: HostDockerProvider;
  /** Resources that must be done (bootstrap, volumes) before any service is placed on the host. */
  readonly ready: readonly pulumi.Resource[];
}
