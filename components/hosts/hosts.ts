import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { BootstrapSecrets } from './bootstrap-secrets';
import type { HostSpec } from '../model/types';
import type { Host } from './host';
import type { HostsPlan } from './plan-hosts';
import { AwsNetwork } from './aws-network';
import { AwsHost } from './aws-hosts';
import { LocalHost } from './local-host';
import { createOnPremHosts } from './onprem-hosts';

/** One host as the stack exports it: what an operator (and the `stars` CLI) needs to reach it. */
export interface HostOutput {
  readonly name: string;
  readonly roles: readonly string[];
  /** Address cluster members use. */
  readonly address: string;
  /** Address the operator's machine reaches (EC2 public IP, NAT address); equals `address` where there is none. */
  readonly publicAddress: string;
  readonly sshUser: string;
  readonly sshPort: number;
  /** `user@host:port`, as `ssh -J` takes it. */
  readonly sshJumpHost?: string;
  /** The pinned SSH host key line (`ssh-ed25519 AAAA…`): `stars` trusts only it. */
  readonly hostKey?: string;
}

/** The exported form of one host; pure, so the contract with scripts/lib/stack-outputs.ts is unit-tested. */
export function hostOutput(spec: HostSpec, publicAddress: string, hostKey?: string): HostOutput {
  const jump = spec.ssh.jumpHost;
  return {
    name: spec.name,
    roles: [...spec.roles],
    address: spec.address,
    // An EC2 instance in a private subnet has no public IP (""): the operator reaches the private address.
    publicAddress: publicAddress === '' ? spec.address : publicAddress,
    sshUser: spec.ssh.user,
    sshPort: spec.ssh.port,
    ...(jump === undefined ? {} : { sshJumpHost: `${jump.user}@${jump.host}:${jump.port}` }),
    ...(hostKey === undefined ? {} : { hostKey: hostKey.trim() }),
  };
}

export interface HostsArgs {
  readonly plan: HostsPlan;
  /** The secret `stars:sshPrivateKey`; hosts whose ssh.privateKey is `agent` do not need it. */
  readonly sshPrivateKey?: pulumi.Input<string>;
  /** Secret config the bootstrap scripts refer to (the proxy's login). */
  readonly secrets?: BootstrapSecrets;
}

/** The machines of the cluster, whatever provides them: on-premises over SSH, EC2, or the local engine. */
export class Hosts extends pulumi.ComponentResource {
  /** Sorted by name. */
  readonly hosts: readonly Host[];
  /** The stack output `hosts`, sorted by name. */
  readonly outputs: pulumi.Output<HostOutput[]>;

  constructor(name: string, args: HostsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:hosts:Hosts', name, {}, opts);
    const plan = args.plan;
    let hosts: Host[];
    switch (plan.mode) {
      case 'onprem':
        hosts = createOnPremHosts(this, name, plan.hosts, args.sshPrivateKey, args.secrets);
        break;
      case 'local':
        hosts = plan.hosts.map(
          (h) =>
            new LocalHost(
              `${name}-${h.name}`,
              { plan: h, dockerHost: plan.localDockerHost },
              { parent: this },
            ),
        );
        break;
      case 'aws': {
        if (plan.aws === undefined) throw new Error('mode aws needs the aws settings in the hosts plan');
        const provider = new aws.Provider(
          `${name}-aws`,
          { region: plan.aws.region as aws.Region },
          { parent: this },
        );
        const network = new AwsNetwork(`${name}-network`, { hosts: plan, provider }, { parent: this });
        hosts = plan.hosts.map(
          (h) =>
            new AwsHost(
              `${name}-${h.name}`,
              {
                hosts: plan,
                plan: h,
                network,
                provider,
                sshPrivateKey: args.sshPrivateKey,
                secrets: args.secrets,
              },
              { parent: this },
            ),
        );
        break;
      }
    }
    this.hosts = [...hosts].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const keys = this.hosts.map((h) => h.hostKey ?? pulumi.output(undefined));
    this.outputs = pulumi
      .all([pulumi.all(this.hosts.map((h) => h.publicAddress)), pulumi.all(keys)])
      .apply(([addresses, hostKeys]) =>
        this.hosts.map((h, i) => hostOutput(h.spec, addresses[i], hostKeys[i])),
      );
    this.registerOutputs({ hosts: this.outputs });
  }
}
