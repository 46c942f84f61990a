// Composition root: load config -> plan -> components -> exports. No logic lives here.
import { loadClusterSpec } from './components/config';
import { Hosts } from './components/hosts/hosts';
import { planCluster } from './components/plan/plan-cluster';
import { Platform } from './components/platform/platform';
import { Apps } from './components/apps/apps';

const { spec, secrets } = loadClusterSpec();
const plan = planCluster(spec);
const hosts = new Hosts('hosts', { plan: plan.hosts, sshPrivateKey: secrets.sshPrivateKey });
const platform = new Platform('platform', { plan: plan.platform, hosts: hosts.hosts });
const apps = new Apps(
  'apps',
  { plan: plan.apps, endpoints: platform.endpoints, secrets },
  { dependsOn: platform },
);

export const environment = spec.environment;
export const mode = spec.mode;
export const hostNames = plan.spec.hosts.map((h) => h.name);
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
} = platform.outputs;
export const appUrls = apps.urls;
export const appCredentials = apps.credentials;
