import * as pulumi from '@pulumi/pulumi';
import type { Host } from '../hosts/host';
import { APP_SECRETS_DIR } from '../plan/topology';
import { PlatformContainer } from '../platform/platform-container';
import { substitute } from './catalog-apps';
import { APP_SECRETS_UPLOAD_DIR, WRITER_DONE, writerProgram, type SecretFile } from './render-secret-files';
import { HostImage } from '../platform/host-image';

/** An agent and the Stars Mesos image on it, which carries the shell and coreutils the writer runs. */
export interface AgentRuntime {
  readonly host: Host;
  readonly image: HostImage;
}

export interface AppSecretFilesArgs {
  readonly files: readonly SecretFile[];
  readonly script: string;
  readonly agents: readonly AgentRuntime[];
  /** `{{secret:name}}` → value, `{{value:name}}` → plain value (the apps' deploy context). */
  readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
  readonly values: Readonly<Record<string, string>>;
}

/**
 * One writer container per agent: it gets the files as secret uploads, copies them to APP_SECRETS_DIR with
 * each app's owner and mode 0400 (render-secret-files.ts), then idles; it turns healthy only when the copy
 * succeeded, and the deployment waits for that. Changed contents replace it, so it copies again (and again
 * after a reboot); Marathon apps wait for every writer, as they wait for every agent.
 */
export class AppSecretFiles extends pulumi.ComponentResource {
  constructor(name: string, args: AppSecretFilesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:apps:AppSecretFiles', name, {}, opts);
    // Filled as the app definitions are (catalog-apps `substitute`); a file is secret even with values only.
    const contents = args.files.map((f) =>
      pulumi.secret(substitute(f.content, `the secret file ${f.app}/${f.name}`, args)),
    );
    for (const { host, image } of args.agents) {
      new PlatformContainer(
        `${name}-${host.name}`,
        {
          name: 'stars-app-secrets',
          image: image.name,
          entrypoints: [
            '/bin/sh',
            '-c',
            writerProgram(args.script),
            'stars-app-secrets',
            APP_SECRETS_UPLOAD_DIR,
            '/out',
          ],
          volumes: [{ hostPath: APP_SECRETS_DIR, containerPath: '/out', readOnly: false }],
          uploads: args.files.map((f, i) => ({
            file: `${APP_SECRETS_UPLOAD_DIR}/${f.app}/${f.name}`,
            content: contents[i],
            permissions: '0400',
          })),
          networkMode: 'none',
          restart: 'unless-stopped',
          mustRun: true,
          // Healthy only once every file is in place: `wait` makes a failed copy fail the deployment here,
          // before any app starts (the script exits on the first error, and the container with it).
          healthcheck: {
            tests: ['CMD', 'test', '-e', WRITER_DONE],
            interval: '2s',
            timeout: '5s',
            retries: 30,
            startPeriod: '0s',
          },
          wait: true,
          waitTimeout: 120,
        },
        {
          parent: this,
          provider: host.docker,
          dependsOn: [...host.ready, image],
          deleteBeforeReplace: true,
          additionalSecretOutputs: ['uploads'],
        },
      );
    }
    this.registerOutputs({});
  }
}
