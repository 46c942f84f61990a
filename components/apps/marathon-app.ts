import * as pulumi from '@pulumi/pulumi';
import type { MarathonAppDefinition } from './api/marathon-types';
import { MARATHON_PROVIDER_VERSION, marathonAppProvider } from './marathon-app-provider';

export interface MarathonAppArgs {
  /** Marathon base URLs (any instance proxies to the leader). */
  readonly marathonUrls: pulumi.Input<pulumi.Input<string>[]>;
  readonly username?: pulumi.Input<string>;
  /** PEM of the CA to trust for https URLs (the TLS edge's). */
  readonly caCertificate?: pulumi.Input<string>;
  /** Stored as a secret. */
  readonly password?: pulumi.Input<string>;
  /** The full definition; pass it through pulumi.secret when it carries secret env values. */
  readonly app: pulumi.Input<MarathonAppDefinition>;
  /** Override a running deployment that blocks the change (409). Use only for a failed deployment. */
  readonly force?: pulumi.Input<boolean>;
  readonly waitTimeoutSeconds?: pulumi.Input<number>;
  readonly pollIntervalMs?: pulumi.Input<number>;
  readonly retries?: pulumi.Input<number>;
  readonly retryBackoffMs?: pulumi.Input<number>;
}

/**
 * One Marathon app managed through the REST API by a dynamic provider (marathon-app-provider.ts): create and
 * update are a full-replace PUT followed by a wait for a healthy deployment; refresh reads the app back in
 * normalised form, so only real drift shows as a diff.
 */
export class MarathonApp extends pulumi.dynamic.Resource {
  declare readonly appId: pulumi.Output<string>;
  declare readonly deploymentId: pulumi.Output<string>;
  declare readonly app: pulumi.Output<MarathonAppDefinition>;

  constructor(name: string, args: MarathonAppArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      marathonAppProvider,
      name,
      {
        ...args,
        ...(args.password !== undefined ? { password: pulumi.secret(args.password) } : {}),
        providerVersion: MARATHON_PROVIDER_VERSION,
        appId: undefined,
        deploymentId: undefined,
        version: undefined,
      },
      { ...opts, additionalSecretOutputs: ['password', ...(opts?.additionalSecretOutputs ?? [])] },
      'stars',
      'MarathonApp',
    );
  }
}
