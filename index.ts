// Composition root: load config -> plan -> components -> exports. No logic lives here.
import { loadClusterSpec } from './components/config';
import { Hosts } from './components/hosts/hosts';
import { planCluster } from './components/plan-cluster';
import { MembershipGuard } from './components/platform/membership-guard';
import { Platform } from './components/platform/platform';
import { Apps } from './components/apps/apps';
import { Edge } from './components/edge/edge';

const { spec, secrets } = loadClusterSpec();
const plan = planCluster(spec);
// First, so an unsafe change of the masters is refused before any resource is touched.
const membership = new MembershipGuard('masters-membership', plan.platform.zookeeperMembers);
const machines = new Hosts(
  'hosts',
  {
    plan: plan.hosts,
    sshPrivateKey: secrets.sshPrivateKey,
    secrets: {
      proxyCredentials: secrets.proxyCredentials,
      dataBackupPassword: secrets.dataBackupPassword,
      dataBackupSshKey: secrets.dataBackupSshKey,
      dataBackupS3Credentials: secrets.dataBackupS3Credentials,
    },
  },
  { dependsOn: [membership] },
);
const platform = new Platform('platform', {
  plan: plan.platform,
  hosts: machines.hosts,
  secrets: { proxyCredentials: secrets.proxyCredentials },
});
const edge = new Edge('edge', {
  plan: plan.edge,
  hosts: machines.hosts,
  clusterName: spec.clusterName,
  platform: platform.outputs,
  secrets: platform.secrets,
  ldapBindPassword: secrets.ldapBindPassword,
  after: [platform.mesosDns, platform.resolvers],
});
const apps = new Apps(
  'apps',
  {
    plan: plan.apps,
    endpoints: platform.endpoints,
    access: edge.access,
    agents: platform.agentRuntimes,
    secrets,
  },
  { dependsOn: [platform, edge] },
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
  appUrls,
  edgeCaCertificate,
  edgeCredentials,
} = edge.outputs;
export const appCredentials = apps.credentials;
