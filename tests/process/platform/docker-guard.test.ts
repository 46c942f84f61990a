/**
 * The agents' Docker guard (images/mesos/stars-docker-guard) run for real by bash, with the committed policy, in
 * front of a stand-in for the Docker CLI that records what it was asked to run. The command lines are built the
 * way Mesos 1.10.0 builds them (src/docker/docker.cpp Docker::run: its own options, then one `--key=value` per
 * DockerInfo parameter, the image, then `-c <command>` behind `--entrypoint /bin/sh` for shell commands).
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { everyShape } from '../../unit/components/apps/stack-shapes';

const ROOT = path.join(__dirname, '../../..');
const GUARD = path.join(ROOT, 'images/mesos/stars-docker-guard');
const POLICY = path.join(ROOT, 'images/mesos/docker-guard.policy');
const SANDBOX = '/var/lib/mesos/agent/slaves/S0/frameworks/F0/executors/e/runs/c1';
const SPARK = 'stars/spark:3.5.6-f534bf0ac8e2';

let dir: string;
let stub: string;
let record: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'stars-docker-guard-'));
  record = path.join(dir, 'ran');
  stub = path.join(dir, 'docker');
  writeFileSync(stub, `#!/bin/sh\nprintf '%s\\n' "$*" > ${record}\n`, { mode: 0o755 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly image: string;
  readonly volumes?: readonly string[];
  readonly params?: readonly string[];
  readonly command?: string;
  readonly name?: string;
  readonly net?: string;
  readonly extra?: readonly string[];
}

/** argv as the Mesos Docker containerizer passes it to --docker. */
function mesosArgv(r: Run): string[] {
  return [
    '-H',
    'unix:///var/run/docker.sock',
    'run',
    ...(r.extra ?? []),
    '--cpu-shares',
    '1024',
    '--memory',
    '1073741824',
    '-e',
    'MESOS_SANDBOX=/mnt/mesos/sandbox',
    '-v',
    `${SANDBOX}:/mnt/mesos/sandbox`,
    ...(r.volumes ?? []).flatMap((v) => ['-v', v]),
    '--net',
    r.net ?? 'host',
    ...(r.command === undefined ? [] : ['--entrypoint', '/bin/sh']),
    '--name',
    r.name ?? 'mesos-0c7e0a6b-1',
    ...(r.params ?? []).map((p) => `--${p}`),
    r.image,
    ...(r.command === undefined ? [] : ['-c', r.command]),
  ];
}

function guard(argv: readonly string[]): { status: number; stderr: string; ran: boolean } {
  rmSync(record, { force: true });
  const r = spawnSync('bash', [GUARD, ...argv], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', STARS_REAL_DOCKER: stub, STARS_DOCKER_POLICY: POLICY },
  });
  let ran = false;
  try {
    ran = readFileSync(record, 'utf8') === `${argv.join(' ')}\n`;
  } catch {
    ran = false;
  }
  return { status: r.status ?? -1, stderr: r.stderr, ran };
}

/** Every container the platform plans, as Mesos would start it on an agent. */
function plannedRuns(): [string, Run][] {
  const out: [string, Run][] = [];
  for (const plan of everyShape()) {
    for (const a of plan.apps.apps) {
      const c = a.definition.container;
      out.push([
        `${plan.spec.environment} app ${a.definition.id}`,
        {
          image: c?.docker?.image ?? '',
          volumes: (c?.volumes ?? []).map((v) => `${v.hostPath}:${v.containerPath}:${v.mode.toLowerCase()}`),
          params: (c?.docker?.parameters ?? []).map((p) => `${p.key}=${p.value}`),
          ...(a.definition.cmd === undefined ? {} : { command: a.definition.cmd }),
        },
      ]);
    }
    for (const j of plan.apps.jobs) {
      const c = j.definition.container;
      out.push([
        `${plan.spec.environment} job ${j.definition.name}`,
        {
          image: c?.image ?? '',
          volumes: (c?.volumes ?? []).map((v) => `${v.hostPath}:${v.containerPath}:${v.mode.toLowerCase()}`),
          params: (c?.parameters ?? []).map((p) => `${p.key}=${p.value}`),
          command: j.definition.command,
        },
      ]);
    }
  }
  return out;
}

