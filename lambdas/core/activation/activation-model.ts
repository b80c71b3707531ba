import { exec, execTemplate, type ModelContext, type ModelDefinition, query } from '#core/warehouse/model.ts';
import type { SqlValues } from '#core/warehouse/sql-exec.ts';
import { parseSqlDate, toSqlDate } from '#core/warehouse/time.ts';
import { readNumber } from '#core/warehouse/values.ts';
import { type FactDeclaration, factFingerprint, factValues } from './fact.ts';
import { FAMILY_FEATURES_FILE, familyFeatures } from './family-features.ts';
import { firstLastModelName } from './first-last-model.ts';
import { addPeriods, type Grain, spine } from './grain.ts';
import {
  currentPeriod,
  currentPeriodEnd,
  factFloorPeriod,
  firstLastDailyFrom,
  floorPeriod,
  retentionPeriod,
} from './horizons.ts';
import { readSqlDate } from './read-date.ts';
import type { ActivationSettings } from './settings.ts';

const STATES = 'activation/activation_states';
const SUMMARY = 'activation/activation_summary';
const PERIODS = 'activation/periods';
const STATES_TABLE = 'curated.activation_states';
const SUMMARY_TABLE = 'curated.activation_summary';
const ALL_PERIODS = '1970-01-01';

/** Model name (and view name without schema) of a fact's activation at one grain. */
export const activationModelName = (fact: FactDeclaration, grain: Grain): string =>
  `${fact.name}_activation_${grain}`;

/** ops.watermarks.state of an activation model: the definition's fingerprint and the last period built. */
interface ActivationState {
  readonly fingerprint: string;
  readonly through: Date;
}

const parseState = (state: string | null): ActivationState | null => {
  const [fingerprint, through] = (state ?? '').split('@');
  const date = parseSqlDate(through ?? '');
  return fingerprint && date ? { fingerprint, through: date } : null;
};

const later = (a: Date, b: Date): Date => (a > b ? a : b);
const earlier = (a: Date | null, b: Date | null): Date | null => (a && b ? (a < b ? a : b) : (a ?? b));

/**
 * The activation models' generator: curated.activation_states and curated.activation_summary rows of one
 * fact at one grain (DESIGN section 7), materialised up to the as-of period.
 *
 * A run recomputes, for each candidate user, every period from the first one that may have changed:
 * periods of newly inserted fact events (late ones included), periods of replaced or forced events, and
 * the periods that began since the last run (for users listed in the last built period, whose inactive
 * rows continue, and for users active in the new periods). Each candidate's rows from that period on are
 * deleted and derived again, so a rerun, a late event or a rebuild all give the rows the full history
 * gives. The summary is rewritten from the earliest changed period on: recounted, or, in an incremental run,
 * the stored counts plus the run's delta (writeSummary).
 */
