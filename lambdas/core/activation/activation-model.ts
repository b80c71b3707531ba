import { exec, type ModelContext, type ModelDefinition, query } from '#core/warehouse/model.ts';
import { parseSqlDate, toSqlDate } from '#core/warehouse/time.ts';
import { readNumber } from '#core/warehouse/values.ts';
import { type FactDeclaration, factFingerprint, factValues } from './fact.ts';
import { firstLastModelName } from './first-last-model.ts';
import { addPeriods, type Grain, spine } from './grain.ts';
import { currentPeriod, currentPeriodEnd, floorPeriod, retentionPeriod } from './horizons.ts';
import { readSqlDate } from './read-date.ts';
import type { ActivationSettings } from './settings.ts';

const STATES = 'activation/activation_states';
const SUMMARY = 'activation/activation_summary';
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
 * gives. The summary is recomputed from the earliest changed period on.
 */
export const activationModel = (
  fact: FactDeclaration,
  grain: Grain,
  settings: ActivationSettings,
): ModelDefinition => {
  const fingerprint = factFingerprint(fact, { grain, inactiveHorizon: settings.inactiveHorizon[grain] });
  const base = { ...factValues(fact), grain, inactive_horizon: settings.inactiveHorizon[grain] };
  const deleteFrom = async (ctx: ModelContext, from: string): Promise<void> => {
    await exec(ctx, STATES, 'delete_from', { ...base, from_period: from });
    await exec(ctx, SUMMARY, 'delete_from', { ...base, from_period: from });
  };
  return {
    name: activationModelName(fact, grain),
    dependsOn: [firstLastModelName(fact)],
    sqlFiles: [STATES, SUMMARY],
    selectable: true,
    async run(ctx) {
      const floor = floorPeriod(grain, ctx.asOf, ctx.settings);
      const current = currentPeriod(grain, ctx.asOf);
      const previous = parseState(ctx.previousState);
      let through: Date;
      if (previous?.fingerprint === fingerprint) {
        through = later(previous.through, addPeriods(grain, floor, -1));
      } else {
        await deleteFrom(ctx, previous ? ALL_PERIODS : toSqlDate(floor));
        through = addPeriods(grain, floor, -1);
      }
      const next = addPeriods(grain, through, 1);
      const values = {
        ...base,
        floor_period: toSqlDate(floor),
        current_period: toSqlDate(current),
        period_end: toSqlDate(currentPeriodEnd(grain, ctx.asOf)),
        last_period: toSqlDate(through),
        next_period: toSqlDate(next),
      };
      await exec(ctx, STATES, 'clear_candidates');
      await exec(ctx, STATES, 'clear_scope');
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
        const periods = JSON.stringify(spine(grain, addPeriods(grain, from, -1), current));
        await exec(ctx, STATES, 'delete_scope_rows', values);
        written += await exec(ctx, STATES, 'insert_scope_rows', { ...values, periods });
      }
      const summaryFrom = earlier(from, next <= current ? next : null);
      if (summaryFrom) {
        const periods = JSON.stringify(spine(grain, addPeriods(grain, summaryFrom, -1), current));
        const summaryValues = { ...values, periods, from_period: toSqlDate(summaryFrom) };
        await exec(ctx, SUMMARY, 'delete_from', summaryValues);
        written += await exec(ctx, SUMMARY, 'insert_periods', summaryValues);
      }
      const expired = { ...base, before_period: toSqlDate(retentionPeriod(grain, ctx.asOf, ctx.settings)) };
      await exec(ctx, STATES, 'delete_before', expired);
      await exec(ctx, SUMMARY, 'delete_before', expired);
      return {
        rowsRead: users,
        rowsWritten: written,
        state: `${fingerprint}@${toSqlDate(later(through, current))}`,
      };
    },
    clear: (ctx) => deleteFrom(ctx, toSqlDate(floorPeriod(grain, ctx.asOf, ctx.settings))),
  };
};
