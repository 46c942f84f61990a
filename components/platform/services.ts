import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import type { Host } from '../hosts/host';
import { PORTS } from '../plan/topology';
import type { BasicCredentials } from './endpoints';
import { HTTP_USER, PRINCIPALS, SECRET_NAMES, type SecretName } from './render-secrets';
import {
  createServiceContainers,
  hostByName,
  hostUrls,
  type PlatformSecrets,
  type ServiceArgs,
  type ServiceContainer,
} from './service-containers';

/** The platform services, one component each, in start order. Graph shape comes from the plan only. */

/** Generated passwords for HTTP basic auth and Mesos principals (alphanumeric: they go into JSON and user:pass). */
export class PlatformCredentials extends pulumi.ComponentResource {
  readonly secrets: PlatformSecrets;
  /** Keys `stars backup` checksums (HMAC-SHA256) so a restore can tell a backup nobody tampered with. */
  readonly backupKey: pulumi.Output<string>;

  constructor(name: string, args: { readonly authEnabled: boolean }, opts?: pulumi.ComponentResourceOptions) {
    super('stars:platform:PlatformCredentials', name, {}, opts);
    const secrets: Partial<Record<SecretName, pulumi.Output<string>>> = {};
    if (args.authEnabled) {
      for (const s of SECRET_NAMES) {
        secrets[s] = new random.RandomPassword(
          `${name}-${s}`,
          { length: 32, special: false },
          { parent: this },
        ).result;
      }
    }
    this.secrets = secrets;
    this.backupKey = new random.RandomPassword(
      `${name}-backup-key`,
      { length: 48, special: false },
      { parent: this },
    ).result;
    this.registerOutputs({ principals: Object.values(PRINCIPALS).map((p) => p.principal) });
  }
}

abstract class PlatformService extends pulumi.ComponentResource {
  readonly containers: readonly ServiceContainer[];

  protected constructor(
    type: string,
    name: string,
    service: Parameters<typeof createServiceContainers>[2],
    args: ServiceArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(type, name, {}, opts);
    this.containers = createServiceContainers(this, name, service, args);
  }

  protected hostsOf(names: readonly string[], hosts: readonly Host[]): Host[] {
    return names.map((n) => hostByName(hosts, n));
  }
}

export class ZookeeperEnsemble extends PlatformService {
  /** `a:2181,b:2181,…` sorted by server id. */
  readonly connectString: string;

  constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:platform:ZookeeperEnsemble', name, 'zookeeper', args, opts);
    this.connectString = args.plan.zookeeperConnect;
    this.registerOutputs({ connectString: this.connectString });
  }
}

export class MesosMasters extends PlatformService {
  readonly masterUrl: string;
  readonly quorum: number;
  readonly uiUrl: pulumi.Output<string>;

  constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:platform:MesosMasters', name, 'mesos-master', args, opts);
    this.masterUrl = args.plan.mesosMaster;
    this.quorum = args.plan.mesosQuorum;
    // Any master redirects the UI to the leader.
    this.uiUrl = hostByName(args.hosts, args.plan.masters[0]).publicAddress.apply(
      (a) => `http://${a}:${PORTS.mesosMaster}`,
    );
    this.registerOutputs({ masterUrl: this.masterUrl, quorum: this.quorum, uiUrl: this.uiUrl });
  }
}

function basicCredentials(secrets: PlatformSecrets, name: SecretName): BasicCredentials | undefined {
  const password = secrets[name];
  return password === undefined ? undefined : { username: HTTP_USER, password: pulumi.secret(password) };
}

export class Marathon extends PlatformService {
  readonly urls: pulumi.Output<string[]>;
  readonly credentials?: BasicCredentials;

  constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:platform:Marathon', name, 'marathon', args, opts);
    this.urls = hostUrls(this.hostsOf(args.plan.masters, args.hosts), PORTS.marathon);
    this.credentials = basicCredentials(args.secrets, 'marathon-http');
    this.registerOutputs({ urls: this.urls, credentials: this.credentials });
  }
}

export class Chronos extends PlatformService {
  readonly urls: pulumi.Output<string[]>;
  readonly credentials?: BasicCredentials;

  constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:platform:Chronos', name, 'chronos', args, opts);
    this.urls = hostUrls(this.hostsOf(args.plan.masters, args.hosts), PORTS.chronos);
    this.credentials = basicCredentials(args.secrets, 'chronos-http');
    this.registerOutputs({ urls: this.urls, credentials: this.credentials });
  }
}

export class MesosDns extends PlatformService {
  readonly servers: readonly string[];
  readonly domain: string;
  readonly httpUrls: pulumi.Output<string[]>;

  constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:platform:MesosDns', name, 'mesos-dns', args, opts);
    this.servers = args.plan.mesosDnsServers;
    this.domain = args.plan.domain;
    this.httpUrls = hostUrls(this.hostsOf(args.plan.masters, args.hosts), PORTS.mesosDnsHttp);
    this.registerOutputs({ servers: this.servers, domain: this.domain, httpUrls: this.httpUrls });
  }
}

export class MesosAgents extends PlatformService {
  readonly agents: readonly string[];

  constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:platform:MesosAgents', name, 'mesos-agent', args, opts);
    this.agents = args.plan.agents;
    this.registerOutputs({ agents: this.agents });
  }
}
