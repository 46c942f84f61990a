import {
  fillPlaceholders,
  placeholdersIn,
  secretRef,
  valueRef,
} from '../../../../components/plan/placeholders';

describe('placeholders (one mechanism for the platform and the apps)', () => {
  const text = `${secretRef('b-pw')} ${valueRef('user')} ${secretRef('a-pw')} ${secretRef('b-pw')}`;

  test.each([
    ['secret', ['a-pw', 'b-pw']],
    ['value', ['user']],
  ] as const)('placeholdersIn lists the %s names once, sorted', (kind, names) => {
    expect(placeholdersIn(text, kind)).toEqual(names);
  });

  test('a document is scanned as its JSON', () => {
    expect(placeholdersIn({ env: { PW: secretRef('x') } }, 'secret')).toEqual(['x']);
  });

  test('fillPlaceholders fills both kinds, every occurrence, through the encoder', () => {
    expect(
      fillPlaceholders(text, { secret: { 'a-pw': 'A', 'b-pw': 'B"' }, value: { user: 'u' } }, (v) =>
        v.replace(/"/g, '\\"'),
      ),
    ).toBe('B\\" u A B\\"');
  });

  test.each([
    ['secret', { value: { user: 'u' } }, 'no value for secret placeholder {{secret:b-pw}}'],
    ['value', { secret: { 'a-pw': 'A', 'b-pw': 'B' } }, 'no value for value placeholder {{value:user}}'],
  ] as const)('a missing %s is an error, not an empty string', (_kind, values, message) => {
    expect(() => fillPlaceholders(text, values)).toThrow(message);
  });
});
