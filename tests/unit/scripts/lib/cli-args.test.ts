import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  OpsError,
  UsageError,
  intFlag,
  oneOf,
  parseArgs,
  runCommand,
} from '../../../../scripts/lib/cli-args';
import { captureIo, type CapturedIo } from '../../../support/capture-io';

const SPEC = { out: { type: 'string' }, prune: { type: 'boolean' }, parallel: { type: 'string' } } as const;

const capture = (): CapturedIo => captureIo();

describe('parseArgs', () => {
  test.each([
    [['--out', 'dir', 'b1'], { flags: { out: 'dir' }, positionals: ['b1'], rest: [] }],
    [['--out=dir', '--prune'], { flags: { out: 'dir', prune: true }, positionals: [], rest: [] }],
    [
      ['--prune', '--', 'ls', '--out', '-la'],
      { flags: { prune: true }, positionals: [], rest: ['ls', '--out', '-la'] },
    ],
    [['-h'], { flags: { help: true }, positionals: [], rest: [] }],
  ])('%j parses to %j', (argv, expected) => {
    expect(parseArgs(argv, SPEC)).toEqual(expected);
  });

  test.each([
    [['--verbose'], 'unknown option --verbose'],
    [['-v'], 'unknown option "-v"'],
    [['--out'], '--out needs a value'],
    [['--out', '--prune'], '--out needs a value'],
    [['--out='], '--out needs a value'],
    [['--prune=yes'], '--prune takes no value'],
    [['--out', 'a', '--out', 'b'], '--out given twice'],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseArgs(argv, SPEC)).toThrow(new UsageError(message));
  });

  test.each([
    ['0', '--parallel must be a whole number from 1 to 100, got "0"'],
    ['2.5', '--parallel must be a whole number from 1 to 100, got "2.5"'],
    ['ten', '--parallel must be a whole number from 1 to 100, got "ten"'],
  ])('intFlag refuses %s', (value, message) => {
    expect(() => intFlag(parseArgs(['--parallel', value], SPEC), 'parallel', 10, 1, 100)).toThrow(message);
  });

  test('intFlag and oneOf fall back to their defaults when the flag is absent', () => {
    const args = parseArgs([], SPEC);
    expect(intFlag(args, 'parallel', 10)).toBe(10);
    expect(oneOf(args, 'out', ['a', 'b'], 'a')).toBe('a');
  });
});

describe('runCommand exit codes', () => {
  const usage = 'usage: test';
  test('a usage error prints the message and the usage and exits 64', async () => {
    const io = capture();
    expect(await runCommand(usage, ['--nope'], io, SPEC, async () => EXIT_OK)).toBe(EXIT_USAGE);
    expect(io.stderr).toEqual(['error: unknown option --nope\n\nusage: test']);
  });

  test('--help prints the usage to stdout and exits 0 without running the body', async () => {
    const io = capture();
    let ran = false;
    expect(
      await runCommand(usage, ['--help'], io, SPEC, async () => {
        ran = true;
        return EXIT_OK;
      }),
    ).toBe(EXIT_OK);
    expect(io.stdout).toEqual(['usage: test']);
    expect(ran).toBe(false);
  });

  test('an operational error prints only the message and exits 1', async () => {
    const io = capture();
    const code = await runCommand(usage, [], io, SPEC, async () => {
      throw new OpsError('Marathon is unreachable');
    });
    expect(code).toBe(EXIT_FAILURE);
    expect(io.stderr).toEqual(['error: Marathon is unreachable']);
  });

  test('any other error is a bug and propagates', async () => {
    await expect(
      runCommand(usage, [], capture(), SPEC, async () => {
        throw new TypeError('boom');
      }),
    ).rejects.toThrow('boom');
  });
});
