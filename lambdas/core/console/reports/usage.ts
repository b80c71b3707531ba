import { addDays, isoWeekStart, parseSqlDate, toSqlDate } from '#core/warehouse/time.ts';
import { readNumber, readString } from '#core/warehouse/values.ts';
import { ReportParameterError } from '../errors.ts';
import type { ConsoleReport } from '../report.ts';

const FILE = 'console/usage';
const GRAINS = ['day', 'week'] as const;
const TABLES = {
  day: { usage_table: 'curated.feature_usage_daily', period_column: 'event_date' },
  week: { usage_table: 'curated.feature_usage_weekly', period_column: 'week_start' },
} as const;

/** Usage of one node of the tree (a feature, or all features at the root) over the range. */
export interface UsageNode {
  readonly featureId: string;
  readonly name: string | null;
  readonly level: number | null;
  /** False for ids the catalog does not know (counted at their own id only). */
  readonly known: boolean;
  readonly hasChildren: boolean;
  readonly events: number;
  /** Workspaces with at least one event of the node in the range. */
  readonly workspaces: number;
  /** Users per period (day or week) on average over every period of the range; null at the root. */
  readonly avgUsers: number | null;
  /** The most users in one period; null at the root. */
  readonly peakUsers: number | null;
}

const node = (row: Record<string, unknown>, periods: number, root: boolean): UsageNode => ({
  featureId: String(row.feature_id),
  name: readString(row.feature_name),
  level: readNumber(row.level),
  known: row.feature_known === true,
  hasChildren: row.has_children === true,
  events: readNumber(row.events) ?? 0,
  workspaces: readNumber(row.workspaces) ?? 0,
  avgUsers: root ? null : Math.round(((readNumber(row.user_periods) ?? 0) / periods) * 10) / 10,
  peakUsers: root ? null : (readNumber(row.peak_users) ?? 0),
});

/** Every period start of the range at the grain (weeks by their Monday). */
const periodsOf = (grain: 'day' | 'week', from: string, to: string): string[] => {
  const start = parseSqlDate(from) ?? new Date(0);
  const end = parseSqlDate(to) ?? start;
  const out: string[] = [];
  const step = grain === 'day' ? 1 : 7;
  for (let p = grain === 'day' ? start : isoWeekStart(start); p <= end; p = addDays(p, step))
    out.push(toSqlDate(p));
  return out;
};

/**
 * `usage`: the feature hierarchy as a drill-down tree. For the node `feature` (absent: the root, whose
 * children are the product areas and any unknown feature ids) its own totals, its children's totals
 * (events, workspaces, users per period), and its trend per period split by platform. Filters:
 * `workspace`, `platform` (default `all`), the range (`from`, `to`, default the last 30 days) and `grain`
 * (`day` or `week`; weeks are the ISO weeks that overlap the range).
 */
export const usageReport: ConsoleReport = {
  name: 'usage',
  summary:
    'events, users and workspaces per feature, drillable through the hierarchy, with the trend by platform',
  prepare(params, { today }) {
    const range = params.range(today, 30);
    const grain = params.oneOf('grain', GRAINS, 'day');
    const feature = params.key('feature');
    const workspace = params.key('workspace');
    const platform = params.key('platform') ?? 'all';
    return {
      params: { ...range, grain, feature, workspace, platform },
      async run(reads) {
        const periods = periodsOf(grain, range.from, range.to);
        const values = {
          feature,
          workspace,
          platform,
          period_from: periods[0] ?? range.from,
          period_to: range.to,
        };
        const table = TABLES[grain];
        // the scoped statement on the grain's tables, with the sections `sections` turns on
        const scoped = (sections: Record<string, string>, scope: 'self' | 'children') =>
          reads.template(FILE, 'scoped', { ...table, ...sections }, { ...values, scope });
        const [self] = await scoped({ totals: 'on' }, 'self');
        const root = feature === null;
        if (!root && (self === undefined || (self.feature_known !== true && readNumber(self.events) === 0))) {
          throw new ReportParameterError('usage', [
            {
              parameter: 'feature',
              reason: `no feature ${JSON.stringify(feature)} in the catalog or in this range's usage`,
            },
          ]);
        }
        const children = await scoped({ totals: 'on' }, 'children');
        const trend = await scoped({ by_platform: 'on' }, 'self');
        return {
          periods,
          node: self === undefined ? null : node(self, periods.length, root),
          children: children.map((c) => node(c, periods.length, false)),
          trend: trend.map((t) => ({
            period: String(t.period),
            platform: String(t.platform),
            events: readNumber(t.events) ?? 0,
            users: root ? null : (readNumber(t.users) ?? 0),
          })),
        };
      },
    };
  },
};
