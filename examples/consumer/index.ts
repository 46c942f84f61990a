import * as pulumi from '@pulumi/pulumi';

/**
 * A separate Pulumi project that builds on a running Stars platform. It never re-derives addresses: it
 * reads the Stars stack's outputs (the contract index.ts exports) through a StackReference.
 *
 *   pulumi config set starsStack organization/stars/staging   # <org>/stars/<stack>
 *   pulumi up
 */
const config = new pulumi.Config();
const starsStack = config.get('starsStack') ?? 'organization/stars/staging';
const stars = new pulumi.StackReference(starsStack);

interface StarsHost {
  readonly name: string;
  readonly roles: readonly string[];
  readonly address: string;
  readonly publicAddress?: string;
}

// requireOutput fails the preview with a clear message when the Stars stack does not export the value.
export const marathonUrl = stars.requireOutput('marathonUrl') as pulumi.Output<string>;
export const chronosUrl = stars.requireOutput('chronosUrl') as pulumi.Output<string>;
export const mesosUiUrl = stars.getOutput('mesosUiUrl') as pulumi.Output<string>;
export const mesosMaster = stars.getOutput('mesosMaster') as pulumi.Output<string>;
export const zookeeperConnect = stars.getOutput('zookeeperConnect') as pulumi.Output<string>;
export const environment = stars.getOutput('environment') as pulumi.Output<string>;

const hosts = stars.getOutput('hosts') as pulumi.Output<StarsHost[] | undefined>;
export const agentAddresses = hosts.apply((hs) =>
  (hs ?? []).filter((h) => h.roles.includes('agent')).map((h) => h.address),
);

const appUrls = stars.getOutput('appUrls') as pulumi.Output<Record<string, string> | undefined>;
export const zeppelinUrl = appUrls.apply((urls) => urls?.zeppelin ?? 'zeppelin is not enabled on this stack');

/** A Spark master URL jobs submitted from this project use (Mesos via ZooKeeper). */
export const sparkMaster = mesosMaster.apply((m) => m.replace(/^zk:\/\//, 'mesos://zk://'));

// Credentials are secret outputs of the Stars stack; they stay secret here (never printed in plain text).
const marathonCredentials = stars.getOutput('marathonCredentials') as pulumi.Output<
  { username: string; password: string } | undefined
>;
export const marathonAuthEnabled = marathonCredentials.apply((c) => c !== undefined);
export const marathonUsername = marathonCredentials.apply((c) => c?.username ?? '');
