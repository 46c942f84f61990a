import fc from 'fast-check';
import { IssueList } from '../../../../components/model/issues';
import { assignZookeeperIds } from '../../../../components/model/parse-hosts';
import type { HostSpec } from '../../../../components/model/types';

const SSH: HostSpec['ssh'] = { user: 'stars', port: 22, privateKey: 'agent', dialTimeoutSeconds: 10 };
const host = (name: string, roles: HostSpec['roles'], zookeeperId?: number): HostSpec => ({
  name,
  address: '10.0.0.1',
  roles,
  ssh: SSH,
  attributes: {},
  ...(zookeeperId === undefined ? {} : { zookeeperId }),
});

/** Hosts with unique names; masters may carry an explicit id, unique among them. */
const hostsArb = fc
  .uniqueArray(
    fc.record({
      name: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
      master: fc.boolean(),
      agent: fc.boolean(),
      id: fc.option(fc.integer({ min: 1, max: 255 }), { nil: undefined }),
    }),
    { selector: (h) => h.name, maxLength: 12 },
  )
  .map((rows) => {
    const seen = new Set<number>();
    return rows.map((r): HostSpec => {
      const explicit = r.master && r.id !== undefined && !seen.has(r.id) ? r.id : undefined;
      if (explicit !== undefined) seen.add(explicit);
      const roles: HostSpec['roles'] = r.master ? (r.agent ? ['master', 'agent'] : ['master']) : ['agent'];
      return host(r.name, roles, explicit);
    });
  });

describe('assignZookeeperIds, for any hosts', () => {
  test('every master ends with a unique id, explicit ids are kept, and agents get none', () => {
    fc.assert(
      fc.property(hostsArb, (hosts) => {
        const issues = new IssueList();
        const out = assignZookeeperIds(issues, hosts);
        const masters = out.filter((h) => h.roles.includes('master'));
        const ids = masters.map((h) => h.zookeeperId);
        expect(issues.all()).toEqual([]);
        expect(ids.every((id) => Number.isInteger(id) && (id ?? 0) >= 1)).toBe(true);
        expect(new Set(ids).size).toBe(ids.length);
        for (const h of hosts)
          if (h.zookeeperId !== undefined)
            expect(out.find((o) => o.name === h.name)?.zookeeperId).toBe(h.zookeeperId);
        expect(out.filter((h) => !h.roles.includes('master')).every((h) => h.zookeeperId === undefined)).toBe(
          true,
        );
      }),
    );
  });

  test('the ids it hands out are the lowest free ones, in host-name order', () => {
    fc.assert(
      fc.property(hostsArb, (hosts) => {
        const explicit = new Set(hosts.flatMap((h) => (h.zookeeperId === undefined ? [] : [h.zookeeperId])));
        const fresh = assignZookeeperIds(new IssueList(), hosts)
          .filter((h) => h.roles.includes('master') && !explicit.has(h.zookeeperId ?? 0))
          .map((h) => h.zookeeperId);
        const lowest: number[] = [];
        for (let id = 1; lowest.length < fresh.length; id++) if (!explicit.has(id)) lowest.push(id);
        expect(fresh).toEqual(lowest);
      }),
    );
  });

  test('two masters with one id are refused, naming both', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 255 }), (id) => {
        const issues = new IssueList();
        const master = (name: string): HostSpec => host(name, ['master'], id);
        assignZookeeperIds(issues, [master('m1'), master('m2')]);
        expect(issues.all().map((i) => i.message)).toEqual([
          `m2 and m1 both have zookeeperId ${id}; ids must be unique`,
        ]);
      }),
    );
  });
});
