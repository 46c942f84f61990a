import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import type { Host } from '../hosts/host';
import type { ProjectImageName } from '../model/catalog';
import type { ImagesPlan, ProjectImagePlan } from './plan-images';
import { hostByName } from './service-containers';
import { HostImage } from './host-image';
import { filledBootstrap, type BootstrapSecrets } from '../hosts/bootstrap-secrets';

export interface PlatformImagesArgs {
  readonly plan: ImagesPlan;
  readonly hosts: readonly Host[];
  /** The proxy's login for the builds' downloads (stars:proxyCredentials), when the proxy takes one. */
  readonly secrets?: BootstrapSecrets;
}

/**
 * The images the project builds, on the engines that run them. Without a registry each host builds the images
 * it needs, in build order (an image only after the ones it is built FROM, on the same engine). With a registry
 * the first host of an image builds and pushes it, and every other host pulls it once it is pushed.
 */
export class PlatformImages extends pulumi.ComponentResource {
  /** Host name → image name → the image on that host's engine. */
  readonly onHost: ReadonlyMap<string, ReadonlyMap<ProjectImageName, HostImage>>;

  constructor(name: string, args: PlatformImagesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:platform:Images', name, {}, opts);
    const onHost = new Map<string, Map<ProjectImageName, HostImage>>();
    const pushed = new Map<ProjectImageName, pulumi.Resource>();
    const proxy = buildProxyArgs(args.plan.proxyArgs, args.secrets);
    const on = (host: string): Map<ProjectImageName, HostImage> => {
      const m = onHost.get(host) ?? new Map<ProjectImageName, HostImage>();
      onHost.set(host, m);
      return m;
    };
    for (const image of args.plan.images) {
      const [builder, ...rest] = image.hosts;
      const buildOn = args.plan.registry === undefined ? image.hosts : [builder];
      for (const hostName of buildOn) {
        const host = hostByName(args.hosts, hostName);
        // A base image comes from this engine (built here) or, with a registry, from its push.
        const bases = image.from.map((f) => on(hostName).get(f) ?? pushed.get(f));
        on(hostName).set(image.name, this.build(name, image, host, bases, proxy));
      }
      if (args.plan.registry === undefined) continue;
      const host = hostByName(args.hosts, builder);
      const push = new docker.RegistryImage(
        `${name}-${image.name}-push`,
        { name: image.ref, keepRemotely: true },
        {
          parent: this,
          provider: host.docker,
          dependsOn: [on(builder).get(image.name) as HostImage],
        },
      );
      pushed.set(image.name, push);
      for (const hostName of rest) {
        const pullHost = hostByName(args.hosts, hostName);
        on(hostName).set(
          image.name,
          new HostImage(
            `${name}-${image.name}-${hostName}`,
            { name: image.ref, keepLocally: true },
            { parent: this, provider: pullHost.docker, dependsOn: [...pullHost.ready, push] },
          ),
        );
      }
    }
    this.onHost = onHost;
    this.registerOutputs({
      images: args.plan.images.map((i) => ({ name: i.name, ref: i.ref, hosts: i.hosts })),
    });
  }

  private build(
    name: string,
    image: ProjectImagePlan,
    host: Host,
    bases: readonly (pulumi.Resource | undefined)[],
    proxy: pulumi.Input<Record<string, string>>,
  ): HostImage {
    const buildArgs = pulumi.output(proxy).apply((p) => ({ ...image.buildArgs, ...image.fetchArgs, ...p }));
    return new HostImage(
      `${name}-${image.name}-${host.name}`,
      {
        name: image.ref,
        keepLocally: true,
        build: { context: image.context, dockerfile: 'Dockerfile', buildArgs },
      },
      {
        parent: this,
        provider: host.docker,
        dependsOn: [...host.ready, ...bases.filter((b): b is pulumi.Resource => b !== undefined)],
      },
    );
  }
}

/** The proxy arguments with the login filled in (then secret, so the state keeps it encrypted), or as planned. */
function buildProxyArgs(
  planned: Readonly<Record<string, string>>,
  secrets: BootstrapSecrets | undefined,
): pulumi.Input<Record<string, string>> {
  const text = JSON.stringify(planned);
  const filled = filledBootstrap(text, secrets, 'image builds').text;
  return pulumi.output(filled).apply((t) => JSON.parse(t) as Record<string, string>);
}
