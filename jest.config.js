/** Jest runs the TypeScript sources as native ESM through SWC; no build step. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'es6' } },
    ],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // Property tests run many transform passes on DuckDB; on a loaded 2-core machine one can take a minute.
  testTimeout: 120000,
  maxWorkers: 2,
};
