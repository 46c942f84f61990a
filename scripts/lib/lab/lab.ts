import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'fs';
import * as net from 'net';
import * as path from 'path';
import { ensureHostImage } from './base-image';
import { docker, dockerOk, lastLine } from './docker';
import { LAB_LABEL, LabError, planLab, type LabHost, type LabOptions, type LabPlan } from './lab-plan';
import { renderLabStackFile, STACK_FILE_MARKER } from './stack-file';

/**
 * `npm run lab -- up | status | down`: lab hosts are containers on a network of their own, each running systemd,
 * sshd and its own Docker engine. Everything created carries LAB_LABEL=<name>, and `down` removes only that.
 */

export interface LabPaths {
  /** Holds the lab's SSH key, known_hosts and outputs.json (the `stars` CLI's --outputs-file). */
  readonly stateDir: string;
  /** Where Pulumi.lab.yaml is written. */
  readonly stackFile: string;
}

export interface UpOptions extends LabOptions, LabPaths {
  readonly baseImage?: string;
  readonly log: (line: string) => void;
}

/** Capabilities a host needs where `--privileged` is refused: systemd, a nested engine, nftables, netns. */
export const HOST_CAPABILITIES = [
  'SYS_ADMIN',
  'NET_ADMIN',
  'NET_RAW',
  'MKNOD',
  'SYS_PTRACE',
  'SYS_CHROOT',
  'AUDIT_WRITE',
];

export async function requireEngine(): Promise<{ cgroupVersion: string }> {
  const r = await docker(['info', '--format', '{{.CgroupVersion}}'], { timeoutMs: 30_000 });
  if (r.code !== 0)
    throw new LabError(
      `no Docker engine answers (${lastLine(r)}); start one (sudo systemctl start docker, or dockerd) ` +
        'or point DOCKER_HOST at it',
    );
  return { cgroupVersion: r.stdout.trim() };
}

/** `--privileged` where the engine allows it, else the explicit list (this sandbox refuses privileged). */
async function hostSecurityArgs(image: string, log: (l: string) => void): Promise<string[]> {
  const probe = await docker(['run', '--rm', '--privileged', '--entrypoint', '/bin/true', image]);
  if (probe.code === 0) return ['--privileged'];
  log(`--privileged is refused here (${lastLine(probe)}); hosts get ${HOST_CAPABILITIES.join(', ')}`);
  // Unconfined, measured: under Docker's default seccomp profile the nested engine's runc cannot create the
  // session keyring it joins (keyctl is refused), and AppArmor's docker-default profile refuses every mount
  // systemd makes. So a lab host is as trusted as the machine (README "The lab").
  return [
    ...HOST_CAPABILITIES.flatMap((c) => ['--cap-add', c]),
    '--security-opt',
    'seccomp=unconfined',
    '--security-opt',
    'apparmor=unconfined',
  ];
}

async function ensureNetwork(plan: LabPlan): Promise<void> {
  const mine = await docker([
    'network',
    'inspect',
    '--format',
    `{{index .Labels "${LAB_LABEL}"}} {{range .IPAM.Config}}{{.Subnet}}{{end}}`,
    plan.network,
  ]);
  if (mine.code === 0) {
    const [label, subnet] = mine.stdout.trim().split(' ');
    if (label !== plan.name)
      throw new LabError(
        `a Docker network named ${plan.network} exists and is not this lab's; pass another --name`,
      );
    if (subnet !== plan.subnet)
      throw new LabError(
        `the lab ${plan.name} runs on ${subnet}, not ${plan.subnet}; run \`npm run lab -- down --name ${plan.name}\` first`,
      );
    return;
  }
  const made = await docker([
    'network',
    'create',
    '--subnet',
    plan.subnet,
    '--label',
    `${LAB_LABEL}=${plan.name}`,
    plan.network,
  ]);
  if (made.code !== 0) {
    const taken = /overlap|in use/i.test(made.stderr);
    throw new LabError(
      taken
        ? `the subnet ${plan.subnet} is taken (${lastLine(made)}); pass --subnet with a free private /24`
        : `creating the network ${plan.network}: ${lastLine(made)}`,
    );
  }
}

interface LabContainer {
  readonly container: string;
  readonly state: string;
  /** The host's name in the stack (its LAB_LABEL.host label). */
  readonly host: string;
}

/** Every container of this lab (hosts, and anything a test labelled as the lab's), sorted by name. */
async function labContainers(name: string): Promise<LabContainer[]> {
  const out = await dockerOk('listing lab hosts', [
    'ps',
    '-a',
    '--filter',
    `label=${LAB_LABEL}=${name}`,
    '--format',
    `{{.Names}}\t{{.State}}\t{{.Label "${LAB_LABEL}.host"}}`,
  ]);
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [container, state, host] = l.split('\t');
      return { container, state, host };
    })
    .sort((a, b) => a.container.localeCompare(b.container));
}

