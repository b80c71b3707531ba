import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Template } from 'aws-cdk-lib/assertions';
import { BUNDLE_BUDGET_BYTES } from '../../lib/bundle-options.ts';
import { synthesize } from './synth.ts';

// The one place the suite bundles for real, with the local esbuild (no Docker), as `cdk synth` does.
let assembly: string;
let template: Template;
beforeAll(() => {
  const synthesized = synthesize({ 'aws:cdk:enable-asset-metadata': true }, { bundle: true });
  template = synthesized.template;
  assembly = synthesized.app.synth().directory;
}, 120_000);

const assetOf = (logicalIdPrefix: string): string => {
  const entry = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
    id.startsWith(logicalIdPrefix),
  );
  expect(entry).toBeDefined();
  return join(assembly, entry![1].Metadata['aws:asset:path']);
};

describe('Lambda bundles', () => {
  it.each(['CollectorHandler', 'ValidatorHandler', 'TransformHandler', 'QualityHandler', 'ErasureHandler'])(
    '%s is one minified ESM file with an external source map',
    (fn) => {
      const asset = assetOf(fn);

      expect(readdirSync(asset).filter((f) => f.startsWith('index.'))).toEqual([
        'index.mjs',
        'index.mjs.map',
      ]);
    },
  );

  it.each(['CollectorHandler', 'ValidatorHandler'])('%s stays under the 300 KB budget', (fn) => {
    expect(statSync(join(assetOf(fn), 'index.mjs')).size).toBeLessThan(BUNDLE_BUDGET_BYTES);
  });

  it('ships the SQL library and the feature catalog beside the transform', () => {
    const asset = assetOf('TransformHandler');

    expect(existsSync(join(asset, 'sql', 'models'))).toBe(true);
    expect(existsSync(join(asset, 'schemas', 'features.json'))).toBe(true);
  });

  it('ships the quality queries and the statements writing results beside the quality job, and nothing it does not read', () => {
    const asset = assetOf('QualityHandler');

    expect(existsSync(join(asset, 'sql', 'quality', 'freshness.sql'))).toBe(true);
    expect(existsSync(join(asset, 'sql', 'quality', 'quality_results.sql'))).toBe(true);
    expect(existsSync(join(asset, 'schemas'))).toBe(false);
  });

  it('ships the erasure SQL, the models and the feature catalog beside the erasure job', () => {
    const asset = assetOf('ErasureHandler');

    expect(existsSync(join(asset, 'sql', 'erasure', 'erase.sql'))).toBe(true);
    expect(existsSync(join(asset, 'sql', 'models'))).toBe(true);
    expect(existsSync(join(asset, 'schemas', 'features.json'))).toBe(true);
  });

  it('ships the JSON Schemas beside the validator', () => {
    const schemas = join(assetOf('ValidatorHandler'), 'schemas');

    expect(existsSync(join(schemas, 'events'))).toBe(true);
    expect(readdirSync(join(schemas, 'events')).length).toBeGreaterThan(0);
  });
});
