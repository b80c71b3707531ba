import { exec, execTemplate, type ModelContext, type ModelDefinition, query } from '#core/warehouse/model.ts';
import type { Row } from '#core/warehouse/ports.ts';
import type { SqlValues } from '#core/warehouse/sql-exec.ts';
import { parseSqlDate, toSqlDate } from '#core/warehouse/time.ts';
import { readString } from '#core/warehouse/values.ts';
import { type FactDeclaration, factFingerprint, factValues } from './fact.ts';
import { FAMILY_FEATURES_FILE, familyFeatures } from './family-features.ts';
import { firstLastDailyFrom, firstLastKeepFrom } from './horizons.ts';
import type { ActivationSettings } from './settings.ts';

const FILE = 'activation/user_first_last';
const EVER = '1970-01-01';
const NEVER = '9999-12-31';

/** Stages the FirstLast buckets of the fact rows of `source` (template `buckets`). */
const stageBuckets = (ctx: ModelContext, source: 'inserted' | 'recomputed' | 'all', values: SqlValues) =>
  execTemplate(ctx, FILE, 'buckets', { source }, values);

/**
 * Runs statement `name` of the model's file over the range a row names (`<range>_from` .. `<range>_to`),
 * when it names one (a NULL start: nothing to redo).
 */
const execOnRange = async (
  ctx: ModelContext,
  name: string,
  values: SqlValues,
  row: Row | undefined,
  range: 'recomputed' | 'moved',
): Promise<void> => {
  const from = readString(row?.[`${range}_from`]);
  if (from === null) return;
  await exec(ctx, FILE, name, {
    ...values,
    [`${range}_from`]: from,
    [`${range}_to`]: readString(row?.[`${range}_to`]),
  });
};

/** Model name of a fact's FirstLast model. */
export const firstLastModelName = (fact: FactDeclaration): string => `${fact.name}_first_last`;

/** Model name of the step that saves a fact's users' spans once the activation models have read them. */
export const spanModelName = (fact: FactDeclaration): string => `${fact.name}_first_last_span`;

/**
 * ops.watermarks.state of the FirstLast model: the filter's fingerprint and the daily window's first day at
 * the last compaction (day rows before it are all compacted). A state without the day (written before
 * curated.user_first_last_current existed) makes the next run build the spans once.
 */
interface FirstLastState {
  readonly fingerprint: string;
  readonly compactedTo: string | null;
}

const parseState = (state: string | null): FirstLastState | null => {
  if (!state) return null;
  const [fingerprint = '', day] = state.split('@');
  return { fingerprint, compactedTo: day && parseSqlDate(day) ? day : null };
};

/**
 * curated.user_first_last for one fact. Each run compacts day rows that fell out of the daily window into
 * month rows, then recomputes from the fact table the snapshot rows its changes touch: days with newly
 * inserted fact events, and every day of replaced or forced events (unfiltered: the fact table decides).
 * The touched users' new spans (first and last active dates) go to work.first_last_spans, from their
 * previous span (curated.user_first_last_current) and their new rows, and their rows' first_active_date
 * follows; the span model saves the spans after the activation models. Every read is bounded by the days
 * the run touches (or, for a user whose events were replaced, by that user's span).
 * On the first run, after a rebuild, or when the filter changed, every row the fact table can derive is
 * rebuilt (a changed filter drops history too).
 */
