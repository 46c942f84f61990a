import type { RecordedResource } from './program-runner';

/**
 * How long a deployment takes, from the program's real dependency graph (graph-metrics `predecessors`) and an
 * assumed duration per step, next to the same cluster deployed the way the seed did it: Ansible plays in order,
 * each task across the play's hosts five at a time (Ansible's default `forks`), the next task only when the
 * last host finished. Pure; the durations are assumptions, listed with their reasons in STEP_SECONDS and
 * SEED_ROLE_SECONDS (README "Scale").
 */

export interface Step {
  readonly urn: string;
  readonly seconds: number;
  readonly after: readonly string[];
}

/** The earliest finish of every step with at most `parallel` steps running at once (list scheduling, FIFO). */
export function simulate(steps: readonly Step[], parallel = Number.POSITIVE_INFINITY): number {
  if (!(parallel >= 1)) throw new Error('parallel must be at least 1');
  if (parallel === Number.POSITIVE_INFINITY) return longestPath(steps);
  const byUrn = new Map(steps.map((s) => [s.urn, s]));
  const waiting = new Map(steps.map((s) => [s.urn, s.after.filter((a) => byUrn.has(a)).length]));
  const dependents = new Map<string, string[]>();
  for (const s of steps)
    for (const a of s.after) if (byUrn.has(a)) dependents.set(a, [...(dependents.get(a) ?? []), s.urn]);
  const ready: { urn: string; at: number }[] = steps
    .filter((s) => waiting.get(s.urn) === 0)
    .map((s) => ({ urn: s.urn, at: 0 }));
  const running: { urn: string; end: number }[] = [];
  let now = 0;
  let done = 0;
  while (done < steps.length) {
    ready.sort((x, y) => x.at - y.at || (x.urn < y.urn ? -1 : 1));
    while (running.length < parallel && ready.length > 0 && ready[0].at <= now) {
      const next = ready.shift() as { urn: string; at: number };
      running.push({ urn: next.urn, end: now + (byUrn.get(next.urn) as Step).seconds });
    }
    if (running.length === 0) {
      if (ready.length === 0) throw new Error('the steps have a dependency cycle');
      now = ready[0].at;
      continue;
    }
    running.sort((x, y) => x.end - y.end);
    const finished = running.shift() as { urn: string; end: number };
    now = finished.end;
    done += 1;
    for (const d of dependents.get(finished.urn) ?? []) {
      const left = (waiting.get(d) ?? 0) - 1;
      waiting.set(d, left);
      if (left === 0) ready.push({ urn: d, at: now });
    }
  }
  return now;
}

/** Unbounded parallelism (Pulumi's default): each step finishes its duration after its last predecessor. */
function longestPath(steps: readonly Step[]): number {
  const byUrn = new Map(steps.map((s) => [s.urn, s]));
  const finish = new Map<string, number>();
  const visiting = new Set<string>();
  const end = (urn: string): number => {
    const known = finish.get(urn);
    if (known !== undefined) return known;
    if (visiting.has(urn)) throw new Error('the steps have a dependency cycle');
    visiting.add(urn);
    const s = byUrn.get(urn) as Step;
    const start = Math.max(0, ...s.after.filter((a) => byUrn.has(a)).map(end));
    visiting.delete(urn);
    finish.set(urn, start + s.seconds);
    return start + s.seconds;
  };
  return Math.max(0, ...steps.map((s) => end(s.urn)));
}