async function startHost(
  plan: LabPlan,
  h: LabHost,
  image: string,
  security: readonly string[],
  cgroupV1: boolean,
): Promise<void> {
  await dockerOk(`starting lab host ${h.name}`, [
    'run',
    '-d',
    '--name',
    h.container,
    '--hostname',
    h.name,
    '--network',
    plan.network,
    '--ip',
    h.address,
    '--label',
    `${LAB_LABEL}=${plan.name}`,
    '--label',
    `${LAB_LABEL}.host=${h.name}`,
    '--stop-signal',
    'SIGRTMIN+3',
    ...security,
    // systemd wants a writable cgroup tree; on cgroup v2 a private namespace gives it one.
    ...(cgroupV1 ? ['-v', '/sys/fs/cgroup:/sys/fs/cgroup:rw'] : ['--cgroupns', 'private']),
    '--tmpfs',
    '/run',
    '--tmpfs',
    '/run/lock',
    // The nested engine's data on a volume: overlay2 cannot stack on the outer container's overlay.
    '-v',
    '/var/lib/docker',
    image,
  ]);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits (bounded) for the host's first boot to make its host key and start sshd; returns the key line. */
async function hostKeyOf(h: LabHost): Promise<string> {
  for (let i = 0; i < 120; i++) {
    const r = await docker([
      'exec',
      h.container,
      'sh',
      '-c',
      'systemctl is-active --quiet ssh && cat /etc/ssh/ssh_host_ed25519_key.pub',
    ]);
    if (r.code === 0) return r.stdout.trim().split(' ').slice(0, 2).join(' ');
    await sleep(500);
  }
  throw new LabError(
    `lab host ${h.name} (${h.container}): sshd did not start within 60 s; see docker exec ${h.container} journalctl -u ssh`,
  );
}

/** Names the lab that made a state directory; only a directory carrying it is ever cleaned by `down`. */
export const STATE_MARKER = '.stars-lab';
/** Everything `up` writes into the state directory, and so all that `down` removes from it. */
export const STATE_FILES = ['id_ed25519', 'id_ed25519.pub', 'known_hosts', 'outputs.json', STATE_MARKER];

/** The lab's name from the directory's marker, undefined when there is none (a directory the lab did not make). */
function stateOwner(stateDir: string): string | undefined {
  const marker = path.join(stateDir, STATE_MARKER);
  return existsSync(marker) ? readFileSync(marker, 'utf8').trim() : undefined;
}

/**
 * The state directory for lab `name`: new, empty, or one this lab made. Any other directory (say ~/.ssh) is
 * refused, since up writes known_hosts and a key into it.
 */
export function claimStateDir(stateDir: string, name: string): void {
  if (existsSync(stateDir) && readdirSync(stateDir).length > 0) {
    const owner = stateOwner(stateDir);
    if (owner !== name)
      throw new LabError(
        owner === undefined
          ? `${stateDir} is not empty and was not made by the lab (no ${STATE_MARKER}); pass a new --state-dir`
          : `${stateDir} belongs to the lab ${owner}; pass --name ${owner} or another --state-dir`,
      );
  }
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(stateDir, STATE_MARKER), `${name}\n`);
}

function ensureKey(stateDir: string): string {
  const key = path.join(stateDir, 'id_ed25519');
  if (!existsSync(key))
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'stars-lab', '-f', key]);
  return key;
}

export async function labUp(o: UpOptions): Promise<LabPlan> {
  const plan = planLab(o);
  if (existsSync(o.stackFile) && !readFileSync(o.stackFile, 'utf8').startsWith(STACK_FILE_MARKER))
    throw new LabError(
      `${o.stackFile} exists and was not written by the lab; move it away or pass --stack-file`,
    );
  claimStateDir(o.stateDir, plan.name);
  const { cgroupVersion } = await requireEngine();
  const image = await ensureHostImage({ baseImage: o.baseImage, debianMirror: o.debianMirror, log: o.log });
  await ensureNetwork(plan);
  const key = ensureKey(o.stateDir);
  const existing = new Map((await labContainers(plan.name)).map((c) => [c.container, c.state]));
  const wanted = new Set(plan.hosts.map((h) => h.container));
  for (const c of [...existing.keys()].filter((c) => !wanted.has(c))) {
    o.log(`removing ${c}: not in a lab of ${o.masters} masters and ${o.agents} agents`);
    await dockerOk(`removing ${c}`, ['rm', '-f', '-v', c]);
  }
  const security = existing.size < plan.hosts.length ? await hostSecurityArgs(image, o.log) : [];
  for (const h of plan.hosts) {
    const state = existing.get(h.container);
    if (state === undefined) {
      o.log(`creating ${h.name} at ${h.address}`);
      await startHost(plan, h, image, security, cgroupVersion === '1');
    } else if (state !== 'running') {
      o.log(`starting ${h.name} (was ${state})`);
      await dockerOk(`starting ${h.container}`, ['start', h.container]);
    }
  }
  const pub = readFileSync(`${key}.pub`, 'utf8');
  const hostKeys: Record<string, string> = {};
  for (const h of plan.hosts) {
    hostKeys[h.name] = await hostKeyOf(h);
    await dockerOk(
      `authorizing the lab key on ${h.name}`,
      [
        'exec',
        '-i',
        h.container,
        'sh',
        '-c',
        'umask 077 && cat > /home/stars/.ssh/authorized_keys && chown stars:stars /home/stars/.ssh/authorized_keys',
      ],
      { input: pub },
    );
  }
  writeFileSync(
    path.join(o.stateDir, 'known_hosts'),
    plan.hosts.map((h) => `${h.address} ${hostKeys[h.name]}\n`).join(''),
  );
  writeFileSync(path.join(o.stateDir, 'outputs.json'), `${JSON.stringify(labOutputs(plan), null, 2)}\n`);
  writeFileSync(o.stackFile, renderLabStackFile(plan, hostKeys, { proxy: o.proxy }));
  return plan;
}

