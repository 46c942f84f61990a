import {
  COMMON_USAGE,
  EXIT_FAILURE,
  EXIT_OK,
  OpsError,
  UsageError,
  intFlag,
  oneOf,
  runCommand,
  type Command,
  optionsHelp,
  type FlagSpec,
} from '../lib/cli-args';
import {
  SSH_FLAGS,
  SSH_USAGE,
  mapLimit,
  sshUserFor,
  runOnHost,
  sshSettingsFrom,
  summarize,
  shellWord,
} from '../lib/ssh';
import { ROLE_SELECTORS, hostsWithRole, loadStackOutputs, type RoleSelector } from '../lib/stack-outputs';

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  role: { type: 'string', value: 'role', help: 'master, agent or all (required)' },
  parallel: { type: 'string', value: 'N', help: 'hosts at a time, default 10' },
};

const USAGE = `usage: npm run stars -- run --role <master|agent|all> (--stack <name> | --outputs-file <json>)
                          [--parallel N] [ssh options] -- <command…>

Runs a shell command on every host of a role over SSH, at most N hosts at a time (default 10). Each output
line is prefixed with the host name; a summary lists the exit code per host. Exits 1 naming the failed hosts.

${COMMON_USAGE}
${optionsHelp(FLAGS)}
${SSH_USAGE}

example: npm run stars -- run --stack staging --role agent -- df -h /var`;

export const runCmd: Command = {
  name: 'run',
  summary: 'run an ad-hoc shell command on every host of a role over SSH',
  usage: USAGE,
  flags: { ...FLAGS, ...SSH_FLAGS },
  run: (argv, io) =>
    runCommand(USAGE, argv, io, { ...FLAGS, ...SSH_FLAGS }, async (args) => {
      const role = oneOf<RoleSelector>(args, 'role', ROLE_SELECTORS);
      if (role === undefined) throw new UsageError('--role is required (master, agent or all)');
      if (args.positionals.length > 0)
        throw new UsageError(
          `unexpected argument ${JSON.stringify(args.positionals[0])}; put the command after --`,
        );
      if (args.rest.length === 0) throw new UsageError('no command given; put it after --, e.g. -- uptime');
      const parallel = intFlag(args, 'parallel', 10, 1, 1000);
      // Each argument stays one word on the host (ssh would join them with spaces and lose the quoting);
      // a pipeline is given as one: -- sh -c 'a | b'.
      const command = args.rest.map(shellWord).join(' ');
      const { stack, outputs } = await loadStackOutputs(args);
      const settings = sshSettingsFrom(args, outputs);
      const hosts = hostsWithRole(outputs, role);
      if (hosts.length === 0) throw new OpsError(`stack ${stack} has no ${role} hosts`);
      const names = hosts.map((h) => h.name).join(', ');
      if (args.flags['dry-run'] === true) {
        const targets = hosts.map(
          (h) => `${h.name} (${sshUserFor(h, settings)}@${h.publicAddress ?? h.address})`,
        );
        io.out(`dry run: would run ${JSON.stringify(command)} on ${targets.join(', ')}`);
        return EXIT_OK;
      }
      io.out(
        `running ${JSON.stringify(command)} on ${hosts.length} host(s): ${names} (${parallel} at a time)`,
      );
      const results = await mapLimit(hosts, parallel, (h) => runOnHost(h, command, settings, io));
      const failed = summarize(results, io);
      if (failed.length > 0) {
        io.err(`error: failed on ${failed.length} host(s): ${failed.join(', ')}`);
        return EXIT_FAILURE;
      }
      return EXIT_OK;
    }),
};
