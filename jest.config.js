/** ESM TypeScript through ts-jest (Middy 7 is ESM-only). Run with NODE_OPTIONS=--experimental-vm-modules. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  setupFiles: ['<rootDir>/test/setup/env.ts'],
  testTimeout: 30000,
  // docs/COMPATIBILITY.md is written by the run of test/compat (only when every compat cell ran).
  reporters: ['default', '<rootDir>/test/compat/compat-reporter.cjs'],
};
