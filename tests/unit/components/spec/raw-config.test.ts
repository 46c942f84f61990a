import { rawConfigFromEngine } from '../../../../components/spec/raw-config';

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
});
