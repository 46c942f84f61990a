import { OpsError } from '../../../../scripts/lib/cli-args';
import { orderJobs, planKind } from '../../../../scripts/lib/restore-plan';

const byName = (d: Record<string, unknown>): string => String(d.name);
const lower = (d: Record<string, unknown>): Record<string, unknown> => ({
  ...d,
  cmd: String(d.cmd ?? '').trim(),
});

describe('planKind', () => {
  test('sorts backup definitions into create, update and unchanged, and lists live extras', () => {
    const desired = [
      { name: 'a', cmd: 'x' },
      { name: 'b', cmd: 'y' },
      { name: 'c', cmd: 'z' },
    ];
    const actual = [
      { name: 'b', cmd: 'y  ' },
      { name: 'c', cmd: 'changed' },
      { name: 'z', cmd: 'extra' },
    ];
    expect(planKind(desired, actual, byName, lower)).toEqual({
      create: [{ name: 'a', cmd: 'x' }],
      update: [{ name: 'c', cmd: 'z' }],
      unchanged: ['b'],
      extra: ['z'],
    });
  });
});

describe('orderJobs', () => {
  const job = (name: string, parents?: string[]) => ({ name, command: 'x', ...(parents ? { parents } : {}) });

  test('puts every parent before its dependants, otherwise by name', () => {
    const jobs = [job('report', ['transform']), job('transform', ['extract']), job('extract'), job('audit')];
    expect(orderJobs(jobs, new Set()).map(byName)).toEqual(['audit', 'extract', 'transform', 'report']);
  });

  test('a parent that already exists on Chronos need not be in the backup', () => {
    expect(orderJobs([job('report', ['live-parent'])], new Set(['live-parent'])).map(byName)).toEqual([
      'report',
    ]);
  });

  test('a parent found nowhere is refused before anything is applied', () => {
    expect(() => orderJobs([job('report', ['gone'])], new Set())).toThrow(
      new OpsError('Chronos job report depends on gone, which is neither in the backup nor on Chronos'),
    );
  });

  test('a dependency cycle is refused', () => {
    expect(() => orderJobs([job('a', ['b']), job('b', ['a'])], new Set())).toThrow(
      new OpsError('Chronos jobs depend on each other in a cycle: a, b'),
    );
  });
});
