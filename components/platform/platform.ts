import * as pulumi from '@pulumi/pulumi';
import type { Host } from '../hosts/host';
import type { BasicCredentials, PlatformEndpoints } from './endpoints';
import { readDeployedStack } from './deployed-stack';
import { HostResolvers } from './host-resolvers';
import { lookupLeaders } from './leaders';
import type { BootstrapSecrets } from '../hosts/bootstrap-secrets';
import { PlatformImages } from './platform-images';
import type { PlatformPlan } from './plan-platform';
import { HTTP_USER, PRINCIPALS } from './render-secrets';
import {
  Chronos,
  Marathon,
  MesosAgents,
  MesosDns,
  MesosMasters,
  PlatformCredentials,
  ZookeeperEnsemble,
} from './services';
import type { PlatformSecrets } from './service-containers';
import { HostImage } from './host-image';

export interface PlatformStackOutputs {
  readonly zookeeperConnect: string;
  readonly mesosMaster: string;
  readonly mesosUiUrl: pulumi.Output<string>;
  /** One Marathon/Chronos base URL (any instance proxies to the leader) and all of them. */
  readonly marathonUrl: pulumi.Output<string>;
  readonly chronosUrl: pulumi.Output<string>;
  readonly marathonUrls: pulumi.Output<string[]>;
  readonly chronosUrls: pulumi.Output<string[]>;
  readonly mesosDnsServers: readonly string[];
  readonly domain: string;
  readonly marathonCredentials: pulumi.Output<{ username: string; password: string }> | undefined;
  readonly chronosCredentials: pulumi.Output<{ username: string; password: string }> | undefined;
  /** The operator login for the Mesos masters' and agents' HTTP endpoints (all but /health). */
  readonly mesosCredentials: pulumi.Output<{ username: string; password: string }> | undefined;
  /** Secret key of the backups' checksums (`stars backup`/`restore`). */
  readonly backupKey: pulumi.Output<string>;
}

export interface PlatformArgs {
  readonly plan: PlatformPlan;
  readonly hosts: readonly Host[];
  /** The proxy's login, which image builds download through (stars:proxyCredentials). */
  readonly secrets?: BootstrapSecrets;
}

/**
 * ZooKeeper -> Mesos masters -> Marathon, Chronos, Mesos-DNS -> host resolvers and Mesos agents. Each step
 * depends on the whole previous component, so no container starts before the ones it needs exist.
 */
export class Platform extends pulumi.ComponentResource {
  readonly endpoints: PlatformEndpoints;
  readonly zookeeper: ZookeeperEnsemble;
  readonly masters: MesosMasters;
  readonly marathon: Marathon;
  readonly chronos: Chronos;
  readonly mesosDns: MesosDns;
  readonly agents: MesosAgents;
  readonly resolvers: HostResolvers;
  readonly images: PlatformImages;
  /** Every agent with the Stars Mesos image on it (the apps layer writes its secret files with it). */
  readonly agentRuntimes: readonly { readonly host: Host; readonly image: HostImage }[];
  /** The generated platform secrets by name (the edge sends the backends their logins). */
  readonly secrets: PlatformSecrets;
  /** Flat stack outputs in the shape the ops scripts read (scripts/lib/stack-outputs.ts); credentials secret. */
  readonly outputs: PlatformStackOutputs;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:platform:Platform', name, {}, opts);
    const { plan, hosts } = args;
    const parent = { parent: this };
    const credentials = new PlatformCredentials(
      `${name}-credentials`,
      { authEnabled: plan.authEnabled },
      parent,
    );
    this.images = new PlatformImages(
      `${name}-images`,
      { plan: plan.images, hosts, secrets: args.secrets },
      parent,
    );
    this.secrets = credentials.secrets;
    this.agentRuntimes = hosts.flatMap((host) => {
      const image = this.images.onHost.get(host.name)?.get('mesos');
      return host.spec.roles.includes('agent') && image !== undefined ? [{ host, image }] : [];
    });
    // Read before any member is placed, so each rolling service's current leader goes last.
    const leaders = lookupLeaders(this, plan, hosts);
    // Only members the stack already runs roll; what is being created is created at once.
    const deployed = readDeployedStack(this, plan.containers);
    const base = {
      plan,
      hosts,
      secrets: credentials.secrets,
      images: this.images.onHost,
      deployed,
      ...(leaders === undefined ? {} : { leaders }),
    };

