import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Host } from './host';
import type { HostsPlan } from './plan-hosts';
import { AwsNetwork } from './aws-network';
import { AwsHost } from './aws-hosts';
import { LocalHost } from './local-host';
import { createOnPremHosts } from './onprem-hosts';

export interface HostsArgs {
  readonly plan: HostsPlan;
  /** The secret `stars:sshPrivateKey`; hosts whose ssh.privateKey is `agent` do not need it. */
  readonly sshPrivateKey?: pulumi.Input<string>;
}

/** The machines of the cluster, whatever provides them: on-premises over SSH, EC2, or the local engine. */
export class Hosts extends pulumi.ComponentResource {
  /** Sorted by name. */
  readonly hosts: readonly Host[];

  constructor(name: string, args: HostsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:hosts:Hosts', name, {}, opts);
    const plan = args.plan;
    let hosts: Host[];
    switch (plan.mode) {
      case 'onprem':
        hosts = createOnPremHosts(this, name, plan.hosts, args.sshPrivateKey);
        break;
      case 'local':
        hosts = plan.hosts.map((h) => new LocalHost(`${name}-${h.name}`, { plan: h }, { parent: this }));
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
              { hosts: plan, plan: h, network, provider, sshPrivateKey: args.sshPrivateKey },
              { parent: this },
            ),
        );
        break;
      }
    }
    this.hosts = [...hosts].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.registerOutputs({ hostNames: this.hosts.map((h) => h.name) });
  }
}
