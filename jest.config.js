/** Two projects so either can run alone: `npm run test:unit`, `npm run test:integration`. */
// Type-checking is `npm run typecheck` (tsc), once for the whole tree; ts-jest only transpiles.
const tsJest = ['ts-jest', { diagnostics: false }];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  // Pulumi leaves a `google` global that Jest 30 would soft-delete with a warning.
  testEnvironmentOptions: { globalsCleanup: 'off' },
};

module.exports = {
  // End-to-end tests start the runtime and wait for workflows; each still ends in seconds.
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/postgres-global-setup.mjs',
      globalTeardown: '<rootDir>/test/helpers/postgres-global-teardown.mjs',
    },
  ],
};
