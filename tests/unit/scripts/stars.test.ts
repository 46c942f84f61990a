import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { PRUNE_SCRIPT } from '../../../scripts/commands/cleanup';
import { parseHealthPorts, parseServices, planRestart } from '../../../scripts/commands/restart';
import type { StackOutputs } from '../../../scripts/lib/stack-outputs';
import { USAGE, main } from '../../../scripts/stars';
import { captureIo, type CapturedIo } from '../../support/capture-io';

const capture = (): CapturedIo => captureIo();

const OUTPUTS: StackOutputs = {
  environment: 'dev',
  sshUser: 'stars',
  hosts: [
    { name: 'm2', roles: ['master'], address: '10.0.0.2' },
    { name: 'm1', roles: ['master'], address: '10.0.0.1' },
    { name: 'a1', roles: ['agent'], address: '10.0.0.11' },
  ],
};
const outputsFile = path.join(mkdtempSync(path.join(tmpdir(), 'stars-cli-')), 'outputs.json');
writeFileSync(outputsFile, JSON.stringify(OUTPUTS));

describe('stars dispatcher', () => {
  test('no command prints the command list and exits 64', async () => {
    const io = capture();
    expect(await main([], io)).toBe(64);
    expect(io.stderr).toEqual([USAGE]);
    expect(USAGE).toContain(
      '  backup    save every Marathon app and Chronos job to backups/<stack>/<timestamp>/',
    );
  });

  test('an unknown command exits 64 naming it', async () => {
    const io = capture();
    expect(await main(['nuke-docker'], io)).toBe(64);
    expect(io.stderr[0]).toBe(`error: unknown command "nuke-docker"\n\n${USAGE}`);
  });

  test.each(['backup', 'restore', 'restart', 'run', 'cleanup'])(
    '%s --help prints its usage and exits 0',
    async (name) => {
      const io = capture();
      expect(await main([name, '--help'], io)).toBe(0);
      expect(io.stdout[0]).toMatch(new RegExp(`^usage: npm run stars -- ${name} `));
    },
  );
});

describe('bad arguments exit 64 with the exact message and the usage', () => {
  test.each([
    [['backup', '--stack'], '--stack needs a value'],
    [['backup', '--stack', 'dev', 'extra'], 'unexpected argument "extra"'],
    [['backup'], '--stack <name> or --outputs-file <json> is required'],
    [['restore', '--stack', 'dev'], 'the backup directory is required'],
    [['restore', 'a', 'b', '--stack', 'dev'], 'give exactly one backup directory'],
    [['restore', 'a', '--stack', 'dev', '--prune=yes'], '--prune takes no value'],
    [['run', '--stack', 'dev', '--', 'uptime'], '--role is required (master, agent or all)'],
    [['run', '--stack', 'dev', '--role', 'master'], 'no command given; put it after --, e.g. -- uptime'],
    [
      ['run', '--stack', 'dev', '--role', 'master', 'uptime'],
      'unexpected argument "uptime"; put the command after --',
    ],
    [
      ['run', '--stack', 'dev', '--role', 'master', '--parallel', '0', '--', 'x'],
      '--parallel must be a whole number from 1 to 1000, got "0"',
    ],
    [['restart', '--stack', 'dev'], '--role (master, agent or all) or --app <id> is required'],
    [
      ['restart', '--stack', 'dev', '--role', 'master', '--service', 'mesos'],
      'unknown service "mesos" in --service; known: zookeeper, mesos-master, marathon, chronos, mesos-dns, mesos-agent',
    ],
    [
      ['restart', '--stack', 'dev', '--app', '/x', '--role', 'master'],
      '--app cannot be combined with --role or --service',
    ],
    // The id goes into the request path: nothing that would address another resource.
    ...(
      [
        ['/../../v2/deployments', '"/../../v2/deployments"'],
        ['/x?force=true', '"/x?force=true"'],
        ['/x#y', '"/x#y"'],
        ['/x%2F..', '"/x%2F.."'],
        ['//x', '"//x"'],
        ['/x/', '"/x/"'],
        ['/X', '"/X"'],
        ['/zep\u001b[2J', '"/zep\\u001b[2J"'],
      ] as const
    ).map(([id, shown]): [string[], string] => [
      ['restart', '--stack', 'dev', '--app', id],
      `--app ${shown} is not a Marathon app id: lowercase letters, digits, "-" and "." in segments separated by "/" (e.g. /zeppelin)`,
    ]),
    [
      ['backup', '--stack', '../../tmp'],
      '--stack "../../tmp" is not a stack name: [org/[project/]]name of letters, digits, "_", "." and "-"',
    ],
    [['cleanup', '--stack', 'dev', '--yes'], '--yes only confirms --reset'],
    [
      ['cleanup', '--stack', 'dev', '--reset'],
      '--reset reinstalls Docker and deletes every container and image on the hosts; add --yes to confirm',
    ],
  ])('%j: %s', async (argv, message) => {
    const io = capture();
    expect(await main(argv, io)).toBe(64);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0].split('\n\n')[0]).toBe(`error: ${message}`);
    expect(io.stderr[0]).toContain(`usage: npm run stars -- ${argv[0]} `);
  });
});

