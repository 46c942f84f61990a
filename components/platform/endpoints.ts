import type * as pulumi from '@pulumi/pulumi';

export interface BasicCredentials {
  readonly username: string;
  readonly password: pulumi.Output<string>;
}

/** What the platform layer hands to the apps layer and to stack outputs. */
export interface PlatformEndpoints {
  /** `10.0.0.1:2181,10.0.0.2:2181,…` sorted by ZooKeeper server id. */
  readonly zookeeperConnect: string;
  /** `zk://…/mesos`, the master URL frameworks and agents use. */
  readonly mesosMaster: string;
  readonly mesosUiUrl: pulumi.Output<string>;
  /** Marathon REST base URLs reachable from where Pulumi runs (any instance proxies to the leader). */
  readonly marathonUrls: pulumi.Output<string[]>;
  readonly chronosUrls: pulumi.Output<string[]>;
  /** Mesos-DNS servers (master addresses) and domain. */
  readonly mesosDnsServers: readonly string[];
  readonly domain: string;
  /** Present when authentication is on. */
  readonly marathonCredentials?: BasicCredentials;
  readonly chronosCredentials?: BasicCredentials;
  /** Principal and secret frameworks (e.g. the Spark dispatcher) register with when framework auth is on. */
  readonly frameworkCredentials?: { readonly principal: string; readonly secret: pulumi.Output<string> };
  /** Marathon apps must wait for these (Marathon, Chronos and the agents the apps run on). */
  readonly ready: readonly pulumi.Resource[];
  /**
   * Chronos jobs wait only for the schedulers: registering a job needs no agent, and a job per agent that waited
   * for every agent would add dependencies growing with the square of the cluster.
   */
  readonly schedulersReady: readonly pulumi.Resource[];
}

/**
 * How the program's REST clients (the apps layer's providers) and the `stars` CLI reach Marathon and Chronos: the
 * platform's own URLs and logins, or, with the TLS edge on, the edge's URLs, its `stars` login and its CA.
 */
export interface ClientAccess {
  readonly marathonUrls: pulumi.Output<string[]>;
  readonly chronosUrls: pulumi.Output<string[]>;
  readonly marathonCredentials?: BasicCredentials;
  readonly chronosCredentials?: BasicCredentials;
  readonly caCertificate?: pulumi.Output<string>;
}
