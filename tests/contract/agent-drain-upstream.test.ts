import { readFileSync } from 'fs';
import * as path from 'path';
import { renderDrainScript } from '../../components/platform/render-agent-drain';
import { MesosMaintenanceDouble } from '../support/mesos-maintenance-double';

/**
 * The agent drain and the Mesos maintenance double against the facts read from apache/mesos 1.10.0
 * (upstream/gates/mesos-maintenance.json): the script calls only upstream's routes with their methods, writes
 * the machine id in the form the master prints, and the double answers with upstream's error texts.
 */

interface Fact {
  readonly source: string;
  readonly value?: string;
  readonly values?: readonly string[];
}
const facts = JSON.parse(
  readFileSync(path.join(__dirname, 'upstream', 'gates', 'mesos-maintenance.json'), 'utf8'),
) as { repository: string; tag: string; facts: Record<string, Fact> };
const values = (name: string): readonly string[] => {
  const v = facts.facts[name]?.values;
  if (v === undefined) throw new Error(`no fact ${name}`);
  return v;
};

const script = renderDrainScript({
  agent: 'a1',
  machine: { hostname: '10.0.1.1', ip: '10.0.1.1' },
  masters: [{ address: '10.0.0.1', port: 5050 }],
  auth: true,
  maxDown: 1,
  timeoutSeconds: 60,
  windowSeconds: 120,
});

describe('agent drain against Mesos 1.10.0', () => {
  test('the facts are from the pinned Mesos', () => {
    expect([facts.repository, facts.tag]).toEqual(['apache/mesos', '1.10.0']);
  });

  test('every request the script makes is an upstream route with its method', () => {
    const calls = [...script.matchAll(/leader_request (GET|POST) (\/[\w/]+)/g)].map((m) => `${m[1]} ${m[2]}`);
    expect([...new Set(calls)].sort()).toEqual([...values('routes')].sort());
  });

  test('the machine id is written as the master prints it: compact, hostname before ip, both present', () => {
    expect(facts.facts.scheduleOutput.value).toMatch(/^compact JSON, keys sorted/);
    expect(facts.facts.machineMatch.value).toMatch(/must both be present/);
    expect(script).toContain(`MACHINE='{"hostname":"10.0.1.1","ip":"10.0.1.1"}'`);
  });

  test("the up-step's tolerated refusals are upstream's two texts for a machine that is not down", () => {
    const tolerated = /grep -Eq '([^']+)'/.exec(script.slice(script.indexOf('up_any()')))?.[1].split('|');
    expect(tolerated?.sort()).toEqual(values('upErrors').map((e) => e.replace("Machine '<id>' ", '')));
  });

  describe('the double answers as upstream does', () => {
    let d: MesosMaintenanceDouble;
    beforeEach(async () => {
      d = await new MesosMaintenanceDouble().start();
    });
    afterEach(async () => d.stop());
    const post = async (p: string, body: unknown) => {
      const r = await fetch(`${d.url}${p}`, { method: 'POST', body: JSON.stringify(body) });
      return `${r.status} ${await r.text()}`;
    };
    const id = { hostname: 'h1', ip: '10.0.0.9' };
    const window = (ids: unknown[]) => ({ machine_ids: ids, unavailability: { start: { nanoseconds: 1 } } });
    const template = (t: string) => t.replace('<id>', JSON.stringify(id)).replace('<ip>', '10.0.0.256');
    /** The one upstream text of fact `name` that contains `part`, with its placeholders filled. */
    const text = (name: string, part: string): string => {
      const found = values(name).filter((v) => v.includes(part));
      if (found.length !== 1) throw new Error(`${name}: ${found.length} texts contain ${part}`);
      return template(found[0]);
    };

    test.each([
      ['an empty window', { windows: [window([])] }, 'is empty'],
      ['a machine twice', { windows: [window([id]), window([id])] }, 'more than once'],
      [
        'a negative duration',
        {
          windows: [
            { ...window([id]), unavailability: { start: { nanoseconds: 1 }, duration: { nanoseconds: -1 } } },
          ],
        },
        'negative',
      ],
      ['a machine without hostname or ip', { windows: [window([{}])] }, 'are empty'],
      ['a bad IPv4', { windows: [window([{ hostname: 'h1', ip: '10.0.0.256' }])] }, 'IPv4'],
    ])('schedule: %s is refused with upstream text', async (_what, body, part) => {
      expect(await post('/master/maintenance/schedule', body)).toBe(`400 ${text('scheduleErrors', part)}`);
    });

    test('down and up: the refusals and the round trip, with upstream texts', async () => {
      expect(await post('/master/machine/down', [])).toBe(`400 ${text('downErrors', 'List of machines')}`);
      expect(await post('/master/machine/down', [id])).toBe(`400 ${text('downErrors', 'not part')}`);
      expect(await post('/master/machine/up', [id])).toBe(`400 ${text('upErrors', 'not part')}`);
      expect(await post('/master/maintenance/schedule', { windows: [window([id])] })).toBe('200 ');
      expect(await post('/master/machine/up', [id])).toBe(`400 ${text('upErrors', 'DOWN mode')}`);
      expect(await post('/master/machine/down', [id])).toBe('200 ');
      expect(await post('/master/machine/down', [id])).toBe(`400 ${text('downErrors', 'DRAINING')}`);
      expect(await post('/master/maintenance/schedule', {})).toBe(
        `400 ${text('scheduleErrors', 'deactivated')}`,
      );
      expect(await post('/master/machine/up', [id])).toBe('200 ');
      expect(await (await fetch(`${d.url}/master/maintenance/schedule`)).text()).toBe('{}');
    });
  });
});
