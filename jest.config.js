/** Test tiers: unit (pure functions), graph (whole program under mocks), contract (schemas), process (real servers). */
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
  projects: [tier('unit'), tier('graph'), tier('contract'), tier('process')],
};
