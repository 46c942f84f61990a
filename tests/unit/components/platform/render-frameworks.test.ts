import {
  chronosArgs,
  httpCredentialsEnv,
  marathonArgs,
} from '../../../../components/platform/render-frameworks';
import { specWith } from './fixtures';

const spec = specWith(3);
const m2 = spec.hosts.find((h) => h.name === 'm2');
if (m2 === undefined) throw new Error('fixture has no m2');
const MASTER = 'zk://10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181/mesos';

describe('marathonArgs', () => {
  test.each([
    [false, []],
    [
      true,
      [
        '--mesos_authentication',
        '--mesos_authentication_principal',
        'marathon',
        '--mesos_authentication_secret_file',
        '/etc/marathon/mesos-secret',
      ],
    ],
  ])(
    'auth %p: HA flags against the ensemble (with auth the state URL comes from MARATHON_ZK) plus the Mesos authentication flags',
    (auth, authFlags) => {
      expect(
        marathonArgs({
          host: m2,
          masterUrl: MASTER,
          stateUrl: 'zk://10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181/marathon',
          authEnabled: auth,
        }),
      ).toEqual([
        '--master',
        MASTER,
        ...(auth ? [] : ['--zk', 'zk://10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181/marathon']),
        '--hostname',
        '10.0.0.2',
        '--http_port',
        '8080',
        '--framework_name',
        'marathon',
        ...authFlags,
      ]);
    },
  );
});

describe('chronosArgs', () => {
  test.each([
    [false, []],
    [
      true,
      [
        '--mesos_authentication_principal',
        'chronos',
        '--mesos_authentication_secret_file',
        '/etc/chronos/mesos-secret',
      ],
    ],
  ])('auth %p: --zk_hosts is a plain host list (no zk://) and --zk_path is /chronos', (auth, authFlags) => {
    expect(
      chronosArgs({
        host: m2,
        masterUrl: MASTER,
        zkHosts: '10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181',
        authEnabled: auth,
      }),
    ).toEqual([
      '--master',
      MASTER,
      '--zk_hosts',
      '10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181',
      '--zk_path',
      '/chronos',
      '--hostname',
      '10.0.0.2',
      '--mesos_framework_name',
      'chronos',
      ...authFlags,
    ]);
  });
});

test('HTTP credentials are user:placeholder, never a real password', () => {
  expect(httpCredentialsEnv('marathon')).toBe('stars:{{secret:marathon-http}}');
  expect(httpCredentialsEnv('chronos')).toBe('stars:{{secret:chronos-http}}');
});
