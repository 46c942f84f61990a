/**
 * Issue 29's rule: no task downloads anything when it starts. Apps and jobs run from images that hold their
 * server, so a proxied or air-gapped site starts them like any other, and a restart never depends on a third
 * party. Checked over every stack shape the Docker guard serves (all apps, Lightning from the project or a site).
 */
import type { ClusterPlan } from '../../../../components/plan-cluster';
import { everyShape } from './stack-shapes';

/** Package installs, in any tool's words. */
const INSTALL =
  /\b(pip3?|python3? -m pip|conda|mamba|micromamba|npm|yarn|pnpm|gem|cargo) (install|add|ci)\b|\b(apt-get|apt|dnf|yum|zypper|apk) (install|add)\b|\bgo (get|install)\b/;
/** A URL in a command: allowed only for the cluster's own names and addresses. */
const URL = /\bhttps?:\/\/([^/\s:'"$]+)/g;

function clusterHosts(plan: ClusterPlan): Set<string> {
  return new Set(['127.0.0.1', 'localhost', ...plan.hosts.hosts.map((h) => h.spec.address)]);
}

function outside(plan: ClusterPlan, text: string): string[] {
  const inside = clusterHosts(plan);
  // An XML namespace (Blazegraph's web.xml) is a name, never fetched.
  return [...text.replace(/xmlns=\\?"[^"\\]*\\?"/g, '').matchAll(URL)]
    .map((m) => m[1])
    .filter((host) => !inside.has(host) && !/\.mesos$/.test(host) && !host.startsWith('{{'));
}

const SHAPES = everyShape().map(
  (plan, i) => [`shape ${i + 1} (${plan.hosts.hosts.length} hosts)`, plan] as const,
);

describe.each(SHAPES)('%s', (_name, plan) => {
  test('no app has a Marathon fetch URI', () => {
    expect(plan.apps.apps.filter((a) => (a.definition.fetch ?? []).length > 0).map((a) => a.app)).toEqual([]);
  });

  test('no app or job installs a package in its start command', () => {
    const commands = [
      ...plan.apps.apps.map((a) => [
        a.app,
        `${a.definition.cmd ?? ''} ${(a.definition.args ?? []).join(' ')}`,
      ]),
      ...plan.apps.jobs.map((j) => [j.definition.name, j.definition.command]),
    ];
    expect(commands.filter(([, cmd]) => INSTALL.test(cmd))).toEqual([]);
  });

  test('no app or job names a URL outside the cluster in its command or environment', () => {
    const found = [
      ...plan.apps.apps.flatMap((a) =>
        outside(plan, `${a.definition.cmd ?? ''} ${JSON.stringify(a.definition.env ?? {})}`).map((h) => [
          a.app,
          h,
        ]),
      ),
      ...plan.apps.jobs.flatMap((j) =>
        outside(plan, j.definition.command).map((h) => [j.definition.name, h]),
      ),
    ];
    expect(found).toEqual([]);
  });
});

test.each([
  ['pip install --no-cache-dir sparkmagic==0.23.0', true],
  ['npm ci --production', true],
  ['apt-get install -y curl', true],
  ['exec start-notebook.py --ServerApp.port=31888', false],
])('the install pattern tells %j apart (%s)', (cmd, installs) => {
  expect(INSTALL.test(cmd)).toBe(installs);
});
