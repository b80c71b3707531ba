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
  // the package.json imports (Node resolves them too; the mapper keeps Jest independent of its resolver)
  moduleNameMapper: {
    '^#core/(.*)$': '<rootDir>/lambdas/core/$1',
    '^#adapters/(.*)$': '<rootDir>/lambdas/adapters/$1',
    '^#demo/(.*)$': '<rootDir>/lambdas/demo/$1',
    '^#local/(.*)$': '<rootDir>/lambdas/local/$1',
    '^#handlers/(.*)$': '<rootDir>/lambdas/handlers/$1',
    '^#middleware/(.*)$': '<rootDir>/lambdas/middleware/$1',
    '^#lib/(.*)$': '<rootDir>/lib/$1',
    '^#bin/(.*)$': '<rootDir>/bin/$1',
    '^#test/(.*)$': '<rootDir>/test/$1',
  },
};
