import { REDACTED, type ProgramRun, type RecordedResource } from '../../../../scripts/lib/program-runner';
import { planHosts } from '../../../../components/hosts/plan-hosts';
import { stackSpec } from '../../../unit/components/hosts/stack-spec';
import { byType, find, runStack } from '../../harness';

jest.setTimeout(120_000);

const HOSTS = ['a1', 'a2', 'a3', 'm1', 'm2', 'm3'];
const ADDRESS: Record<string, string> = {
  m1: '10.20.1.11',
  m2: '10.20.1.12',
  m3: '10.20.1.13',
  a1: '10.20.2.21',
  a2: '10.20.2.22',
  a3: '10.20.2.23',
};

describe('staging: on-premises hosts over SSH', () => {
  let run: ProgramRun;
  const plan = planHosts(stackSpec('staging'));
  beforeAll(async () => {
    run = await runStack('staging');
  });

  test('one OnPremHost component per host, children of the Hosts component', () => {
    const hosts = find(run, 'stars:hosts:Hosts', 'hosts');
    expect(byType(run, 'stars:hosts:OnPremHost').map((r) => [r.name, r.parent])).toEqual(
      HOSTS.map((h) => [`hosts-${h}`, hosts.urn]),
    );
  });

  describe.each(HOSTS)('host %s', (host) => {
    const hostPlan = plan.hosts.find((h) => h.name === host)!;
    const component = (): RecordedResource => find(run, 'stars:hosts:OnPremHost', `hosts-${host}`);

    test.each(hostPlan.scripts.map((s) => [s.file.replace('.sh', ''), s] as const))(
      'step %s: CopyToRemote of the exact script and a Command that runs it, both under the host, both triggered by the content hash',
      (step, script) => {
        const copy = find(run, 'command:remote:CopyToRemote', `hosts-${host}-copy-${step}`);
        const cmd = find(run, 'command:remote:Command', `hosts-${host}-bootstrap-${step}`);
        expect(copy.parent).toBe(component().urn);
        expect(cmd.parent).toBe(component().urn);
        expect(copy.inputs.source).toEqual({ text: script.content });
        expect(copy.inputs.remotePath).toBe(`/tmp/stars-bootstrap-${step}.sh`);
        expect(copy.inputs.triggers).toEqual([script.sha256]);
        expect(cmd.inputs.triggers).toEqual([script.sha256]);
        expect(cmd.inputs.create).toBe(
          `sudo install -D -m 0755 -o root -g root '/tmp/stars-bootstrap-${step}.sh' '/usr/local/lib/stars/bootstrap/${step}.sh'` +
            ` && echo '${script.sha256}  /usr/local/lib/stars/bootstrap/${step}.sh' | sha256sum -c --quiet -` +
            ` && sudo bash '/usr/local/lib/stars/bootstrap/${step}.sh'`,
        );
        expect(cmd.dependencies).toContain(copy.urn);
        // @pulumi/command marks the whole connection secret (it may carry a key); its content is still exact.
        expect(cmd.inputs.connection).toBe(REDACTED);
        expect(copy.inputs.connection).toBe(REDACTED);
        expect(copy.revealed.connection).toEqual(cmd.revealed.connection);
        expect(cmd.revealed.connection).toEqual({
          host: ADDRESS[host],
          port: 22,
          user: 'stars',
          perDialTimeout: 30,
          dialErrorLimit: 10,
        });
      },
    );

    test('steps run in order: each copy and command waits for the previous command', () => {
      const steps = hostPlan.scripts.map((s) => s.file.replace('.sh', ''));
      for (let i = 1; i < steps.length; i++) {
        const prev = find(run, 'command:remote:Command', `hosts-${host}-bootstrap-${steps[i - 1]}`);
        expect(
          find(run, 'command:remote:Command', `hosts-${host}-bootstrap-${steps[i]}`).dependencies,
        ).toContain(prev.urn);
        expect(
          find(run, 'command:remote:CopyToRemote', `hosts-${host}-copy-${steps[i]}`).dependencies,
        ).toContain(prev.urn);
      }
    });

    test('the Docker provider reaches the engine over SSH and depends on the last bootstrap step', () => {
      const provider = find(run, 'pulumi:providers:docker', `hosts-${host}-docker`);
      expect(provider.parent).toBe(component().urn);
      expect(provider.inputs.host).toBe(`ssh://stars@${ADDRESS[host]}:22`);
      expect(JSON.parse(provider.inputs.sshOpts as string)).toEqual([
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=accept-new',
        '-o',
        'ConnectTimeout=30',
      ]);
      expect(provider.dependencies).toEqual([
        find(run, 'command:remote:Command', `hosts-${host}-bootstrap-30-docker`).urn,
      ]);
    });
  });

  test('a pinned host key and a jump host reach the SSH connection and the Docker provider', async () => {
    const hosts = [
      {
        name: 'm1',
        address: '10.20.1.11',
        roles: ['master'],
        ssh: { hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyM1' },
      },
      { name: 'm2', address: '10.20.1.12', roles: ['master'] },
      { name: 'm3', address: '10.20.1.13', roles: ['master'] },
      { name: 'a1', address: '10.20.2.21', roles: ['agent'] },
    ];
    const r = await runStack('staging', {
      'stars:hosts': hosts,
      'stars:sshJumpHost': 'ops@bastion.example.org:2222',
    });
    const cmd = find(r, 'command:remote:Command', 'hosts-m1-bootstrap-10-preflight');
    expect(cmd.revealed.connection).toEqual({
      host: '10.20.1.11',
      port: 22,
      user: 'stars',
      perDialTimeout: 30,
      dialErrorLimit: 10,
      hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyM1',
      proxy: { host: 'bastion.example.org', port: 2222, user: 'ops', perDialTimeout: 30, dialErrorLimit: 10 },
    });
    expect(
      find(r, 'command:remote:Command', 'hosts-m2-bootstrap-10-preflight').revealed.connection,
    ).not.toHaveProperty('hostKey');
    expect(
      JSON.parse(find(r, 'pulumi:providers:docker', 'hosts-m1-docker').inputs.sshOpts as string),
    ).toEqual([
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=accept-new',
      '-o',
      'ConnectTimeout=30',
      '-J',
      'ops@bastion.example.org:2222',
    ]);
  });
});