describe('restart planning', () => {
  test('services in dependency order, each over its hosts by name', () => {
    const steps = planRestart(OUTPUTS, 'all', ['mesos-agent', 'zookeeper']);
    expect(steps.map((s) => `${s.service.service}@${s.host.name}`)).toEqual([
      'zookeeper@m1',
      'zookeeper@m2',
      'mesos-agent@a1',
    ]);
  });

  test('--service and --health-port parse into names and ports', () => {
    expect(parseServices('marathon, chronos')).toEqual(['marathon', 'chronos']);
    expect(parseServices(undefined)).toBeUndefined();
    expect(parseHealthPorts('zookeeper=12181,marathon=18080')).toEqual({ zookeeper: 12181, marathon: 18080 });
    expect(() => parseHealthPorts('zk=1')).toThrow(
      '--health-port wants <service>=<port>[,…] with a known service, got "zk=1"',
    );
  });

  test('--dry-run lists every step and contacts nothing', async () => {
    const io = capture();
    expect(
      await main(
        ['restart', '--outputs-file', outputsFile, '--role', 'master', '--service', 'zookeeper', '--dry-run'],
        io,
      ),
    ).toBe(0);
    expect(io.stdout).toEqual([
      'dry run: would restart, one at a time, waiting for health after each:',
      '  1. zookeeper on m1: docker restart stars-zookeeper',
      '  2. zookeeper on m2: docker restart stars-zookeeper',
    ]);
  });
});

describe('dry runs of the SSH commands', () => {
  test('cleanup --dry-run shows the prune script and the agents it would run on', async () => {
    const io = capture();
    expect(await main(['cleanup', '--outputs-file', outputsFile, '--dry-run'], io)).toBe(0);
    expect(io.stdout).toEqual([
      `dry run: would prune containers, images and volumes on a1:\n  ${PRUNE_SCRIPT}`,
    ]);
    expect(PRUNE_SCRIPT).toBe(
      'set -e; docker container prune -f; docker image prune -f; docker volume prune -f',
    );
  });

  test('run --dry-run names each host with the login and address it would use', async () => {
    const io = capture();
    expect(
      await main(
        ['run', '--outputs-file', outputsFile, '--role', 'master', '--dry-run', '--', 'df', '-h'],
        io,
      ),
    ).toBe(0);
    expect(io.stdout).toEqual(['dry run: would run "df -h" on m1 (stars@10.0.0.1), m2 (stars@10.0.0.2)']);
  });

  test('a stack without hosts of the role is an operational error', async () => {
    const empty = path.join(path.dirname(outputsFile), 'empty.json');
    writeFileSync(empty, JSON.stringify({ environment: 'dev', sshUser: 'x', hosts: [] }));
    const io = capture();
    expect(await main(['run', '--outputs-file', empty, '--role', 'agent', '--', 'true'], io)).toBe(1);
    expect(io.stderr).toEqual(['error: stack dev has no agent hosts']);
  });
});
