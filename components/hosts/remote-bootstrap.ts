import * as command from '@pulumi/command';
import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import type { HostSpec } from '../spec/types';
import type { PlannedScript } from './plan-hosts';
import { shellQuote } from './render-bootstrap';

type ConnectionArgs = command.types.input.remote.ConnectionArgs;

/**
 * SSH connection for @pulumi/command from the host's ssh settings. `privateKey: agent` leaves the key unset so
 * the provider uses SSH_AUTH_SOCK; a pinned `hostKey` is checked by the provider itself before any command runs
 * (and for the jump host the same way when one is configured).
 */
export function sshConnection(
  host: HostSpec,
  address: pulumi.Input<string>,
  sshPrivateKey: pulumi.Input<string> | undefined,
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
    ...(ssh.hostKey === undefined ? {} : { hostKey: ssh.hostKey }),
    ...(ssh.jumpHost === undefined
      ? {}
      : { proxy: { host: ssh.jumpHost.host, port: ssh.jumpHost.port, user: ssh.jumpHost.user, ...common } }),
  };
}

/** Where a script is staged before it is installed root-owned and checked against its hash. */
export function stagingPath(script: PlannedScript): string {
  return `/tmp/stars-bootstrap-${script.file}`;
}

/**
 * Installs the staged copy root-owned, verifies it is byte-for-byte the planned script (so nothing swapped the
 * file in /tmp), then runs it. POSIX sh: the login shell on the host may be dash.
 */
export function runStagedScriptCommand(script: PlannedScript): string {
  return [
    `sudo install -D -m 0755 -o root -g root ${shellQuote(stagingPath(script))} ${shellQuote(script.installPath)}`,
    `echo ${shellQuote(`${script.sha256}  ${script.installPath}`)} | sha256sum -c --quiet -`,
    `sudo bash ${shellQuote(script.installPath)}`,
  ].join(' && ');
}

export interface RemoteBootstrapArgs {
  /** Name prefix containing the host name, e.g. `hosts-m1`. */
  readonly prefix: string;
  readonly scripts: readonly PlannedScript[];
  readonly connection: ConnectionArgs;
  readonly dependsOn?: readonly pulumi.Resource[];
}

/**
 * One CopyToRemote + Command per script, chained in order. Each carries `triggers: [sha256]`, so a changed script
 * is copied and re-run and an unchanged one is left alone. Returns the last step (done = all done).
 */
export function remoteBootstrap(
  parent: pulumi.Resource,
  args: RemoteBootstrapArgs,
): command.remote.Command[] {
  const steps: command.remote.Command[] = [];
  let previous: readonly pulumi.Resource[] = args.dependsOn ?? [];
  for (const script of args.scripts) {
    const step = script.file.replace(/\.sh$/, '');
    const copy = new command.remote.CopyToRemote(
      `${args.prefix}-copy-${step}`,
      {
        connection: args.connection,
        source: new pulumi.asset.StringAsset(script.content),
        remotePath: stagingPath(script),
        triggers: [script.sha256],
      },
      { parent, dependsOn: [...previous] },
    );
    const run = new command.remote.Command(
      `${args.prefix}-bootstrap-${step}`,
      {
        connection: args.connection,
        create: runStagedScriptCommand(script),
        triggers: [script.sha256],
      },
      { parent, dependsOn: [copy, ...previous] },
    );
    steps.push(run);
    previous = [run];
  }
  return steps;
}

/**
 * Docker provider over SSH (the docker CLI's ssh helper, so the key must be in the operator's ssh-agent or
 * ~/.ssh). Unknown host keys are recorded on first use; a changed key is refused.
 */
export function sshDockerProvider(
  parent: pulumi.Resource,
  name: string,
  host: HostSpec,
  address: pulumi.Input<string>,
  dependsOn: readonly pulumi.Resource[],
): docker.Provider {
  const ssh = host.ssh;
  const jump =
    ssh.jumpHost === undefined
      ? []
      : ['-J', `${ssh.jumpHost.user}@${ssh.jumpHost.host}:${ssh.jumpHost.port}`];
  return new docker.Provider(
    name,
    {
      host: pulumi.interpolate`ssh://${ssh.user}@${address}:${ssh.port}`,
      sshOpts: [
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=accept-new',
        '-o',
        `ConnectTimeout=${ssh.dialTimeoutSeconds}`,
        ...jump,
      ],
    },
    { parent, dependsOn: [...dependsOn] },
  );
}