    this.zookeeper = new ZookeeperEnsemble(`${name}-zookeeper`, base, parent);
    this.masters = new MesosMasters(`${name}-mesos-master`, { ...base, after: [this.zookeeper] }, parent);
    const afterMasters = { ...base, after: [this.masters] };
    this.marathon = new Marathon(`${name}-marathon`, afterMasters, parent);
    this.chronos = new Chronos(`${name}-chronos`, afterMasters, parent);
    this.mesosDns = new MesosDns(`${name}-mesos-dns`, afterMasters, parent);
    this.resolvers = new HostResolvers(`${name}-resolvers`, { plan, hosts, after: [this.mesosDns] }, parent);
    this.agents = new MesosAgents(
      `${name}-mesos-agent`,
      {
        ...base,
        after: [this.marathon, this.chronos, this.mesosDns],
        afterOnHost: this.resolvers.byHost,
      },
      parent,
    );

    const framework = credentials.secrets['mesos-frameworks'];
    const mesosHttp = credentials.secrets['mesos-http'];
    this.endpoints = {
      zookeeperConnect: this.zookeeper.connectString,
      mesosMaster: this.masters.masterUrl,
      mesosUiUrl: this.masters.uiUrl,
      marathonUrls: this.marathon.urls,
      chronosUrls: this.chronos.urls,
      mesosDnsServers: this.mesosDns.servers,
      domain: this.mesosDns.domain,
      ...(this.marathon.credentials === undefined ? {} : { marathonCredentials: this.marathon.credentials }),
      ...(this.chronos.credentials === undefined ? {} : { chronosCredentials: this.chronos.credentials }),
      ...(framework === undefined
        ? {}
        : {
            frameworkCredentials: {
              principal: PRINCIPALS.frameworks.principal,
              secret: pulumi.secret(framework),
            },
          }),
      ready: [this.marathon, this.chronos, this.agents],
      schedulersReady: [this.marathon, this.chronos],
    };
    const secretCredentials = (c: BasicCredentials | undefined) =>
      c === undefined
        ? undefined
        : pulumi.secret(pulumi.output({ username: c.username, password: c.password }));
    this.outputs = {
      zookeeperConnect: this.endpoints.zookeeperConnect,
      mesosMaster: this.endpoints.mesosMaster,
      mesosUiUrl: this.endpoints.mesosUiUrl,
      marathonUrl: this.endpoints.marathonUrls.apply((u) => u[0]),
      chronosUrl: this.endpoints.chronosUrls.apply((u) => u[0]),
      marathonUrls: this.endpoints.marathonUrls,
      chronosUrls: this.endpoints.chronosUrls,
      mesosDnsServers: this.endpoints.mesosDnsServers,
      domain: this.endpoints.domain,
      marathonCredentials: secretCredentials(this.endpoints.marathonCredentials),
      chronosCredentials: secretCredentials(this.endpoints.chronosCredentials),
      mesosCredentials: secretCredentials(
        mesosHttp === undefined ? undefined : { username: HTTP_USER, password: mesosHttp },
      ),
      backupKey: pulumi.secret(credentials.backupKey),
    };
    this.registerOutputs({
      zookeeperConnect: this.endpoints.zookeeperConnect,
      mesosMaster: this.endpoints.mesosMaster,
      mesosUiUrl: this.endpoints.mesosUiUrl,
      marathonUrls: this.endpoints.marathonUrls,
      chronosUrls: this.endpoints.chronosUrls,
      mesosDnsServers: this.endpoints.mesosDnsServers,
      domain: this.endpoints.domain,
    });
  }
}
