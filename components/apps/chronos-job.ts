import * as pulumi from '@pulumi/pulumi';
import type { ChronosJobDefinition } from './api/marathon-types';
import { CHRONOS_PROVIDER_VERSION, chronosJobProvider } from './chronos-job-provider';

export interface ChronosJobArgs {
  readonly chronosUrls: pulumi.Input<pulumi.Input<string>[]>;
  readonly username?: pulumi.Input<string>;
  /** PEM of the CA to trust for https URLs (the TLS edge's). */
  readonly caCertificate?: pulumi.Input<string>;
  /** Stored as a secret. */
  readonly password?: pulumi.Input<string>;
  /** Scheduled (`schedule`) or dependent (`parents`; make the resource depend on the parents' resources). */
  readonly job: pulumi.Input<ChronosJobDefinition>;
  readonly retries?: pulumi.Input<number>;
  readonly retryBackoffMs?: pulumi.Input<number>;
}

/** One Chronos job managed through /v1/scheduler by a dynamic provider (chronos-job-provider.ts). */
export class ChronosJob extends pulumi.dynamic.Resource {
  declare readonly job: pulumi.Output<ChronosJobDefinition>;

  constructor(name: string, args: ChronosJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      chronosJobProvider,
      name,
      {
        ...args,
        ...(args.password !== undefined ? { password: pulumi.secret(args.password) } : {}),
        providerVersion: CHRONOS_PROVIDER_VERSION,
      },
      { ...opts, additionalSecretOutputs: ['password', ...(opts?.additionalSecretOutputs ?? [])] },
      'stars',
      'ChronosJob',
    );
  }
}