export const activationModel = (
  fact: FactDeclaration,
  grain: Grain,
  settings: ActivationSettings,
): ModelDefinition => {
  const fingerprint = factFingerprint(fact, { grain, inactiveHorizon: settings.inactiveHorizon[grain] });
  const base = { ...factValues(fact), grain, inactive_horizon: settings.inactiveHorizon[grain] };
  /** The fact's rows at this grain in `tables`, from a period on or before one (sql/activation/periods.sql). */
  const deletePeriods = async (
    ctx: ModelContext,
    name: 'delete_from' | 'delete_before',
    values: SqlValues,
    tables = [STATES_TABLE, SUMMARY_TABLE],
  ) => {
    for (const table of tables) {
      await execTemplate(ctx, PERIODS, name, { table }, { ...base, ...values });
    }
  };
  /**
   * The summary from period `from` on. `byDelta`: the stored counts plus the run's delta instead of a
   * recount of every user's rows of those periods; only for a run that kept both tables in step (an
   * incremental run of an unchanged definition: an erasure deletes state rows itself), from after the
   * first period runs recompute (the one before `from` gives previous_active_users and must be one whose
   * stored counts are kept), and where that period has its row (it carries the users seen before).
   */
  const writeSummary = async (
    ctx: ModelContext,
    values: SqlValues,
    from: Date,
    current: Date,
    byDelta: boolean,
  ) => {
    const before = addPeriods(grain, from, -1);
    const period = { ...values, from_period: toSqlDate(from), previous_period: toSqlDate(before) };
    const [previous] = await query(ctx, SUMMARY, 'seen_before', period);
    const [counted] = previous
      ? [previous]
      : await query(ctx, SUMMARY, 'seen_before_from_first_last', period);
    await exec(ctx, SUMMARY, byDelta && previous ? 'count_delta' : 'count_states', period);
    await deletePeriods(ctx, 'delete_from', period, [SUMMARY_TABLE]);
    return exec(ctx, SUMMARY, 'insert_periods', {
      ...period,
      seen_before_from: readNumber(counted?.users) ?? 0,
      periods: JSON.stringify(spine(grain, before, current)),
    });
  };
  const deleteFrom = (ctx: ModelContext, from: string) =>
    deletePeriods(ctx, 'delete_from', { from_period: from });
  return {
    name: activationModelName(fact, grain),
    dependsOn: [firstLastModelName(fact)],
    sqlFiles: [STATES, SUMMARY, PERIODS, FAMILY_FEATURES_FILE],
    selectable: true,
    async run(ctx) {
      const recomputeFloor = floorPeriod(grain, ctx.asOf, ctx.settings);
      const current = currentPeriod(grain, ctx.asOf);
      const previous = parseState(ctx.previousState);
      let through: Date;
      const unchanged = previous?.fingerprint === fingerprint;
      if (unchanged) {
        through = previous.through;
      } else {
        await deleteFrom(ctx, previous ? ALL_PERIODS : toSqlDate(recomputeFloor));
        through = addPeriods(grain, recomputeFloor, -1);
      }
      const next = addPeriods(grain, through, 1);
      // Periods never built (runs further apart than the floor moves) are built from what the fact holds.
      const floor = later(
        factFloorPeriod(grain, ctx.asOf, ctx.settings),
        earlier(recomputeFloor, next) ?? next,
      );
      const values = {
        ...base,
        family_features: await familyFeatures(ctx, fact),
        floor_period: toSqlDate(floor),
        current_period: toSqlDate(current),
        period_end: toSqlDate(currentPeriodEnd(grain, ctx.asOf)),
        last_period: toSqlDate(through),
        next_period: toSqlDate(next),
        daily_from: toSqlDate(firstLastDailyFrom(ctx.asOf, settings)),
      };
      // The scratch tables are empty here: every run clears them before it commits, and one that fails rolls back.
      if (next <= current) {
        await exec(ctx, STATES, 'candidates_listed', values);
        await exec(ctx, STATES, 'candidates_new_periods', values);
      }
      if (ctx.run.deltaRows > ctx.run.recomputeRows) await exec(ctx, STATES, 'candidates_inserted', values);
      if (ctx.run.recomputeRows > 0) await exec(ctx, STATES, 'candidates_recomputed', values);
      await exec(ctx, STATES, 'build_scope', values);
      const [scope] = await query(ctx, STATES, 'scope_start');
      const users = readNumber(scope?.users) ?? 0;
      const from = readSqlDate(scope?.from_period);
      let written = 0;
      if (from) {
        const seed = addPeriods(grain, from, -1);
        const scope = { ...values, scope_from: toSqlDate(from), seed_from: toSqlDate(seed) };
        await exec(ctx, STATES, 'save_prior', scope);
        await exec(ctx, STATES, 'scope_next', scope);
        await exec(ctx, STATES, 'delete_scope_rows', scope);
        await exec(ctx, STATES, 'insert_scope_rows', {
          ...scope,
          periods: JSON.stringify(spine(grain, seed, current)),
        });
        written += await exec(ctx, STATES, 'publish_rows');
      }
      const summaryFrom = earlier(from, next <= current ? later(next, floor) : null);
      if (summaryFrom) {
        const byDelta = unchanged && ctx.mode === 'incremental' && summaryFrom > recomputeFloor;
        written += await writeSummary(ctx, values, summaryFrom, current, byDelta);
      }
      await deletePeriods(ctx, 'delete_before', {
        before_period: toSqlDate(retentionPeriod(grain, ctx.asOf, ctx.settings)),
      });
      // scratch rows name users: none outlives the run (an erasure's recompute must leave no trace of its subject)
      await exec(ctx, STATES, 'clear_candidates');
      await exec(ctx, STATES, 'clear_scope');
      await exec(ctx, STATES, 'clear_rows');
      await exec(ctx, SUMMARY, 'clear_counts');
      return {
        rowsRead: users,
        rowsWritten: written,
        state: `${fingerprint}@${toSqlDate(later(through, current))}`,
      };
    },
    clear: (ctx) => deleteFrom(ctx, toSqlDate(floorPeriod(grain, ctx.asOf, ctx.settings))),
  };
};
