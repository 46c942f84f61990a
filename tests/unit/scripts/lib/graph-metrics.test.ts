import { criticalPath, predecessors } from '../../../../scripts/lib/graph-metrics';
import type { RecordedResource } from '../../../../scripts/lib/program-runner';

const r = (
  name: string,
  custom: boolean,
  dependencies: string[] = [],
  parent?: string,
  provider?: string,
): RecordedResource => ({
  urn: name,
  type: custom ? 't:x:R' : 'stars:x:C',
  name,
  custom,
  dependencies,
  deleteBeforeReplace: false,
  inputs: {},
  revealed: {},
  ...(parent === undefined ? {} : { parent }),
  ...(provider === undefined ? {} : { provider }),
});

describe('predecessors', () => {
  test('a dependency on a component stands for every custom resource inside it, nested ones too', () => {
    const graph = predecessors([
      r('platform', false),
      r('zk', false, [], 'platform'),
      r('zk1', true, [], 'zk'),
      r('img', true, [], 'platform'),
      r('app', true, ['platform']),
    ]);
    expect(graph.get('app')).toEqual(['img', 'zk1']);
    expect(graph.has('platform')).toBe(false);
  });

  test('the provider and a custom parent are waited for; a component parent is not', () => {
    const graph = predecessors([
      r('bootstrap', true),
      r('docker', true, ['bootstrap']),
      r('host', false),
      r('container', true, [], 'host', 'docker'),
      r('child', true, [], 'container'),
    ]);
    expect(graph.get('container')).toEqual(['docker']);
    expect(graph.get('child')).toEqual(['container']);
  });

  test('unknown URNs (the stack, default providers) add no edge', () => {
    expect(predecessors([r('a', true, ['urn:stack'], 'urn:stack', 'urn:default-provider')]).get('a')).toEqual(
      [],
    );
  });
});

describe('criticalPath', () => {
  test('follows the longest dependency chain', () => {
    expect(
      criticalPath([r('a', true), r('b', true, ['a']), r('c', true, ['b']), r('d', true, ['a'])]),
    ).toEqual(['a', 'b', 'c']);
  });

  test('a dependency on a component waits for every custom resource inside it', () => {
    const resources = [
      r('zk', false),
      r('zk1', true, [], 'zk'),
      r('zk2', true, ['zk1'], 'zk'),
      r('master', true, ['zk']),
    ];
    expect(criticalPath(resources)).toEqual(['zk1', 'zk2', 'master']);
  });

  test('provider configuration is a step on the path', () => {
    const resources = [
      r('bootstrap', true),
      r('docker', true, ['bootstrap']),
      r('image', true, ['bootstrap'], undefined, 'docker'),
      r('container', true, ['image'], undefined, 'docker'),
    ];
    expect(criticalPath(resources)).toEqual(['bootstrap', 'docker', 'image', 'container']);
  });

  test('parallel agents do not lengthen the path', () => {
    const agents = Array.from({ length: 50 }, (_, i) => r(`agent${i}`, true, ['master']));
    expect(criticalPath([r('master', true), ...agents])).toHaveLength(2);
  });

  test('agents that wait for each other do', () => {
    const agents = Array.from({ length: 5 }, (_, i) =>
      r(`agent${i}`, true, i === 0 ? [] : [`agent${i - 1}`]),
    );
    expect(criticalPath(agents)).toHaveLength(5);
  });

  test('a cycle is reported', () => {
    expect(() => criticalPath([r('a', true, ['b']), r('b', true, ['a'])])).toThrow(
      'dependency cycle through',
    );
  });
});
