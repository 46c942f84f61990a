import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { planHosts, type HostsPlan } from '../../../components/hosts/plan-hosts';
import { parseClusterSpec } from '../../../components/model/parse-cluster-spec';
import { rawConfigFromEngine } from '../../../components/model/raw-config';
import type { ClusterSpec } from '../../../components/model/types';
import { docker, run, type Run } from '../../../scripts/lib/lab/docker';
import { labDown, labUp } from '../../../scripts/lib/lab/lab';
import type { LabPlan } from '../../../scripts/lib/lab/lab-plan';
import { loadStackConfig } from '../../../scripts/lib/stack-config';

/**
 * The lab the `lab` project runs against: made by the same `labUp` as `npm run lab -- up`, under a name and
 * subnet of its own (a user's lab is never touched), and removed by `stop()` whatever the tests did.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const TEST_LAB = { name: 'stars-labtest', subnet: '172.31.251.0/24', masters: 3, agents: 2 };

export interface TestLab {
  readonly plan: LabPlan;
  readonly dir: string;
  readonly stackFile: string;
  readonly identity: string;
  readonly knownHosts: string;
  readonly outputsFile: string;
  /** The stack the lab's Pulumi.lab.yaml describes, parsed and validated as `pulumi up` would. */
  readonly spec: ClusterSpec;
  readonly hosts: HostsPlan;
  stop(): Promise<void>;
}

export async function startLab(log: (line: string) => void = () => undefined): Promise<TestLab> {
  const dir = mkdtempSync(path.join(tmpdir(), 'stars-lab-'));
  const stateDir = path.join(dir, 'state');
  const stackFile = path.join(dir, 'Pulumi.lab.yaml');
  const paths = { stateDir, stackFile };
  const stop = async (): Promise<void> => {
    await labDown(TEST_LAB.name, paths, () => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const plan = await labUp({ ...TEST_LAB, ...paths, log });
    const config = loadStackConfig(ROOT, 'lab', stackFile);
    const { raw, secretKeys } = rawConfigFromEngine(config);
    const spec = parseClusterSpec(raw, { stack: 'lab', secretKeys });
    return {
      plan,
      dir,
      stackFile,
      identity: path.join(stateDir, 'id_ed25519'),
      knownHosts: path.join(stateDir, 'known_hosts'),
      outputsFile: path.join(stateDir, 'outputs.json'),
      spec,
      hosts: planHosts(spec),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** One command over real SSH as the stack's user, with the lab's key and pinned host keys. */
export function ssh(lab: TestLab, address: string, command: string, input = ''): Promise<Run> {
  return run(
    'ssh',
    [
      '-i',
      lab.identity,
      '-o',
      `UserKnownHostsFile=${lab.knownHosts}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=10',
      `stars@${address}`,
      command,
    ],
    { input },
  );
}

/** A root shell command inside a lab host's container (for arranging drift, never for what is under test). */
export async function onHost(lab: TestLab, host: string, script: string): Promise<string> {
  const h = lab.plan.hosts.find((x) => x.name === host);
  if (h === undefined) throw new Error(`no lab host ${host}`);
  const r = await docker(['exec', h.container, 'bash', '-c', script]);
  if (r.code !== 0) throw new Error(`on ${host}: ${script}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

export const addressOf = (lab: TestLab, host: string): string => {
  const h = lab.plan.hosts.find((x) => x.name === host);
  if (h === undefined) throw new Error(`no lab host ${host}`);
  return h.address;
};
