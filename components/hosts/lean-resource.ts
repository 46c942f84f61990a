import * as pulumi from '@pulumi/pulumi';

/**
 * What the lean resource classes (RemoteCommand, LocalCommand, HostDockerProvider, HostImage, PlatformContainer)
 * share: they register what a provider SDK's class registers, but pass only what is set, because the Pulumi SDK
 * creates four promises, each with a formatted stack trace, for every property a resource declares.
 */

/** Only the arguments that are set: a property passed as undefined still costs its four promises. */
export function setOnly(args: object): pulumi.Inputs {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
}

/**
 * The options with the provider plugin's version first, as the SDK classes merge it (`resourceOptsDefaults`),
 * from the provider package's own package.json.
 */
export function withPluginVersion<T extends pulumi.ResourceOptions>(packageVersion: string, opts: T): T {
  return pulumi.mergeOptions({ version: packageVersion.replace(/^v/, '') }, opts) as T;
}
