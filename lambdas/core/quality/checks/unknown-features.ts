import { num, percent } from './check-sql.ts';
import { defineCheck, judgeRate, loadedBySource, RATE_RULES, type RateParams } from './define-check.ts';

/** maxPercent: highest share of a source's feature events that may name an unknown feature. */
export type UnknownFeaturesParams = RateParams;

export const UNKNOWN_FEATURES_DEFAULTS: UnknownFeaturesParams = {
  lookbackMinutes: 60,
  maxPercent: 1,
  minCount: 10,
};

/**
 * unknown-features: per source, the share of events with a feature id that the catalog does not know
 * (kept and flagged by the validator). Offending keys: the unknown ids, most frequent first.
 */
export const unknownFeaturesCheck = defineCheck<UnknownFeaturesParams>(
  {
    name: 'unknown-features',
    description: 'Share of feature events naming a feature id the catalog does not know, per source.',
    severity: 'warn',
    metric: { name: 'UnknownFeatureRate', unit: 'Percent', dimensions: ['SourceId'] },
    rules: RATE_RULES,
    async run(context, params) {
      const sources = await loadedBySource(context, params.lookbackMinutes, 'unknown_features', [
        'feature_events_by_source',
        'unknown_by_source_and_feature',
      ]);
      return sources.map(([source, total, unknown]) => {
        const ids = unknown
          .map((u) => ({ id: String(u.feature_id), events: num(u.events) }))
          .sort((a, b) => b.events - a.events || a.id.localeCompare(b.id));
        const unknownEvents = ids.reduce((sum, u) => sum + u.events, 0);
        const rate = percent(unknownEvents, num(total.events));
        const sample = ids.slice(0, context.sampleSize).map((u) => u.id);
        const detail = `${unknownEvents} of ${num(total.events)} feature events name ${ids.length} unknown feature id(s)`;
        return judgeRate(`source=${source}`, [source], [rate, unknownEvents], params, sample, detail);
      });
    },
  },
  UNKNOWN_FEATURES_DEFAULTS,
);
