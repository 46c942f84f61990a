import * as pulumi from '@pulumi/pulumi';
import { usersIniFromConfig } from '../../../../components/apps/apps';
import { substitute, type DeployContext } from '../../../../components/apps/catalog-apps';

const context = (secrets: Record<string, string>, values: Record<string, string> = {}): DeployContext => ({
  marathonUrls: ['http://m:8080'],
  chronosUrls: ['http://m:4400'],
  secrets,
  values,
  ready: [],
  schedulersReady: [],
  deployed: new Map(),
});

const resolve = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((r) => o.apply((v) => r(v)));

describe('substitute (placeholders become values only inside resource inputs)', () => {
  test('fills secrets and values, escaping for JSON, and marks the result secret', async () => {
    const def = { env: { PW: '{{secret:jupyter-password}}', USER: '{{value:marathon-username}}' } };
    const out = substitute(
      def,
      'app /x',
      context({ 'jupyter-password': 'a"b\\c' }, { 'marathon-username': 'ops' }),
    );
    expect(await pulumi.isSecret(out)).toBe(true);
    expect(await resolve(out)).toEqual({ env: { PW: 'a"b\\c', USER: 'ops' } });
  });

  test('a definition without secret placeholders stays a plain input', async () => {
    const out = substitute({ id: '/b' }, 'app /b', context({}));
    expect(await pulumi.isSecret(out)).toBe(false);
  });

  test('a missing secret fails at once, naming it and how to provide it', () => {
    expect(() =>
      substitute({ p: '{{secret:ldap-bind-password}}' }, 'Marathon app /zeppelin', context({})),
    ).toThrow(
      'Marathon app /zeppelin needs the secret "ldap-bind-password", which is not available: set it with `pulumi config set --secret stars:ldapBindPassword <password>`',
    );
  });
});

describe('usersIniFromConfig', () => {
  test('turns user:password pairs into shiro [users] lines, with the admin role only for the named admins', () => {
    expect(usersIniFromConfig('alice:pw1, bob:p:w2', ['bob'])).toBe('alice = pw1\nbob = p:w2, admin');
    expect(usersIniFromConfig('alice:pw1, bob:p:w2', [])).toBe('alice = pw1\nbob = p:w2');
  });

  test.each(['alice', ':pw', 'alice:', ' , '])('rejects %j with the expected format', (bad) => {
    expect(() => usersIniFromConfig(bad, [])).toThrow(
      'stars:zeppelinUsers must be user:password pairs separated by commas',
    );
  });

  test.each([
    [
      'a user name with a space or a bracket',
      'al ice:pw',
      'stars:zeppelinUsers: "al ice" is not a user name; use letters, digits, "_", "." and "-" (1-64)',
    ],
    [
      'a section header smuggled in as a user',
      '[main]\nx:pw',
      'stars:zeppelinUsers: "[main]\\nx" is not a user name; use letters, digits, "_", "." and "-" (1-64)',
    ],
    [
      'a password that would add a line to shiro.ini',
      'alice:pw\n[main]',
      'stars:zeppelinUsers: the password of alice must be printable ASCII without spaces (it goes into shiro.ini)',
    ],
    [
      'a password with a space (shiro would read a role)',
      'alice:p w',
      'stars:zeppelinUsers: the password of alice must be printable ASCII without spaces (it goes into shiro.ini)',
    ],
  ])('refuses %s before it reaches shiro.ini', (_what, bad, message) => {
    expect(() => usersIniFromConfig(bad, [])).toThrow(message);
  });
});
