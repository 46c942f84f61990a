import { RemoteCommand } from '../hosts/host-command';
import * as pulumi from '@pulumi/pulumi';
import type { Host } from '../hosts/host';
import type { PlatformPlan } from './plan-platform';
import { sudoScriptCommand } from './render-resolver';
import { hostByName } from './service-containers';

export interface HostResolversArgs {
  readonly plan: PlatformPlan;
  readonly hosts: readonly Host[];
  /** Mesos-DNS must answer before a host is told to ask it. */
  readonly after?: readonly pulumi.Resource[];
}

/**
 * Points every managed host's resolver at Mesos-DNS (the old system ran Mesos-DNS but nothing used it).
 * Runs over SSH; re-runs when the rendered script changes; restores the original resolver on delete.
 */
export class HostResolvers extends pulumi.ComponentResource {
  readonly commands: readonly RemoteCommand[];
  /** Each host's resolver step, by host name, for what must wait on that host alone. */
  readonly byHost: ReadonlyMap<string, readonly pulumi.Resource[]>;

  constructor(name: string, args: HostResolversArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:platform:HostResolvers', name, {}, opts);
    this.commands = args.plan.resolvers.map((r) => {
      const host = hostByName(args.hosts, r.host);
      if (host.connection === undefined) {
        throw new Error(
          `host ${host.name} has no SSH connection, so its resolver cannot be configured; ` +
            'only mode local hosts lack one, and the plan gives those container dns settings instead',
        );
      }
      return new RemoteCommand(
        `${name}-${host.name}-resolver`,
        {
          connection: host.connection,
          create: sudoScriptCommand(r.script),
          delete: sudoScriptCommand(r.restoreScript),
          triggers: [r.hash],
        },
        { parent: this, dependsOn: [...host.ready, ...(args.after ?? [])] },
      );
    });
    this.byHost = new Map(args.plan.resolvers.map((r, i) => [r.host, [this.commands[i]]]));
    this.registerOutputs({ hosts: args.plan.resolvers.map((r) => r.host) });
  }
}
