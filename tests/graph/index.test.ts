import { runStack } from './harness';

describe('the program under the mock runtime', () => {
  test.each(['dev', 'staging', 'production'])(
    'builds the %s stack and exports its environment',
    async (stack) => {
      const run = await runStack(stack);
      expect(run.outputs.environment).toBe(stack);
    },
  );
});
