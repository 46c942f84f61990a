import type * as command from '@pulumi/command';
import { remote as remoteInputs } from '@pulumi/command/types/input';
import commandPackage from '@pulumi/command/package.json';
import * as pulumi from '@pulumi/pulumi';
import { setOnly, withPluginVersion } from './lean-resource';

/** The type tokens @pulumi/command registers its commands under. */
export const REMOTE_COMMAND_TYPE = 'command:remote:Command';
export const LOCAL_COMMAND_TYPE = 'command:local:Command';

/** What @pulumi/command's classes add to the options they are given, in their order (remote/command.js). */
function commandOptions(
  opts: pulumi.CustomResourceOptions,
  secret: readonly string[],
): pulumi.CustomResourceOptions {
  let merged = withPluginVersion(commandPackage.version, opts);
  if (secret.length > 0) merged = pulumi.mergeOptions(merged, { additionalSecretOutputs: [...secret] });
  return pulumi.mergeOptions(merged, { replaceOnChanges: ['triggers[*]'] });
}

type Connection = command.remote.CommandArgs['connection'];
/** One defaulted connection per connection given (a host's commands share theirs), not two more Outputs each. */
const defaulted = new WeakMap<object, pulumi.Output<unknown>>();

function withDefaults(connection: Connection): pulumi.Output<unknown> {
  const known = typeof connection === 'object' ? defaulted.get(connection) : undefined;
  if (known !== undefined) return known;
  const made = pulumi.secret(pulumi.output(connection).apply(remoteInputs.connectionArgsProvideDefaults));
  if (typeof connection === 'object') defaulted.set(connection, made);
  return made;
}

/**
 * A remote command registered exactly as `command.remote.Command` registers it (same type token, inputs with the
 * connection's defaults filled by the SDK's own function and kept secret, options and plugin version), declaring
 * only the inputs it is given. The SDK class declares all eleven of its properties on every instance, and the Pulumi
 * SDK creates four promises, each with a formatted stack trace, per declared property; a cluster has six to eight
 * commands per host (README "Scale"). Nothing reads a command's outputs; a graph test checks the registration
 * matches the SDK class's, so a provider upgrade that changes what the class sends is caught.
 */
export class RemoteCommand extends pulumi.CustomResource {
  constructor(name: string, args: command.remote.CommandArgs, opts: pulumi.CustomResourceOptions = {}) {
    const connection = withDefaults(args.connection);
    super(REMOTE_COMMAND_TYPE, name, setOnly({ ...args, connection }), commandOptions(opts, ['connection']));
  }
}

/** The same for `command.local.Command` (sixteen declared properties). */
export class LocalCommand extends pulumi.CustomResource {
  constructor(name: string, args: command.local.CommandArgs, opts: pulumi.CustomResourceOptions = {}) {
    super(LOCAL_COMMAND_TYPE, name, setOnly(args), commandOptions(opts, []));
  }
}
