import { hostOutput } from '../../../../components/hosts/hosts';
import type { HostSpec } from '../../../../components/model/types';

const host: HostSpec = {
  name: 'a1',
  address: '10.42.0.21',
  roles: ['agent'],
  ssh: { user: 'admin', port: 2222, privateKey: 'agent', dialTimeoutSeconds: 30 },
  attributes: {},
};

describe('hostOutput: one host as the stack exports it for the stars CLI and other projects', () => {
  test.each([
    ['a public address is exported as given', '203.0.113.7', '203.0.113.7'],
    ['an instance without a public IP is reached on its private address', '', '10.42.0.21'],
  ])('%s', (_claim, publicAddress, expected) => {
    expect(hostOutput(host, publicAddress)).toEqual({
      name: 'a1',
      roles: ['agent'],
      address: '10.42.0.21',
      publicAddress: expected,
      sshUser: 'admin',
      sshPort: 2222,
    });
  });

  test('a jump host is exported in the user@host:port form ssh -J takes', () => {
    const jumped = { ...host, ssh: { ...host.ssh, jumpHost: { host: 'bastion', user: 'ops', port: 22 } } };
    expect(hostOutput(jumped, '').sshJumpHost).toBe('ops@bastion:22');
  });
});
