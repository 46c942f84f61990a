import * as path from 'path';
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
  intFlag,
  optionsHelp,
  parseArgs,
  stringFlag,
  type FlagSpec,
} from './lib/cli-args';
import { DockerError } from './lib/lab/docker';
import { labDown, labStatus, labUp } from './lib/lab/lab';
import { DEFAULT_LAB, LabError } from './lib/lab/lab-plan';

/** `npm run lab -- up | status | down`: a multi-host cluster of containers on this machine's Docker engine. */

const ROOT = path.resolve(__dirname, '..');

export const LAB_FLAGS: Readonly<Record<string, FlagSpec>> = {
  masters: { type: 'string', value: 'N', help: `odd, 1-7 (default ${DEFAULT_LAB.masters})` },
  agents: { type: 'string', value: 'N', help: `1-20 (default ${DEFAULT_LAB.agents})` },
  'base-image': {
    type: 'string',
    value: 'image',
    help: 'Debian 12 image to build hosts from (default debian:12; when it cannot be pulled,\nhosts are built from Debian packages with debootstrap)',
  },
  'debian-mirror': {
    type: 'string',
    value: 'url',
    help: 'for the debootstrap build (default http://deb.debian.org/debian)',
  },
  proxy: {
    type: 'string',
    value: 'url',
    help: "HTTP(S) proxy the stack's hosts use for packages and images (stars:packageSources)",
  },
  name: {
    type: 'string',
    value: 'name',
    help: `lab name: container, network and label prefix (default ${DEFAULT_LAB.name})`,
  },
  subnet: {
    type: 'string',
    value: 'cidr',
    help: `private /24 for the lab network (default ${DEFAULT_LAB.subnet})`,
  },
  'state-dir': {
    type: 'string',
    value: 'dir',
    help: 'SSH key, known_hosts, outputs.json (default .lab/<name>)',
  },
  'stack-file': {
    type: 'string',
    value: 'file',
    help: 'where the stack file goes (default Pulumi.lab.yaml)',
  },
  help: { type: 'boolean', help: 'show this help' },
};

export const USAGE = `usage: npm run lab -- up [--masters N] [--agents N] [--base-image IMAGE] [options]
       npm run lab -- status [--name NAME]
       npm run lab -- down [--name NAME]

A lab is N masters and M agents, each a container on a private Docker network of its own with systemd, sshd
and its own Docker engine, and a Pulumi.lab.yaml describing them as an onprem stack (host keys pinned).
\`up\` twice leaves one lab; \`down\` removes what the lab created and nothing else.

options:
${optionsHelp(LAB_FLAGS, 23)}`;

const UP_ONLY = ['masters', 'agents', 'base-image', 'debian-mirror', 'proxy', 'subnet'];

export async function main(argv: readonly string[], out = console.log, err = console.error): Promise<number> {
  const [verb, ...rest] = argv;
  try {
    if (verb === undefined || verb === '--help' || verb === '-h') {
      (verb === undefined ? err : out)(USAGE);
      return verb === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (!['up', 'status', 'down'].includes(verb))
      throw new UsageError(`unknown command ${JSON.stringify(verb)}`);
    const args = parseArgs(rest, LAB_FLAGS);
    if (args.flags.help === true) {
      out(USAGE);
      return EXIT_OK;
    }
    if (args.positionals.length > 0 || args.rest.length > 0)
      throw new UsageError(`unexpected argument ${JSON.stringify([...args.positionals, ...args.rest][0])}`);
    const misplaced = verb === 'up' ? undefined : UP_ONLY.find((f) => args.flags[f] !== undefined);
    if (misplaced !== undefined) throw new UsageError(`--${misplaced} is an option of up, not ${verb}`);
    const name = stringFlag(args, 'name') ?? DEFAULT_LAB.name;
    const paths = {
      stateDir: path.resolve(ROOT, stringFlag(args, 'state-dir') ?? path.join('.lab', name)),
      stackFile: path.resolve(ROOT, stringFlag(args, 'stack-file') ?? 'Pulumi.lab.yaml'),
    };
    if (verb === 'up') return await up(args, name, paths, out);
    if (verb === 'status') return await status(name, out);
    await labDown(name, paths, out);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`error: ${e.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (e instanceof LabError || e instanceof DockerError) {
      err(`error: ${e.message}`);
      return EXIT_FAILURE;
    }
    throw e;
  }
}

async function up(
  args: ReturnType<typeof parseArgs>,
  name: string,
  paths: { stateDir: string; stackFile: string },
  out: (l: string) => void,
): Promise<number> {
  const proxy = stringFlag(args, 'proxy');
  const plan = await labUp({
    name,
    masters: intFlag(args, 'masters', DEFAULT_LAB.masters, 0, 1000),
    agents: intFlag(args, 'agents', DEFAULT_LAB.agents, 0, 1000),
    subnet: stringFlag(args, 'subnet') ?? DEFAULT_LAB.subnet,
    baseImage: stringFlag(args, 'base-image'),
    debianMirror: stringFlag(args, 'debian-mirror'),
    ...(proxy === undefined ? {} : { proxy }),
    ...paths,
    log: out,
  });
  out(`lab ${plan.name} is up on ${plan.subnet}:`);
  for (const h of plan.hosts) out(`  ${h.name.padEnd(4)} ${h.role.padEnd(7)} ${h.address}`);
  const key = path.join(paths.stateDir, 'id_ed25519');
  out(`stack file: ${paths.stackFile}`);
  out(
    `ssh:        ssh -i ${key} -o UserKnownHostsFile=${path.join(paths.stateDir, 'known_hosts')} stars@${plan.hosts[0].address}`,
  );
  out(
    `stars CLI:  npm run stars -- run --outputs-file ${path.join(paths.stateDir, 'outputs.json')} --identity ${key} --known-hosts ${path.join(paths.stateDir, 'known_hosts')} --role all -- uptime`,
  );
  out(
    `with the Pulumi CLI: pulumi stack init lab && pulumi config set --secret --stack lab stars:sshPrivateKey < ${key} && pulumi up --stack lab`,
  );
  return EXIT_OK;
}

async function status(name: string, out: (l: string) => void): Promise<number> {
  const hosts = await labStatus(name);
  if (hosts.length === 0) {
    out(`no lab ${name} on this engine (npm run lab -- up creates it)`);
    return EXIT_FAILURE;
  }
  out(`${'host'.padEnd(6)}${'address'.padEnd(16)}${'container'.padEnd(10)}${'sshd'.padEnd(8)}docker engine`);
  for (const h of hosts)
    out(
      `${h.name.padEnd(6)}${h.address.padEnd(16)}${h.state.padEnd(10)}${(h.sshd ? 'answers' : 'DOWN').padEnd(8)}${h.engine === undefined ? 'DOWN' : `answers (${h.engine})`}`,
    );
  return hosts.every((h) => h.sshd && h.engine !== undefined) ? EXIT_OK : EXIT_FAILURE;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      process.exit(70);
    },
  );
}
