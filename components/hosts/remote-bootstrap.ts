import type * as command from '@pulumi/command';
import { RemoteCommand } from './host-command';
import * as pulumi from '@pulumi/pulumi';
import type { HostSpec } from '../model/types';
import type { HostPlan } from './plan-hosts';
import { renderBundleRunCommand } from './render-bootstrap-bundle';
import { FIREWALL_REMOVE_COMMAND, renderFirewallCommand } from './render-firewall';
import { pinnedHostKeyOptions } from './ssh-options';
import { HostDockerProvider } from './host-docker-provider';
import { filledBootstrap, type BootstrapSecrets } from './bootstrap-secrets';

type ConnectionArgs = command.types.input.remote.ConnectionArgs;

/**
 * SSH connection for @pulumi/command from the host's ssh settings. `privateKey: agent` leaves the key unset so
 * the provider uses SSH_AUTH_SOCK; a pinned `hostKey` (configured, or generated for an AWS instance) is checked by
 * the provider itself before any command runs.
 */
export function sshConnection(
  host: HostSpec,
  address: pulumi.Input<string>,
  sshPrivateKey: pulumi.Input<string> | undefined,
  hostKey: pulumi.Input<string> | undefined = host.ssh.hostKey,
): ConnectionArgs {
  const ssh = host.ssh;
  let privateKey: pulumi.Output<string> | undefined;
  if (ssh.privateKey === 'config') {
    if (sshPrivateKey === undefined) {
      throw new Error(
        `host ${host.name}: ssh.privateKey is "config" but the secret stars:sshPrivateKey is not set; ` +
          'set it with `pulumi config set --secret stars:sshPrivateKey < key` or use privateKey: agent',
      );
    }
    privateKey = pulumi.secret(sshPrivateKey);
  }
  const common = {
    perDialTimeout: ssh.dialTimeoutSeconds,
    dialErrorLimit: 10,
    ...(privateKey === undefined ? {} : { privateKey }),
  };
  return {
    host: address,
    port: ssh.port,
    user: ssh.user,
    ...common,
    ...(hostKey === undefined ? {} : { hostKey }),
    ...(ssh.jumpHost === undefined
      ? {}
      : { proxy: { host: ssh.jumpHost.host, port: ssh.jumpHost.port, user: ssh.jumpHost.user, ...common } }),
  };
}

export interface RemoteBootstrapArgs {
  /** Name prefix containing the host name, e.g. `hosts-m1`. */
  readonly prefix: string;
  /** The host's plan; its `bundle` is what runs. */
  readonly plan: HostPlan;
  readonly connection: ConnectionArgs;
  readonly dependsOn?: readonly pulumi.Resource[];
  /** What the bundle's secret placeholders are filled with. */
  readonly secrets?: BootstrapSecrets;
}

/**
 * One remote Command that streams the host's bootstrap bundle (render-bootstrap-bundle.ts) over SSH and runs it.
 * `triggers: [sha256]` re-runs it when (and only when) a step changes; every step is idempotent, so the unchanged
 * ones only check.
 */
export function remoteBootstrap(parent: pulumi.Resource, args: RemoteBootstrapArgs): RemoteCommand {
  const bundle = args.plan.bundle;
  if (bundle === undefined) throw new Error(`host ${args.plan.name}: no bootstrap bundle was planned`);
  const filled = filledBootstrap(bundle.content, args.secrets, args.plan.name);
  return new RemoteCommand(
    `${args.prefix}-bootstrap`,
    {
      connection: args.connection,
      create: renderBundleRunCommand(bundle.sha256),
      stdin: filled.text,
      triggers: [bundle.sha256, ...filled.rerun],
    },
    { parent, dependsOn: [...(args.dependsOn ?? [])] },
  );
}

/**
 * The host firewall after the bootstrap, then its confirmation over a second SSH session (without it the rules
 * roll back, render-firewall.ts). Both re-run when the script changes; deleting the firewall removes the table.
 */
export function hostFirewall(
  parent: pulumi.Resource,
  prefix: string,
  plan: HostPlan,
  connection: ConnectionArgs,
  bootstrap: RemoteCommand,
): RemoteCommand {
  const fw = plan.firewall;
  if (fw === undefined) throw new Error(`host ${plan.name}: no firewall was planned`);
  const apply = new RemoteCommand(
    `${prefix}-firewall`,
    {
      connection,
      create: renderFirewallCommand(fw.sha256, 'apply'),
      delete: FIREWALL_REMOVE_COMMAND,
      stdin: fw.script,
      triggers: [fw.sha256],
    },
    { parent, dependsOn: [bootstrap] },
  );
  return new RemoteCommand(
    `${prefix}-firewall-confirm`,
    {
      connection,
      create: renderFirewallCommand(fw.sha256, 'confirm'),
      stdin: fw.script,
      triggers: [fw.sha256],
    },
    { parent, dependsOn: [apply] },
  );
}

/**
 * The system `ssh` client's options for one host: batch mode, the pinned host key when there is one (configured,
 * or generated for AWS instances), else trust on first use (an unknown key is recorded on first use and a
 * changed key is refused), the dial timeout and the jump host. The Docker provider and the leader look-up
 * (components/platform/leaders.ts) both dial with these, so they trust exactly the same keys.
 */
export function sshClientOptions(
  host: HostSpec,
  address: pulumi.Input<string>,
  hostKey: pulumi.Input<string> | undefined = host.ssh.hostKey,
): pulumi.Output<string[]> {
  const ssh = host.ssh;
  const jump =
    ssh.jumpHost === undefined
      ? []
      : ['-J', `${ssh.jumpHost.user}@${ssh.jumpHost.host}:${ssh.jumpHost.port}`];
  const trust =
    hostKey === undefined
      ? pulumi.output(['-o', 'StrictHostKeyChecking=accept-new'])
      : pulumi.all([address, hostKey]).apply(([a, k]) => pinnedHostKeyOptions(a, ssh.port, k));
  return trust.apply((t) => [
    '-o',
    'BatchMode=yes',
    ...t,
    '-o',
    `ConnectTimeout=${ssh.dialTimeoutSeconds}`,
    ...jump,
  ]);
}

/**
 * Docker provider over SSH (the docker CLI's ssh helper, so the key must be in the operator's ssh-agent or
 * ~/.ssh), with the options of sshClientOptions.
 */
export function sshDockerProvider(
  parent: pulumi.Resource,
  name: string,
  host: HostSpec,
  address: pulumi.Input<string>,
  dependsOn: readonly pulumi.Resource[],
  hostKey: pulumi.Input<string> | undefined = host.ssh.hostKey,
): HostDockerProvider {
  return new HostDockerProvider(
    name,
    {
      host: pulumi.interpolate`ssh://${host.ssh.user}@${address}:${host.ssh.port}`,
      sshOpts: sshClientOptions(host, address, hostKey),
    },
    { parent, dependsOn: [...dependsOn] },
  );
}
