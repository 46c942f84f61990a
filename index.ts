// Composition root: load config -> plan -> components -> exports. No logic lives here.
import { loadClusterSpec } from './components/config';
import { Hosts } from './components/hosts/hosts';
import { planCluster } from './components/plan/plan-cluster';
import { Platform } from './components/platform/platform';
import { Apps } from './components/apps/apps';

const { spec, secrets } = loadClusterSpec();
const plan = planCluster(spec);
const machines = new Hosts('hosts', { plan: plan.hosts, sshPrivateKey: secrets.sshPrivateKey });
const platform = new Platform('platform', { plan: plan.platform, hosts: machines.hosts });
const apps = new Apps(
  'apps',
  { plan: plan.apps, endpoints: platform.endpoints, secrets },
  { dependsOn: platform },
);

// The stack's output contract: README "Stack outputs"; the `stars` CLI reads it (scripts/lib/stack-outputs.ts).
export const environment = spec.environment;
export const mode = spec.mode;
export const clusterName = spec.clusterName;
export const hosts = machines.outputs;
export const {
  zookeeperConnect,
  mesosMaster,
  mesosUiUrl,
  marathonUrl,
  chronosUrl,
  marathonUrls,
  chronosUrls,
  mesosDnsServers,
  domain,
  marathonCredentials,
  chronosCredentials,
  mesosCredentials,
  backupKey,
} = platform.outputs;
export const appUrls = apps.urls;
export const appCredentials = apps.credentials;
