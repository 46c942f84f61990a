/**
 * Test tiers: unit (pure functions), graph (whole program under mocks), contract (schemas), process (real servers),
 * lab (real hosts: containers with systemd, sshd and their own Docker engine, made by `npm run lab`).
 */
const tier = (name, extra = {}) => ({
  displayName: name,
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: [`<rootDir>/tests/${name}`],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  ...extra,
});

module.exports = {
  projects: [tier('unit'), tier('graph'), tier('contract'), tier('process'), tier('lab')],
  // Suites run in a worker that is replaced whenever a suite leaves it above this much memory, so what one suite
  // leaves behind (mocked runtimes, whole program runs) never adds up across the run. Setting it also makes jest
  // use a worker on a 2-core machine, where it would otherwise run every suite in its own process.
  workerIdleMemoryLimit: '1536MB',
  // Skips (no root, no schemas, a missing tool) are listed once at the end of the run.
  globalSetup: '<rootDir>/tests/support/skip-setup.js',
  globalTeardown: '<rootDir>/tests/support/skip-teardown.js',
};
