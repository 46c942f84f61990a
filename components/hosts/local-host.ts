import { LocalCommand } from './host-command';
import * as pulumi from '@pulumi/pulumi';
import type { HostSpec } from '../model/types';
import type { Host } from './host';
import type { HostPlan } from './plan-hosts';
import { HostDockerProvider } from './host-docker-provider';

/**
 * The local trial host: the machine running Pulumi is master and agent. Nothing is installed; a local command
 * checks that Docker answers (error) and that /var has room (warning only: a laptop trial is still useful).
 */
export class LocalHost extends pulumi.ComponentResource implements Host {
  readonly name: string;
  readonly spec: HostSpec;
  readonly privateAddress: string;
  readonly publicAddress: pulumi.Output<string>;
  readonly connection = undefined;
  readonly docker: HostDockerProvider;
  readonly ready: readonly pulumi.Resource[];

  constructor(
    name: string,
    args: { readonly plan: HostPlan; readonly dockerHost: string },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('stars:hosts:LocalHost', name, {}, opts);
    const host = args.plan.spec;
    this.name = host.name;
    this.spec = host;
    this.privateAddress = host.address;
    this.publicAddress = pulumi.output(host.address);
    const checks = args.plan.scripts.map(
      (script) =>
        new LocalCommand(
          `${name}-${script.file.replace(/\.sh$/, '')}`,
          { create: script.content, interpreter: ['/bin/bash', '-c'], triggers: [script.sha256] },
          { parent: this },
        ),
    );
    this.ready = checks;
    this.docker = new HostDockerProvider(
      `${name}-docker`,
      // The engine the checks above found (DOCKER_HOST, else the default socket).
      { host: args.dockerHost },
      { parent: this, dependsOn: checks },
    );
    this.registerOutputs({ privateAddress: this.privateAddress });
  }
}
