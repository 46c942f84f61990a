// Composition root: load config -> plan -> components -> exports. No logic lives here.
import { loadClusterSpec } from './components/config';
import { planCluster } from './components/plan/plan-cluster';

const { spec } = loadClusterSpec();
const plan = planCluster(spec);

export const environment = spec.environment;
export const mode = spec.mode;
export const hostNames = plan.spec.hosts.map((h) => h.name);
