import { BENCH_FLAGS } from '../../../scripts/bench';
import { LAB_FLAGS, USAGE as LAB_USAGE } from '../../../scripts/lab';
import { COMMON_FLAGS, flagLabel, optionsHelp, type FlagSpec } from '../../../scripts/lib/cli-args';
import { PLAN_FLAGS, PLAN_USAGE } from '../../../scripts/plan';
import { COMMANDS } from '../../../scripts/stars';

/**
 * Help is made from the flag definitions: every flag an entry point parses has a help line, and its usage shows
 * that line, so no flag is undocumented and no documented flag is missing from the parser.
 */

const ENTRY_POINTS: readonly [string, string, Readonly<Record<string, FlagSpec>>][] = [
  ...COMMANDS.map((c): [string, string, Readonly<Record<string, FlagSpec>>] => [
    `stars ${c.name}`,
    c.usage,
    { ...COMMON_FLAGS, ...c.flags },
  ]),
  ['plan', PLAN_USAGE, PLAN_FLAGS],
  ['lab', LAB_USAGE, LAB_FLAGS],
];

describe('help from flag definitions', () => {
  test.each(ENTRY_POINTS)(
    '%s: every flag it parses has help, and its usage shows that line',
    (_name, usage, flags) => {
      for (const [name, spec] of Object.entries(flags)) {
        expect([name, spec.help ?? '']).not.toEqual([name, '']);
        const firstLine = (spec.help ?? '').split('\n')[0];
        expect(usage).toMatch(
          new RegExp(`\\n  ${escape(flagLabel(name, spec))} +${escape(firstLine)}(\\n|$)`),
        );
      }
    },
  );

  test('bench: its flags have help too', () => {
    expect(Object.values(BENCH_FLAGS).every((f) => (f.help ?? '') !== '')).toBe(true);
  });

  test('optionsHelp aligns on the longest flag, names values, and continues a multi-line help under itself', () => {
    expect(
      optionsHelp(
        {
          out: { type: 'string', value: 'dir', help: 'write here' },
          'dry-run': { type: 'boolean', help: 'change nothing\nnot even a file' },
          help: { type: 'boolean', help: 'show this help' },
        },
        0,
      ),
    ).toBe(
      [
        '  --out <dir>  write here',
        '  --dry-run    change nothing',
        '               not even a file',
        '  -h, --help   show this help',
      ].join('\n'),
    );
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
