import { isCidr, isDnsLabel, isIPv4, suggest } from '../../../../components/model/read-values';

describe('value checks', () => {
  test.each([
    ['10.0.0.1', true],
    ['255.255.255.255', true],
    ['10.0.0.300', false],
    ['10.0.0', false],
    ['01.0.0.1', false],
    ['a.b.c.d', false],
  ])('isIPv4(%s) is %s', (v, ok) => expect(isIPv4(v)).toBe(ok));

  test.each([
    ['10.0.0.0/8', true],
    ['0.0.0.0/0', true],
    ['10.0.0.0/33', false],
    ['10.0.0.0', false],
    ['10.0.0.0/8/1', false],
  ])('isCidr(%s) is %s', (v, ok) => expect(isCidr(v)).toBe(ok));

  test.each([
    ['m1', true],
    ['master-10', true],
    ['-m1', false],
    ['M1', false],
    ['a'.repeat(64), false],
  ])('isDnsLabel(%s) is %s', (v, ok) => expect(isDnsLabel(v)).toBe(ok));

  test.each([
    ['zepelin', ['spark', 'zeppelin'], ' (did you mean "zeppelin"?)'],
    ['prod', ['dev', 'staging', 'production'], ' (did you mean "production"?)'],
    ['kubernetes', ['onprem', 'aws', 'local'], ''],
  ])('suggest(%s) offers the near miss or nothing', (word, candidates, expected) => {
    expect(suggest(word, candidates)).toBe(expected);
  });
});
