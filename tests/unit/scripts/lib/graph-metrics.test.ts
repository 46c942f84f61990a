import { criticalPath } from '../../../../scripts/lib/graph-metrics';
import type { RecordedResource } from '../../../../scripts/lib/program-runner';

const r = (
  name: string,
  custom: boolean,
  dependencies: string[] = [],
  parent?: string,
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

  test('parallel agents do not lengthen the path', () => {
    const agents = Array.from({ length: 50 }, (_, i) => r(`agent${i}`, true, ['master']));
    expect(criticalPath([r('master', true), ...agents])).toHaveLength(2);
  });

  test('a cycle is reported', () => {
    expect(() => criticalPath([r('a', true, ['b']), r('b', true, ['a'])])).toThrow(
      'dependency cycle through',
    );
  });
});
