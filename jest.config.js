/**
 * ESM TypeScript through ts-jest (Middy 7 is ESM-only). Run with NODE_OPTIONS=--experimental-vm-modules (`npm test`).
 * On two cores Jest runs the files in its own process (one worker = in band), and each ESM test file's module graph
 * stays in the heap: past ~215 files the default 4 GB heap ran out, so `npm test` gives it 12 GB.
 */
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
