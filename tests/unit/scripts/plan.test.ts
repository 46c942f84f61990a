import { parsePlanArgs } from '../../../scripts/plan';

describe('npm run plan arguments', () => {
  test.each([
    [['--stack', 'dev'], { stack: 'dev', svg: false }],
    [['--stack=staging', '--out', '/tmp/x'], { stack: 'staging', out: '/tmp/x', svg: false }],
    [['--stack', 'p', '--config-file', 'c.yaml'], { stack: 'p', configFile: 'c.yaml', svg: false }],
    [['--stack', 'dev', '--out', 'o', '--svg'], { stack: 'dev', out: 'o', svg: true }],
    [['--help'], 'help'],
  ])('%j parses to %j', (argv, expected) => {
    expect(parsePlanArgs(argv)).toEqual(expected);
  });

  test.each([
    [[], '--stack is required (dev, staging, production or your own)'],
    [['--stack'], '--stack needs a value'],
    [['--stack', '--out', 'x'], '--stack needs a value'],
    [['--stack', 'dev', '--verbose'], 'unknown option --verbose'],
    [['--stack', 'dev', 'extra'], 'unexpected argument "extra"'],
    [['--stack', 'dev', '--svg'], '--svg draws into the --out directory; give --out <dir>'],
  ])('%j is refused with a message naming the problem', (argv, message) => {
    expect(() => parsePlanArgs(argv)).toThrow(message);
  });
});
