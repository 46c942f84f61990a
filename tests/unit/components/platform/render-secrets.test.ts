import {
  fillPlaceholders,
  hasPlaceholders,
  placeholdersIn,
  secretPlaceholder,
} from '../../../../components/platform/render-secrets';

describe('secret placeholders', () => {
  test('placeholdersIn lists each referenced secret once, sorted', () => {
    const t = `a=${secretPlaceholder('mesos-agent')} b=${secretPlaceholder('chronos-http')} c=${secretPlaceholder('mesos-agent')}`;
    expect(placeholdersIn(t)).toEqual(['chronos-http', 'mesos-agent']);
    expect(hasPlaceholders(t)).toBe(true);
    expect(hasPlaceholders('plain text')).toBe(false);
  });

  test('fillPlaceholders replaces every occurrence', () => {
    expect(
      fillPlaceholders('u:{{secret:marathon-http}}/{{secret:marathon-http}}', { 'marathon-http': 'pw' }),
    ).toBe('u:pw/pw');
  });

  test('a missing value is an error, not an empty secret', () => {
    expect(() => fillPlaceholders('{{secret:mesos-agent}}', {})).toThrow(
      'no value for secret placeholder {{secret:mesos-agent}}',
    );
  });

  test('an unknown placeholder name is rejected', () => {
    expect(() => placeholdersIn('{{secret:nope}}')).toThrow('unknown secret placeholder {{secret:nope}}');
  });
});
