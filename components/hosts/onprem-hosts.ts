import * as pulumi from '@pulumi/pulumi';
import type { types as commandTypes } from '@pulumi/command';
import type { HostSpec } from '../model/types';
import type { Host } from './host';
import type { HostPlan } from './plan-hosts';
import { hostFirewall, remoteBootstrap, sshConnection, sshDockerProvider } from './remote-bootstrap';
import { HostDockerProvider } from './host-docker-provider';
import type { BootstrapSecrets } from './bootstrap-secrets';

export interface OnPremHostArgs {
  readonly plan: HostPlan;
  readonly sshPrivateKey?: pulumi.Input<string>;
  readonly secrets?: BootstrapSecrets;
}

/** An existing machine reached over SSH: its bootstrap, then a Docker provider that waits for it. */
export class OnPremHost extends pulumi.ComponentResource implements Host {
  readonly name: string;
  readonly spec: HostSpec;
  readonly privateAddress: string;
  readonly publicAddress: pulumi.Output<string>;
  readonly connection: commandTypes.input.remote.ConnectionArgs;
  readonly docker: HostDockerProvider;
  readonly ready: readonly pulumi.Resource[];
  readonly hostKey?: pulumi.Output<string>;

  /** `name` is `<hosts>-<host>`, so every child name carries the host name as a segment. */
  constructor(name: string, args: OnPremHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:hosts:OnPremHost', name, {}, opts);
    const host = args.plan.spec;
    this.name = host.name;
    this.spec = host;
    this.privateAddress = host.address;
    this.publicAddress = pulumi.output(host.publicAddress ?? host.address);
    if (host.ssh.hostKey !== undefined) this.hostKey = pulumi.output(host.ssh.hostKey);
    // Pulumi's machine reaches the host on its public address when one is given (e.g. NAT), else the private one.
    this.connection = sshConnection(host, host.publicAddress ?? host.address, args.sshPrivateKey);
    const bootstrap = remoteBootstrap(this, {
      prefix: name,
      plan: args.plan,
      connection: this.connection,
      secrets: args.secrets,
    });
    this.ready = [
      args.plan.firewall === undefined
        ? bootstrap
        : hostFirewall(this, name, args.plan, this.connection, bootstrap),
    ];
    this.docker = sshDockerProvider(
      this,
      `${name}-docker`,
      host,
      host.publicAddress ?? host.address,
      this.ready,
    );
    this.registerOutputs({ privateAddress: this.privateAddress, publicAddress: this.publicAddress });
  }
}

/** One OnPremHost per planned host, in name order. */
export function createOnPremHosts(
  parent: pulumi.Resource,
  prefix: string,
  hosts: readonly HostPlan[],
  sshPrivateKey: pulumi.Input<string> | undefined,
  secrets?: BootstrapSecrets,
): OnPremHost[] {
  return hosts.map(
    (plan) => new OnPremHost(`${prefix}-${plan.name}`, { plan, sshPrivateKey, secrets }, { parent }),
  );
}
