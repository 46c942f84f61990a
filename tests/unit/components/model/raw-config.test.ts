import { rawConfigFromEngine } from '../../../../components/model/raw-config';
import { parseClusterSpec } from '../../../../components/model/parse-cluster-spec';

describe('rawConfigFromEngine', () => {
  test('keeps only stars: keys, strips the namespace, blanks secret values and lists secret keys', () => {
    const result = rawConfigFromEngine({
      values: {
        'stars:mode': 'onprem',
        'aws:region': 'eu-west-1',
        'stars:sshPrivateKey': '-----BEGIN KEY-----',
        'stars:zeppelinUsers': '',
      },
      secretKeys: ['stars:sshPrivateKey'],
    });
    expect(result).toEqual({ raw: { mode: 'onprem', sshPrivateKey: '' }, secretKeys: ['sshPrivateKey'] });
  });

  test('a secret key set in plain text is passed on (blanked) without the secret flag so the parser can refuse it', () => {
    const result = rawConfigFromEngine({ values: { 'stars:ldapBindPassword': 'hunter2' }, secretKeys: [] });
    expect(result).toEqual({ raw: { ldapBindPassword: '' }, secretKeys: [] });
  });

  test.each([
    ['stars:imageRegistry', '', {}],
    [
      'stars:imageRegistry',
      'registry.example.org:5000/stars',
      { imageRegistry: 'registry.example.org:5000/stars' },
    ],
    ['stars:ldapBindPassword', '', {}],
    // A key with a real default keeps "", so the parser refuses it by name.
    ['stars:clusterName', '', { clusterName: '' }],
  ])('the declared default "" of an optional key is unset: %s = %j gives %j', (key, value, raw) => {
    expect(rawConfigFromEngine({ values: { [key]: value }, secretKeys: [] }).raw).toEqual(raw);
  });
});

describe('misspelt namespaces are kept, so the parser refuses them instead of planning the defaults', () => {
  test.each([
    ['star:mode', true],
    ['Stars:mode', true],
    ['stras:mode', true],
    ['aws:region', false],
    ['docker:host', false],
    ['pulumi:disable-default-providers', false],
  ])('%s kept: %p', (key, kept) => {
    const { raw } = rawConfigFromEngine({ values: { [key]: 'x' }, secretKeys: [] });
    expect(Object.keys(raw)).toEqual(kept ? [key] : []);
  });

  test('parseClusterSpec names the key and the fix', () => {
    const { raw } = rawConfigFromEngine({ values: { 'star:mode': 'onprem' }, secretKeys: [] });
    expect(() => parseClusterSpec(raw, { stack: 's' })).toThrow(
      'star:mode: is in namespace "star", which the program never reads; write stars:mode',
    );
  });
});
