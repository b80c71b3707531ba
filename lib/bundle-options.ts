/**
 * esbuild settings every Lambda bundle uses, shared by the CDK project function and the
 * bundle-size script so the sizes reported are the sizes deployed.
 */
export const BUNDLE_OPTIONS = {
  target: 'node20',
  /** Prefer ESM entry points of dependencies: smaller, tree-shakeable. */
  mainFields: ['module', 'main'],
  /** The Lambda runtime (LAMBDA_RUNTIME, Node.js 22) provides the AWS SDK v3. */
  externalModules: ['@aws-sdk/*'],
  /**
   * ESM bundles cannot `require`; some CommonJS dependencies still do (e.g. `require('os')`).
   * esbuild's shim uses a global `require` when one exists, so define it.
   */
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const;

/** The handlers whose bundles must stay small (target under 300 KB each). */
export const LATENCY_CRITICAL_HANDLERS = [
  'lambdas/handlers/collector.ts',
  'lambdas/handlers/validator.ts',
] as const;

/** Bundle size budget of a latency-critical handler, in bytes. */
export const BUNDLE_BUDGET_BYTES = 300 * 1024;
