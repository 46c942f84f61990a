import { parseArgs as nodeParseArgs } from 'util';

/**
 * A small, strict argument parser shared by every entry point (`stars`, `plan`, `bench`): unknown flags and missing
 * values are usage errors (exit 64) rather than silently ignored, because a mistyped `--prune` must not turn a
 * careful restore into a different operation.
 */

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** BSD sysexits EX_USAGE: the command line was wrong. */
export const EXIT_USAGE = 64;

export class UsageError extends Error {}
/** An operational failure (unreachable API, failed host, corrupted backup): exit 1. */
export class OpsError extends Error {}

export interface FlagSpec {
  /** `string` flags take a value (`--out dir` or `--out=dir`); `boolean` flags take none. */
  readonly type: 'string' | 'boolean';
  /** What a string flag's value stands for in the help: `--out <dir>`. */
  readonly value?: string;
  /** The flag's help; the usage's options are made from these, so help never drifts from what parses. */
  readonly help?: string;
}

/** How a flag is shown in help: `--out <dir>`, `--prune`, `-h, --help`. */
export function flagLabel(name: string, f: FlagSpec): string {
  if (name === 'help') return '-h, --help';
  return `--${name}${f.type === 'string' ? ` <${f.value ?? 'value'}>` : ''}`;
}

/**
 * An options block from flag definitions, in their order, aligned on the longest flag (at least `minWidth`).
 * A help with line breaks continues under its first line.
 */
export function optionsHelp(flags: Readonly<Record<string, FlagSpec>>, minWidth = 25): string {
  const rows = Object.entries(flags).map(([name, f]) => [flagLabel(name, f), f.help ?? '']);
  const width = Math.max(minWidth, ...rows.map(([flag]) => flag.length + 2));
  return rows
    .map(([flag, help]) =>
      `  ${flag.padEnd(width)}${help.split('\n').join(`\n  ${' '.repeat(width)}`)}`.trimEnd(),
    )
    .join('\n');
}

export interface ParsedArgs {
  readonly flags: Readonly<Record<string, string | boolean>>;
  readonly positionals: readonly string[];
  /** Everything after a bare `--`, untouched (the remote command of `run`). */
  readonly rest: readonly string[];
}

/**
 * Node's own parser (`util.parseArgs`) does the tokenizing (`--out dir`, `--out=dir`, `-h`, positionals); this
 * adds the strictness every entry point shares, with messages that name the flag: unknown options, a missing
 * value (an option in its place included), a value for a boolean, a flag given twice. Everything after a bare
 * `--` is passed through untouched.
 */
export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, FlagSpec>>): ParsedArgs {
  const cut = argv.indexOf('--');
  const own = cut === -1 ? [...argv] : argv.slice(0, cut);
  const rest = cut === -1 ? [] : argv.slice(cut + 1);
  const options = Object.fromEntries(Object.entries(spec).map(([name, f]) => [name, { type: f.type }]));
  const { tokens } = nodeParseArgs({
    args: own,
    options: { ...options, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const flags: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(t.value);
    if (t.kind !== 'option') continue;
    const f = t.name === 'help' ? ({ type: 'boolean' } as const) : spec[t.name];
    // Only -h has a short form.
    const short = !t.rawName.startsWith('--');
    if (f === undefined || (short && t.name !== 'help'))
      throw new UsageError(
        short ? `unknown option ${JSON.stringify(t.rawName)}` : `unknown option --${t.name}`,
      );
    if (f.type === 'boolean') {
      if (t.inlineValue === true) throw new UsageError(`--${t.name} takes no value`);
      flags[t.name] = true;
      continue;
    }
    const value = t.value;
    if (value === undefined || value === '' || (t.inlineValue !== true && value.startsWith('--')))
      throw new UsageError(`--${t.name} needs a value`);
    if (flags[t.name] !== undefined) throw new UsageError(`--${t.name} given twice`);
    flags[t.name] = value;
  }
  return { flags, positionals, rest };
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function boolFlag(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true;
}

/** A positive integer flag (`--parallel 4`), with the flag named in the error. */
export function intFlag(args: ParsedArgs, name: string, fallback: number, min = 1, max = 10_000): number {
  const v = stringFlag(args, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return Number(v);
}

export function oneOf<T extends string>(
  args: ParsedArgs,
  name: string,
  allowed: readonly T[],
  fallback?: T,
): T | undefined {
  const v = stringFlag(args, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v))
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

/** Flags every command accepts: where the stack's outputs come from, and whether to change anything. */
export const COMMON_FLAGS: Readonly<Record<string, FlagSpec>> = {
  stack: {
    type: 'string',
    value: 'name',
    help: 'stack whose outputs to use (pulumi stack output --stack <name> --json --show-secrets)',
  },
  'outputs-file': {
    type: 'string',
    value: 'json',
    help: 'read the outputs from a file of the same shape instead of the Pulumi CLI',
  },
  'dry-run': { type: 'boolean', help: 'print what would be done and change nothing' },
  help: { type: 'boolean', help: 'show this help' },
};

export const COMMON_USAGE = `common options:\n${optionsHelp(COMMON_FLAGS)}`;

/** Output sink, so commands can be driven in-process by tests and print to the console in real use. */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

export const consoleIo: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** The command's own flags (COMMON_FLAGS come on top); its usage lists every one. */
  readonly flags: Readonly<Record<string, FlagSpec>>;
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}

/**
 * Wraps a command body with the shared error policy: usage errors print the message and the usage (64),
 * operational errors print the message (1). Anything else is a bug and propagates with its stack.
 */
export async function runCommand(
  usage: string,
  argv: readonly string[],
  io: CommandIo,
  spec: Readonly<Record<string, FlagSpec>>,
  body: (args: ParsedArgs) => Promise<number>,
): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, { ...COMMON_FLAGS, ...spec });
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`error: ${err.message}\n\n${usage}`);
      return EXIT_USAGE;
    }
    throw err;
  }
  if (boolFlag(args, 'help')) {
    io.out(usage);
    return EXIT_OK;
  }
  try {
    return await body(args);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`error: ${err.message}\n\n${usage}`);
      return EXIT_USAGE;
    }
    if (err instanceof OpsError) {
      io.err(`error: ${err.message}`);
      return EXIT_FAILURE;
    }
    throw err;
  }
}
