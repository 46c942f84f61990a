import {
  COMMON_USAGE,
  EXIT_FAILURE,
  EXIT_OK,
  OpsError,
  UsageError,
  boolFlag,
  intFlag,
  oneOf,
  runCommand,
  type Command,
  optionsHelp,
  type FlagSpec,
} from '../lib/cli-args';
import { SSH_FLAGS, SSH_USAGE, mapLimit, runOnHost, sshSettingsFrom, summarize } from '../lib/ssh';
import { ROLE_SELECTORS, hostsWithRole, loadStackOutputs, type RoleSelector } from '../lib/stack-outputs';

/** Prune only what nothing uses: running containers, tagged images and mounted volumes are kept. */
export const PRUNE_SCRIPT =
  'set -e; docker container prune -f; docker image prune -f; docker volume prune -f';

/**
 * Reinstalls the engine from the distribution's package (what the old nuke-docker did by hand), wiping
 * /var/lib/docker. Every container on the host is lost; Pulumi (or Marathon) recreates them afterwards.
 */
export const RESET_SCRIPT = [
  'set -e',
  'if command -v apt-get >/dev/null; then PM=apt; elif command -v dnf >/dev/null; then PM=dnf; else PM=yum; fi',
  'sudo systemctl stop docker.socket docker || true',
  'if [ "$PM" = apt ]; then PKG=$(dpkg-query -W -f=\'${Package}\\n\' docker-ce docker.io 2>/dev/null | head -n1); ' +
    'PKG=${PKG:-docker.io}; sudo DEBIAN_FRONTEND=noninteractive apt-get remove -y "$PKG"; else sudo $PM remove -y docker; fi',
  'sudo rm -rf /var/lib/docker',
  'if [ "$PM" = apt ]; then sudo DEBIAN_FRONTEND=noninteractive apt-get install -y "$PKG"; else sudo $PM install -y docker; fi',
  'sudo systemctl enable --now docker',
  'sudo docker info --format "docker {{.ServerVersion}} ready"',
].join('; ');

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  role: { type: 'string', value: 'role', help: 'agent (default), master or all' },
  reset: { type: 'boolean', help: 'reinstall the Docker engine (destructive; needs --yes)' },
  yes: { type: 'boolean', help: 'confirm --reset' },
  parallel: { type: 'string', value: 'N', help: 'hosts at a time, default 10' },
};

const USAGE = `usage: npm run stars -- cleanup (--stack <name> | --outputs-file <json>) [--role agent|master|all]
                              [--reset --yes] [--parallel N] [ssh options]

Frees disk on the hosts (default: agents) by pruning stopped containers, dangling images and unused
volumes (docker container/image/volume prune -f). Running services are not touched.
With --reset it instead REINSTALLS the Docker engine and wipes /var/lib/docker (all containers and images
on those hosts are lost until the next pulumi up / Marathon redeploy); it refuses to run without --yes.

${COMMON_USAGE}
${optionsHelp(FLAGS)}
${SSH_USAGE}`;

export const cleanupCmd: Command = {
  name: 'cleanup',
  summary: 'prune stopped containers, dangling images and unused volumes (or --reset the engine)',
  usage: USAGE,
  flags: { ...FLAGS, ...SSH_FLAGS },
  run: (argv, io) =>
    runCommand(USAGE, argv, io, { ...FLAGS, ...SSH_FLAGS }, async (args) => {
      if (args.positionals.length > 0 || args.rest.length > 0)
        throw new UsageError(`unexpected argument ${JSON.stringify([...args.positionals, ...args.rest][0])}`);
      const role = oneOf<RoleSelector>(args, 'role', ROLE_SELECTORS, 'agent') as RoleSelector;
      const reset = boolFlag(args, 'reset');
      if (boolFlag(args, 'yes') && !reset) throw new UsageError('--yes only confirms --reset');
      const dryRun = boolFlag(args, 'dry-run');
      if (reset && !boolFlag(args, 'yes') && !dryRun)
        throw new UsageError(
          '--reset reinstalls Docker and deletes every container and image on the hosts; add --yes to confirm',
        );
      const parallel = intFlag(args, 'parallel', 10, 1, 1000);
      const { stack, outputs } = await loadStackOutputs(args);
      const settings = sshSettingsFrom(args, outputs);
      const hosts = hostsWithRole(outputs, role);
      if (hosts.length === 0) throw new OpsError(`stack ${stack} has no ${role} hosts`);
      const script = reset ? RESET_SCRIPT : PRUNE_SCRIPT;
      const what = reset ? 'reinstall the Docker engine' : 'prune containers, images and volumes';
      const names = hosts.map((h) => h.name).join(', ');
      if (dryRun) {
        io.out(`dry run: would ${what} on ${names}:\n  ${script}`);
        return EXIT_OK;
      }
      io.out(`${what} on ${hosts.length} host(s): ${names}`);
      const results = await mapLimit(hosts, reset ? 1 : parallel, (h) => runOnHost(h, script, settings, io));
      const failed = summarize(results, io);
      if (failed.length > 0) {
        io.err(`error: cleanup failed on ${failed.length} host(s): ${failed.join(', ')}`);
        return EXIT_FAILURE;
      }
      return EXIT_OK;
    }),
};
