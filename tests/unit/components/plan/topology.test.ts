import { planHosts } from '../../../../components/hosts/plan-hosts';
import { appHostDirectories } from '../../../../components/plan/topology';
import { stackSpec } from '../hosts/stack-spec';

const JUPYTER = { path: '/var/lib/stars/apps/jupyter', uid: 1000, gid: 100, mode: '0750' };
const ZEPPELIN = { path: '/var/lib/stars/apps/zeppelin', uid: 1000, gid: 1000, mode: '0750' };
// The Stars blazegraph and lightning images' users (images/<name>/Dockerfile USER 1000:1000).
const BLAZEGRAPH = { path: '/var/lib/stars/apps/blazegraph', uid: 1000, gid: 1000, mode: '0750' };
const LIGHTNING = { path: '/var/lib/stars/apps/lightning', uid: 1000, gid: 1000, mode: '0750' };
// The nightly Marathon/Chronos backups: root alone reads them (app env can hold credentials).
const BACKUPS = { path: '/var/lib/stars/backups', uid: 0, gid: 0, mode: '0700' };
const EVENTS = { path: '/var/lib/stars/spark-events', uid: 0, gid: 185, mode: '3777' };

describe('appHostDirectories: what the enabled apps write on agents, owned by their images users', () => {
  test.each([
    ['every app (staging)', {}, [BLAZEGRAPH, JUPYTER, LIGHTNING, ZEPPELIN, BACKUPS, EVENTS]],
    [
      "a site's Lightning image (root, like upstream's) needs no directory prepared",
      { 'stars:appSettings': { lightning: { image: 'registry.example.org/lightning:1.3.0' } } },
      [BLAZEGRAPH, JUPYTER, ZEPPELIN, BACKUPS, EVENTS],
    ],
    ['no notebooks', { 'stars:apps': ['spark', 'livy'] }, [BACKUPS, EVENTS]],
    [
      'no Spark history server: no event log directory',
      { 'stars:appSettings': { spark: { historyServer: false } } },
      [BLAZEGRAPH, JUPYTER, LIGHTNING, ZEPPELIN, BACKUPS],
    ],
    ['no apps (the backups are still taken)', { 'stars:apps': [] }, [BACKUPS]],
  ])('%s', (_claim, overrides, expected) => {
    expect(appHostDirectories(stackSpec('staging', overrides))).toEqual(expected);
  });
});

test('only agents prepare app directories in their system script; masters do not', () => {
  const plan = planHosts(stackSpec('staging'));
  const system = (name: string) =>
    plan.hosts.find((h) => h.name === name)!.scripts.find((s) => s.file === '20-system.sh')!.content;
  expect(system('a2')).toContain("app_dir '/var/lib/stars/apps/zeppelin' 1000:1000 0750\n");
  expect(system('m2')).not.toContain('app_dir');
});
