/**
 * Who may do what on the Mesos master, decided the way the 1.10.0 local authorizer decides (first rule whose
 * subject and object match wins, none falls to `permissive`, no principal is subject ANY: facts aclMatching
 * and httpEndpointActions in tests/contract/upstream/mesos/1.10.0.json) over the ACLs the program renders.
 * Every principal of the credential list logs in over HTTP too (httpLoginsAreFrameworkCredentials), so each
 * row is also what that login may do on port 5050.
 */
import { renderMesosAcls } from '../../../components/platform/render-mesos';
import { facts } from '../support/upstream-facts';

type Entity = { type?: 'ANY' | 'NONE' | 'SOME'; values?: string[] };
type Rule = Record<string, Entity>;
const MESOS = facts('mesos', '1.10.0').facts;
const FIELDS = MESOS.aclFieldsByAction.value as Record<string, string[]>;

/** authorizer.cpp matches(): does the request entity fall under the rule's? */
function matches(request: Entity, acl: Entity): boolean {
  const type = acl.type ?? 'SOME';
  if (request.type === 'ANY') return type !== 'SOME';
  if (type !== 'SOME') return true;
  return (request.values ?? []).every((v) => (acl.values ?? []).includes(v));
}

/** authorizer.cpp allows(): does the matching rule grant the request entity? */
function allows(request: Entity, acl: Entity): boolean {
  const type = acl.type ?? 'SOME';
  if (type === 'NONE') return false;
  if (type === 'ANY') return true;
  return request.type !== 'ANY' && (request.values ?? []).every((v) => (acl.values ?? []).includes(v));
}

function authorized(action: string, principal: string | undefined, object: Entity): boolean {
  const acls = JSON.parse(renderMesosAcls()) as Record<string, unknown>;
  const objectField = FIELDS[action].find((f) => f !== 'principals') ?? '';
  const subject: Entity = principal === undefined ? { type: 'ANY' } : { values: [principal] };
  for (const rule of (acls[action] as Rule[] | undefined) ?? []) {
    if (matches(subject, rule.principals) && matches(object, rule[objectField]))
      return allows(subject, rule.principals) && allows(object, rule[objectField]);
  }
  return acls.permissive as boolean;
}

// Implicit objects (machines, agents, flags) are ANY to the authorizer; users and roles are the request's.
const ANY: Entity = { type: 'ANY' };
const user = (u: string): Entity => ({ values: [u] });
const OPERATOR_ONLY = [
  'teardown_frameworks',
  'update_maintenance_schedules',
  'start_maintenances',
  'stop_maintenances',
  'get_maintenance_schedules',
  'view_executors',
  'view_flags',
  'drain_agents',
  'mark_agents_gone',
];

describe('the Mesos master authorizes exactly what each principal needs', () => {
  test.each([
    // The framework secret is readable inside Spark, Livy and Zeppelin: it registers Spark and nothing more.
    ['frameworks', 'register_frameworks', { values: ['*'] }, true],
    ['frameworks', 'run_tasks', user('spark'), true],
    ['frameworks', 'view_frameworks', user('root'), false],
    ['frameworks', 'view_tasks', user('root'), false],
    ...OPERATOR_ONLY.map((a) => ['frameworks', a, ANY, false] as const),
    ['marathon', 'register_frameworks', { values: ['*'] }, true],
    ['marathon', 'teardown_frameworks', ANY, false],
    ['chronos', 'run_tasks', user('root'), true],
    ['chronos', 'start_maintenances', ANY, false],
    // Its login is served by its own /v1/config: it reads frameworks and tasks for the records, no executor.
    ['mesos-dns', 'view_frameworks', user('root'), true],
    ['mesos-dns', 'view_tasks', user('root'), true],
    ['mesos-dns', 'register_frameworks', { values: ['*'] }, false],
    ...OPERATOR_ONLY.map((a) => ['mesos-dns', a, ANY, false] as const),
    ['agent', 'register_agents', ANY, true],
    ['agent', 'register_frameworks', { values: ['*'] }, false],
    ['agent', 'view_tasks', user('root'), false],
    ...OPERATOR_ONLY.map((a) => ['stars', a, ANY, true] as const),
    ['stars', 'view_tasks', user('root'), true],
    ['stars', 'register_frameworks', { values: ['*'] }, false],
    [undefined, 'view_frameworks', user('root'), false],
    [undefined, 'teardown_frameworks', ANY, false],
    [undefined, 'register_frameworks', { values: ['*'] }, false],
  ] as const)('%s: %s %j -> %p', (principal, action, object, expected) => {
    expect(authorized(action, principal, object as Entity)).toBe(expected);
  });

  test('every action the master guards is decided by a rule or by permissive: false, never by default', () => {
    expect((JSON.parse(renderMesosAcls()) as { permissive: boolean }).permissive).toBe(false);
    expect(MESOS.aclMatching.value).toContain('no match falls to permissive');
  });
});
