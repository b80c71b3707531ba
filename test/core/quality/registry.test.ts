import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UnknownCheckError } from '#core/quality/errors.ts';
import { checkNames, declaredChecks, selectChecks } from '#core/quality/registry.ts';

const runbook = (name: string) =>
  fileURLToPath(new URL(`../../../docs/runbooks/${name}.md`, import.meta.url));

describe('the declared checks', () => {
  it('are the twelve checks of the data quality issue, freshness-p95 of the launch issue, unloadable-lines of the loaders, dedup-window of the bounded fact and unplanned-events of the tracking plans, freshness first', () => {
    expect(checkNames()).toEqual([
      'freshness-raw',
      'freshness-curated',
      'freshness-p95',
      'reconciliation',
      'unloadable-lines',
      'null-keys',
      'key-uniqueness',
      'referential-integrity',
      'rejection-rate',
      'duplicate-rate',
      'dedup-window',
      'unknown-features',
      'unplanned-events',
      'timestamp-drift',
      'volume-hourly',
      'volume-daily',
    ]);
  });

  it.each(checkNames())('%s has a runbook at docs/runbooks/<name>.md', (name) => {
    expect(existsSync(runbook(name))).toBe(true);
  });

  it('each publish a metric with a unit and named dimensions', () => {
    for (const check of declaredChecks()) {
      expect(check.metric.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(['Count', 'Percent', 'Seconds', 'None']).toContain(check.metric.unit);
      for (const dimension of check.metric.dimensions) expect(dimension).toMatch(/^[A-Z][A-Za-z]+$/);
    }
  });
});

describe('selectChecks', () => {
  it('selects every check when no name is given', () => {
    expect(selectChecks([]).map((c) => c.name)).toEqual(checkNames());
  });

  it('selects the named checks in declaration order', () => {
    expect(selectChecks(['volume-daily', 'null-keys']).map((c) => c.name)).toEqual([
      'null-keys',
      'volume-daily',
    ]);
  });

  it('refuses unknown names all at once, listing the known ones', () => {
    expect(() => selectChecks(['nul-keys', 'volume'])).toThrow(UnknownCheckError);
    expect(() => selectChecks(['nul-keys', 'volume'])).toThrow(
      /^unknown checks nul-keys, volume; known checks: freshness-raw, /,
    );
  });
});