/** The stack outputs the `stars` CLI reads (`--outputs-file`), for the lab's hosts. */
export function labOutputs(plan: LabPlan): object {
  return {
    sshUser: 'stars',
    hosts: plan.hosts.map((h) => ({ name: h.name, address: h.address, roles: [h.role] })),
  };
}

export interface HostStatus {
  readonly name: string;
  readonly container: string;
  readonly address: string;
  readonly state: string;
  readonly sshd: boolean;
  readonly engine: string | undefined;
}

/** Reads an SSH banner from address:22 (bounded): sshd answers when it says SSH-2.0. */
function sshdAnswers(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: address, port: 22 });
    s.setTimeout(3000);
    s.once('data', (d) => {
      resolve(d.toString('utf8').startsWith('SSH-2.0'));
      s.destroy();
    });
    s.once('timeout', () => {
      resolve(false);
      s.destroy();
    });
    s.once('error', () => resolve(false));
  });
}

export async function labStatus(name: string): Promise<HostStatus[]> {
  await requireEngine();
  const statuses: HostStatus[] = [];
  for (const { container, state, host } of await labContainers(name)) {
    const address = (
      await docker([
        'inspect',
        '--format',
        '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
        container,
      ])
    ).stdout.trim();
    const running = state === 'running';
    const engine = running
      ? await docker(['exec', container, 'docker', 'version', '--format', '{{.Server.Version}}'], {
          timeoutMs: 10_000,
        })
      : undefined;
    statuses.push({
      name: host,
      container,
      address,
      state,
      sshd: running && address !== '' && (await sshdAnswers(address)),
      engine: engine !== undefined && engine.code === 0 ? engine.stdout.trim() : undefined,
    });
  }
  return statuses;
}

/** Removes what up wrote into the state directory, and the directory once empty; never a directory it did not make. */
export function removeState(stateDir: string, name: string, log: (l: string) => void): void {
  if (!existsSync(stateDir)) return;
  const owner = stateOwner(stateDir);
  if (owner !== name) {
    log(
      `left ${stateDir} alone: ${owner === undefined ? `no ${STATE_MARKER} says the lab made it` : `it belongs to the lab ${owner}`}`,
    );
    return;
  }
  for (const f of STATE_FILES) rmSync(path.join(stateDir, f), { force: true });
  if (readdirSync(stateDir).length === 0) rmdirSync(stateDir);
  else log(`left ${stateDir}: it holds files the lab did not write`);
}

/** Removes the lab's containers (with their engine volumes), its network and state, and a stack file it wrote. */
export async function labDown(name: string, paths: LabPaths, log: (l: string) => void): Promise<number> {
  await requireEngine();
  const containers = (await labContainers(name)).map((c) => c.container);
  if (containers.length > 0) await dockerOk('removing lab hosts', ['rm', '-f', '-v', ...containers]);
  const nets = (
    await dockerOk('listing lab networks', ['network', 'ls', '-q', '--filter', `label=${LAB_LABEL}=${name}`])
  )
    .split('\n')
    .filter((l) => l !== '');
  if (nets.length > 0) await dockerOk('removing the lab network', ['network', 'rm', ...nets]);
  removeState(paths.stateDir, name, log);
  if (existsSync(paths.stackFile) && readFileSync(paths.stackFile, 'utf8').startsWith(STACK_FILE_MARKER)) {
    rmSync(paths.stackFile);
    log(`removed ${paths.stackFile}`);
  }
  log(`removed ${containers.length} host(s) and ${nets.length} network(s) of the lab ${name}`);
  return containers.length;
}