/** Assumed seconds per resource kind; the first match wins. */
export const STEP_SECONDS: readonly {
  readonly kind: string;
  readonly seconds: number;
  readonly test: RegExp;
}[] = [
  // The bootstrap bundle: Docker engine from the vendor repository, time sync, kernel settings, directories.
  { kind: 'host bootstrap', seconds: 300, test: /^command:remote:Command::.*-bootstrap$/ },
  { kind: 'firewall apply / confirm', seconds: 5, test: /^command:remote:Command::.*-firewall(-confirm)?$/ },
  { kind: 'resolver switch', seconds: 5, test: /^command:remote:Command::/ },
  { kind: 'local check', seconds: 5, test: /^command:local:Command::/ },
  // Building a project image on a host (Mesos, Spark, Zeppelin) from a pulled base.
  { kind: 'image build', seconds: 240, test: /^docker:index\/image:Image::/ },
  { kind: 'image pull', seconds: 60, test: /^docker:index\/remoteImage:RemoteImage::/ },
  { kind: 'container start', seconds: 10, test: /^docker:index\/container:Container::/ },
  // PUT, then Marathon's deployment until every instance is healthy (health-check grace periods of 2-5 min).
  { kind: 'Marathon app to healthy', seconds: 120, test: /^pulumi-nodejs:dynamic\/stars:MarathonApp::/ },
  { kind: 'Chronos job', seconds: 2, test: /^pulumi-nodejs:dynamic\/stars:ChronosJob::/ },
  { kind: 'EC2 instance', seconds: 60, test: /^aws:ec2\/instance:Instance::/ },
  { kind: 'other cloud resource', seconds: 5, test: /^aws:/ },
  // Providers, generated passwords and keys, certificates: local, well under a second.
  { kind: 'local resource', seconds: 0, test: /./ },
];

export function stepSeconds(r: Pick<RecordedResource, 'type' | 'name'>): number {
  const key = `${r.type}::${r.name}`;
  return (STEP_SECONDS.find((s) => s.test.test(key)) as { seconds: number }).seconds;
}

/** The program's custom resources as steps, with the engine's ordering (graph-metrics `predecessors`). */
export function stepsOf(
  resources: readonly RecordedResource[],
  graph: ReadonlyMap<string, readonly string[]>,
): Step[] {
  return resources
    .filter((r) => r.custom)
    .map((r) => ({ urn: r.urn, seconds: stepSeconds(r), after: graph.get(r.urn) ?? [] }));
}

/**
 * The seed's playbooks (site.yml: a play on all hosts, then masters.yml and workers.yml; reference notes §1.2)
 * with assumed seconds per role on one host, facts gathering included.
 */
export const SEED_PLAYS: readonly {
  readonly play: string;
  readonly hosts: 'all' | 'masters' | 'workers';
  readonly roles: Readonly<Record<string, number>>;
}[] = [
  { play: 'site', hosts: 'all', roles: { facts: 5, common: 1, docker: 120, maven: 60, 'java-se': 90 } },
  {
    play: 'masters',
    hosts: 'masters',
    roles: {
      facts: 5,
      common: 1,
      python: 60,
      zookeeper: 45,
      mesos: 120,
      marathon: 60,
      'mesos-dns': 20,
      spark: 60,
      jenkins: 120,
    },
  },
  {
    play: 'workers',
    hosts: 'workers',
    roles: {
      facts: 5,
      common: 1,
      python: 60,
      chronos: 60,
      mesos: 120,
      spark: 60,
      zeppelin: 90,
      blazegraph: 30,
      livy: 1,
    },
  },
];
export const ANSIBLE_FORKS = 5;

/** Ansible's linear strategy: every task of a play takes ceil(hosts / forks) rounds of its duration. */
export function simulateAnsible(
  masters: number,
  workers: number,
  plays: typeof SEED_PLAYS = SEED_PLAYS,
  forks = ANSIBLE_FORKS,
): number {
  const hostsOf = { all: masters + workers, masters, workers };
  return plays.reduce((total, p) => {
    const rounds = Math.ceil(hostsOf[p.hosts] / forks);
    return total + rounds * Object.values(p.roles).reduce((a, b) => a + b, 0);
  }, 0);
}

/** Bytes of the checkpoint the engine would write: every resource with its inputs and (mocked) outputs. */
export function checkpointBytes(resources: readonly RecordedResource[]): number {
  return resources.reduce(
    (n, r) =>
      n +
      Buffer.byteLength(
        JSON.stringify({
          urn: r.urn,
          custom: r.custom,
          type: r.type,
          parent: r.parent,
          provider: r.provider,
          dependencies: r.dependencies,
          inputs: r.revealed,
          outputs: r.revealed,
        }),
      ),
    0,
  );
}
