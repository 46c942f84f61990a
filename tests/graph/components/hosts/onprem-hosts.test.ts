import { FIREWALL_REMOVE_COMMAND, renderFirewallCommand } from '../../../../components/hosts/render-firewall';
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

    test('one Command under the host streams the planned bundle on stdin and runs it, triggered by its hash', () => {
      const bundle = hostPlan.bundle!;
      const cmd = find(run, 'command:remote:Command', `hosts-${host}-bootstrap`);
      expect(cmd.parent).toBe(component().urn);
      expect(cmd.inputs.stdin).toBe(bundle.content);
      expect(cmd.inputs.triggers).toEqual([bundle.sha256]);
      expect(cmd.inputs.create).toBe(
        `f="$(mktemp)" && trap 'rm -f "$f"' EXIT && cat >"$f"` +
          ` && printf '%s  %s\\n' '${bundle.sha256}' "$f" | sha256sum -c --quiet - && sudo bash "$f"`,
      );
      expect(cmd.dependencies).toEqual([]);
      // @pulumi/command marks the whole connection secret (it may carry a key); its content is still exact.
      expect(cmd.inputs.connection).toBe(REDACTED);
      expect(cmd.revealed.connection).toEqual({
        host: ADDRESS[host],
        port: 22,
        user: 'stars',
        perDialTimeout: 30,
        dialErrorLimit: 10,
      });
    });

    test('the bundle installs and runs every planned step, in order', () => {
      const content = hostPlan.bundle!.content;
      const positions = hostPlan.scripts.map((s) => content.indexOf(`run_step '${s.installPath}'`));
      expect(positions.every((p) => p > 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      for (const s of hostPlan.scripts) expect(content).toContain(`${s.content}STARS_BOOTSTRAP_STEP_EOF\n`);
    });

    test('no copy step and nothing staged in /tmp', () => {
      expect(
        run.resources.filter(
          (r) => r.type === 'command:remote:CopyToRemote' && r.name.startsWith(`hosts-${host}-`),
        ),
      ).toEqual([]);
    });

    test('the firewall runs after the bootstrap, then a second session confirms it; its delete removes the table', () => {
      const fw = hostPlan.firewall!;
      const apply = find(run, 'command:remote:Command', `hosts-${host}-firewall`);
      const confirm = find(run, 'command:remote:Command', `hosts-${host}-firewall-confirm`);
      expect([apply.parent, confirm.parent]).toEqual([component().urn, component().urn]);
      expect(apply.dependencies).toEqual([
        find(run, 'command:remote:Command', `hosts-${host}-bootstrap`).urn,
      ]);
      expect(confirm.dependencies).toEqual([apply.urn]);
      for (const [cmd, mode] of [
        [apply, 'apply'],
        [confirm, 'confirm'],
      ] as const) {
        expect(cmd.inputs.stdin).toBe(fw.script);
        expect(cmd.inputs.triggers).toEqual([fw.sha256]);
        expect(cmd.inputs.create).toBe(renderFirewallCommand(fw.sha256, mode));
        expect(cmd.revealed.connection).toEqual(
          find(run, 'command:remote:Command', `hosts-${host}-bootstrap`).revealed.connection,
        );
      }
      expect(apply.inputs.delete).toBe(FIREWALL_REMOVE_COMMAND);
    });

    test('the Docker provider reaches the engine over SSH and waits for the confirmed firewall', () => {
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
        find(run, 'command:remote:Command', `hosts-${host}-firewall-confirm`).urn,
      ]);
    });
  });

  test('a pinned host key and a jump host reach the SSH connection and the Docker provider (strict: only that key)', async () => {
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
    const cmd = find(r, 'command:remote:Command', 'hosts-m1-bootstrap');
    expect(cmd.revealed.connection).toEqual({
      host: '10.20.1.11',
      port: 22,
      user: 'stars',
      perDialTimeout: 30,
      dialErrorLimit: 10,
      hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyM1',
      proxy: { host: 'bastion.example.org', port: 2222, user: 'ops', perDialTimeout: 30, dialErrorLimit: 10 },
    });
    expect(find(r, 'command:remote:Command', 'hosts-m2-bootstrap').revealed.connection).not.toHaveProperty(
      'hostKey',
    );
    expect(
      JSON.parse(find(r, 'pulumi:providers:docker', 'hosts-m1-docker').inputs.sshOpts as string),
    ).toEqual([
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'KnownHostsCommand=/bin/echo 10.20.1.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyM1',
      '-o',
      'HostKeyAlgorithms=ssh-ed25519',
      '-o',
      'ConnectTimeout=30',
      '-J',
      'ops@bastion.example.org:2222',
    ]);
    // The stars CLI gets the pinned key through the outputs; m2 pins none.
    const exported = r.outputs.hosts as { name: string; hostKey?: string }[];
    expect(exported.filter((h) => h.hostKey !== undefined).map((h) => [h.name, h.hostKey])).toEqual([
      ['m1', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyM1'],
    ]);
    // m2 pins nothing: its key is recorded on first use and a changed key refused.
    expect(
      JSON.parse(find(r, 'pulumi:providers:docker', 'hosts-m2-docker').inputs.sshOpts as string),
    ).toContain('StrictHostKeyChecking=accept-new');
  });
});
