import type { ProgramRun } from '../../../scripts/lib/program-runner';
import { byType, runStack } from '../harness';

// Seam: Zeppelin's directory login names `ldap-bind-password` only in its shiro.ini secret file (secrets left
// the Marathon definitions), so the deploy must supply what files name, not only what definitions name.
const BIND_PASSWORD = 'bind-pw-4f1c9a';

let ldap: ProgramRun;
beforeAll(async () => {
  ldap = await runStack(
    'staging',
    {
      'stars:appSettings': {
        zeppelin: {
          auth: 'ldap',
          ldapUrl: 'ldaps://ldap.example.org:636',
          ldapSearchBase: 'ou=people,dc=example,dc=org',
          ldapBindUser: 'cn=stars,dc=example,dc=org',
        },
      },
      'stars:ldapBindPassword': BIND_PASSWORD,
    },
    { secretOverrides: ['stars:ldapBindPassword'] },
  );
}, 120_000);

describe('a stack with Zeppelin auth ldap', () => {
  test('plans, and every agent writes the bind password into Zeppelin shiro.ini only', () => {
    const writers = byType(ldap, 'docker:index/container:Container').filter((c) =>
      c.name.startsWith('apps-secret-files-'),
    );
    expect(writers.map((w) => w.name).sort()).toEqual([
      'apps-secret-files-a1',
      'apps-secret-files-a2',
      'apps-secret-files-a3',
    ]);
    for (const w of writers) {
      const uploads = w.revealed.uploads as { file: string; content: string }[];
      expect(uploads.filter((u) => u.content.includes(BIND_PASSWORD)).map((u) => u.file)).toEqual([
        '/run/stars-app-secrets/zeppelin/shiro.ini',
      ]);
    }
  });
});