describe('the agents’ Docker guard', () => {
  test.each(plannedRuns())('lets the planned %s start unchanged', (_what, run) => {
    expect(guard(mesosArgv(run))).toEqual({ status: 0, stderr: '', ran: true });
  });

  test("lets the agent start a Docker executor's own container (--docker_mesos_image)", () => {
    const argv = mesosArgv({
      image: 'stars/mesos:1.10.0-0123456789ab',
      name: 'mesos-0c7e0a6b-1.executor',
      volumes: ['/var/run/docker.sock:/var/run/docker.sock:ro', `${SANDBOX}:${SANDBOX}:rw`],
      params: ['pid=host', 'cap-add=SYS_ADMIN', 'cap-add=SYS_PTRACE'],
    });
    expect(guard(argv)).toEqual({ status: 0, stderr: '', ran: true });
  });

  test.each([
    ['ps', '-a'],
    ['inspect', '--type=container', 'mesos-1'],
    ['stop', '-t', '3', 'mesos-1'],
  ])('passes docker %s through unchanged', (...cmd) => {
    expect(guard(['-H', 'unix:///var/run/docker.sock', ...cmd])).toEqual({
      status: 0,
      stderr: '',
      ran: true,
    });
  });

  const executor = (r: Partial<Run>): string[] => mesosArgv({ image: SPARK, ...r });
  test.each([
    [
      'a Livy session asking spark.mesos.executor.docker.parameters=privileged=true',
      executor({ params: ['privileged=true'] }),
      'parameter privileged (only user, label, env and workdir)',
    ],
    [
      'a dispatcher submission asking cap-add=SYS_ADMIN for its driver',
      executor({ params: ['cap-add=SYS_ADMIN'] }),
      "parameter cap-add (only the executor's own container has it)",
    ],
    [
      "a task dressed as the executor's container (its image and parameters, a task's name)",
      mesosArgv({ image: 'stars/mesos:1.10.0-0123456789ab', params: ['pid=host'] }),
      "parameter pid (only the executor's own container has it)",
    ],
    [
      'a notebook mounting the backup jobs’ Marathon and Chronos logins',
      executor({ volumes: ['/var/lib/stars/app-secrets/backups:/s:ro'] }),
      'host path /var/lib/stars/app-secrets/backups (ro) for stars/spark',
    ],
    [
      "the backup image with the backup logins and a command of the user's own",
      mesosArgv({
        image: 'curlimages/curl:8.11.1',
        volumes: ['/var/lib/stars/app-secrets/backups:/run/secrets/stars:ro'],
        command: 'cat /run/secrets/stars/marathon.curlrc',
      }),
      'host path /var/lib/stars/app-secrets/backups (ro) for curlimages/curl',
    ],
    [
      'the Docker CLI image with the Docker socket and another command',
      mesosArgv({
        image: 'docker:27.5.1-cli',
        volumes: ['/var/run/docker.sock:/var/run/docker.sock:rw'],
        command: 'docker run --privileged -v /:/host alpine',
      }),
      'host path /var/run/docker.sock (rw) for docker',
    ],
    [
      'the host root',
      executor({ volumes: ['/:/host:rw'] }),
      'volume /:/host:rw (a host path must be normal, not /)',
    ],
    [
      'a path out of the sandbox',
      executor({ volumes: [`${SANDBOX}/../../../../../../../etc:/e:ro`] }),
      `volume ${SANDBOX}/../../../../../../../etc:/e:ro (a host path must be normal, not /)`,
    ],
    [
      'a relative host path',
      executor({ volumes: ['etc:/e:ro'] }),
      'volume etc:/e:ro (a host path must be absolute)',
    ],
    [
      'a read-only grant mounted read-write',
      executor({ volumes: ['/var/lib/stars/app-secrets/livy:/s:rw'] }),
      'host path /var/lib/stars/app-secrets/livy (rw) for stars/spark',
    ],
    ['another container’s network', executor({ net: 'container:mesos-1' }), 'network container:mesos-1'],
    ['a device', executor({ params: ['device=/dev/sda'] }), 'parameter device'],
    [
      "a cgroup of its own, out of Docker's (where the metadata guard finds tasks)",
      executor({ params: ['cgroup-parent=/system.slice'] }),
      'parameter cgroup-parent',
    ],
    ['a volume driver', executor({ params: ['volume-driver=local'] }), 'parameter volume-driver'],
    ['host PID namespace', executor({ params: ['pid=host'] }), 'parameter pid'],
    [
      'a security option',
      executor({ params: ['security-opt=seccomp=unconfined'] }),
      'parameter security-opt',
    ],
    [
      '--privileged from Marathon',
      mesosArgv({ image: SPARK, extra: ['--privileged'] }),
      'docker option --privileged',
    ],
  ])('refuses %s', (_what, argv, why) => {
    const r = guard(argv);
    expect([r.status, r.ran]).toEqual([125, false]);
    expect(r.stderr).toContain(`stars-docker-guard: refused: ${why}`);
  });
});
