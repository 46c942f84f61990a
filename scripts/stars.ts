import { backupCmd } from './commands/backup';
import { cleanupCmd } from './commands/cleanup';
import { restartCmd } from './commands/restart';
import { restoreCmd } from './commands/restore';
import { runCmd } from './commands/run';
import { EXIT_OK, EXIT_USAGE, consoleIo, type Command, type CommandIo } from './lib/cli-args';

/** `npm run stars -- <command> …`: one entry point for the operations tooling. */
export const COMMANDS: readonly Command[] = [backupCmd, restoreCmd, restartCmd, runCmd, cleanupCmd];

export const USAGE = `usage: npm run stars -- <command> [options]

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`).join('\n')}

Run \`npm run stars -- <command> --help\` for a command's options. Endpoints, credentials and hosts come
from the stack outputs (pulumi stack output --stack <name> --json --show-secrets) or --outputs-file <json>.`;

export async function main(argv: readonly string[], io: CommandIo = consoleIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(USAGE);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`error: unknown command ${JSON.stringify(name)}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  return command.run(rest, io);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exit(70);
    },
  );
}