export const firstLastModel = (fact: FactDeclaration, settings: ActivationSettings): ModelDefinition => {
  const fingerprint = factFingerprint(fact);
  const bounds = (ctx: ModelContext) => ({
    ...factValues(fact),
    keep_from: toSqlDate(firstLastKeepFrom(ctx.asOf, ctx.settings)),
    daily_from: toSqlDate(firstLastDailyFrom(ctx.asOf, settings)),
  });
  return {
    name: firstLastModelName(fact),
    dependsOn: ['fct_feature_events', 'feature_closure'],
    sqlFiles: [FILE, FAMILY_FEATURES_FILE],
    selectable: true,
    async run(ctx) {
      const values = { ...bounds(ctx), family_features: await familyFeatures(ctx, fact) };
      const previous = parseState(ctx.previousState);
      const full = previous?.fingerprint !== fingerprint;
      const state = `${fingerprint}@${values.daily_from}`;
      let written = 0;
      const compactedFrom = previous?.compactedTo ?? EVER;
      if (compactedFrom < values.daily_from) {
        const compaction = { ...values, compacted_from: compactedFrom };
        written += await exec(ctx, FILE, 'compact_month_rows', compaction);
        await exec(ctx, FILE, 'compact_day_rows', compaction);
      }
      if (!full && previous?.compactedTo === null) {
        // curated.user_first_last_current is new: the spans as every row has them so far
        await exec(ctx, FILE, 'delete_spans', values);
        await exec(ctx, FILE, 'spans_before', { ...values, spans_before: NEVER });
      }
      if (!full && ctx.run.deltaRows === 0) return { rowsRead: 0, rowsWritten: written, state };
      await exec(ctx, FILE, 'clear_buckets');
      await exec(ctx, FILE, 'clear_spans');
      if (full) {
        await exec(ctx, FILE, previous === null ? 'delete_kept_range' : 'delete_fact', values);
        // the previous spans the activation models see: the history the fact no longer holds
        await exec(ctx, FILE, 'delete_spans', values);
        await exec(ctx, FILE, 'spans_before', { ...values, spans_before: values.keep_from });
        await stageBuckets(ctx, 'all', values);
      } else {
        if (ctx.run.deltaRows > ctx.run.recomputeRows) await stageBuckets(ctx, 'inserted', values);
        if (ctx.run.recomputeRows > 0) await stageBuckets(ctx, 'recomputed', values);
      }
      const [range] = await query(ctx, FILE, 'bucket_range', values);
      const buckets = {
        ...values,
        buckets_from: readString(range?.buckets_from),
        buckets_to: readString(range?.buckets_to),
      };
      if (buckets.buckets_from !== null) {
        await exec(ctx, FILE, 'delete_buckets', buckets);
        written += await exec(ctx, FILE, 'insert_buckets', buckets);
      }
      if (full) {
        await exec(ctx, FILE, 'spans_rebuilt', values);
        await exec(ctx, FILE, 'align_all', values);
      } else if (buckets.buckets_from !== null) {
        await exec(ctx, FILE, 'spans_inserted', buckets);
        await execOnRange(ctx, 'spans_recomputed', values, range, 'recomputed');
        await exec(ctx, FILE, 'align_buckets', buckets);
        const [moved] = await query(ctx, FILE, 'moved_range', values);
        await execOnRange(ctx, 'align_moved', values, moved, 'moved');
      }
      // scratch rows name users: none outlives the run (an erasure's recompute must leave no trace of its subject)
      await exec(ctx, FILE, 'clear_buckets');
      return { rowsRead: ctx.run.deltaRows, rowsWritten: written, state };
    },
    clear: async (ctx) => {
      await exec(ctx, FILE, 'delete_kept_range', bounds(ctx));
      await exec(ctx, FILE, 'delete_spans', bounds(ctx));
    },
  };
};

/**
 * Saves the spans the FirstLast model computed (work.first_last_spans) in curated.user_first_last_current,
 * after `readers` (the fact's activation models), which read the previous spans. Empties the scratch.
 */
export const spanModel = (fact: FactDeclaration, readers: readonly string[]): ModelDefinition => ({
  name: spanModelName(fact),
  dependsOn: [firstLastModelName(fact), ...readers],
  sqlFiles: [FILE],
  selectable: true,
  // It reads no loads of its own: the FirstLast model's watermark says what its spans reflect.
  watermark: false,
  async run(ctx) {
    const values = factValues(fact);
    await exec(ctx, FILE, 'save_spans', values);
    const written = await exec(ctx, FILE, 'insert_spans', values);
    await exec(ctx, FILE, 'clear_spans');
    return { rowsRead: written, rowsWritten: written };
  },
});
