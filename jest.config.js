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
  // Skips (no root, no schemas, a missing tool) are listed once at the end of the run.
  globalSetup: '<rootDir>/tests/support/skip-setup.js',
  globalTeardown: '<rootDir>/tests/support/skip-teardown.js',
};
