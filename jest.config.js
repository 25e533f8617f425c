/** Two projects so either can run alone: `npm run test:unit`, `npm run test:integration`. */
const tsJest = ['ts-jest', { isolatedModules: true, diagnostics: false }];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  // Pulumi leaves a `google` global that Jest 30 would soft-delete with a warning.
  testEnvironmentOptions: { globalsCleanup: 'off' },
};

module.exports = {
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
