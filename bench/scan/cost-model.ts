/**
 * The Snowflake warehouse line of the cost estimate (docs/DEPLOY.md), derived from the scan benchmark:
 * rows scanned per run at the longest history, scaled to the reference customer, converted to bytes and
 * to seconds of warehouse time, then to billed seconds per run (Snowflake's 60 s minimum per resume and
 * the `AUTO_SUSPEND` idle time) and credits per month. Every assumption is a named field of
 * {@link CostAssumptions}, printed with the table (`npm run cost:model`), so the doc's figures are
 * reproducible and each one can be challenged by changing it.
 */

/** The JSON summary `npm run bench:scan -- --save <file>` writes (its last stdout line). */
export interface ScanSummary {
  readonly transform: Readonly<Record<string, number>>;
  readonly quality: Readonly<Record<string, number>>;
  readonly erasure: Readonly<Record<string, number>>;
  readonly stored: Readonly<Record<string, number>>;
  readonly new_rows: number;
  /** The benchmark's scale, 1/`scale` of the reference customer. */
  readonly scale: number;
  /** Statements each job ran at the longest history. */
  readonly statements: Readonly<Record<Job, number>>;
}

export type Job = 'transform' | 'quality' | 'erasure';
export const JOBS: readonly Job[] = ['transform', 'quality', 'erasure'];

export type WarehouseSize = 'XSMALL' | 'SMALL' | 'MEDIUM' | 'LARGE';
/** Credits per hour of each size; the scan rate doubles with each size as the credits do. */
export const CREDITS_PER_HOUR: Readonly<Record<WarehouseSize, number>> = {
  XSMALL: 1,
  SMALL: 2,
  MEDIUM: 4,
  LARGE: 8,
};

export interface CostAssumptions {
  /** Compressed columnar bytes read per row scanned (only the columns a statement reads). */
  readonly bytesPerRow: number;
  /** Compressed bytes per second an XSMALL warehouse scans (joins and aggregates included). */
  readonly xsmallBytesPerSecond: number;
  /** Compile, schedule and commit time of one statement, seconds. */
  readonly secondsPerStatement: number;
  /** Snowflake bills at least this much per resume, seconds. */
  readonly minimumBilledSeconds: number;
  /** The warehouses' `AUTO_SUSPEND`: idle seconds billed after each run before it suspends. */
  readonly autoSuspendSeconds: number;
  /** Share of the measured hour's scan one scheduled run reads (1: a 5-minute run scans as much). */
  readonly runShare: Readonly<Record<Job, number>>;
  /** Seconds between two runs (the schedule); the erasure runs once per request. */
  readonly intervalSeconds: Readonly<Record<Exclude<Job, 'erasure'>, number>>;
  readonly runsPerMonth: Readonly<Record<Job, number>>;
  readonly size: Readonly<Record<Job, WarehouseSize>>;
  readonly dollarsPerCredit: number;
}

const MONTH_SECONDS = 30 * 24 * 3600;

const isCounts = (value: unknown): value is Record<string, number> =>
  typeof value === 'object' &&
  value !== null &&
  Object.values(value).every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0);

/**
 * A scan summary read from JSON, checked: every job's rows scanned per history, the scale and the
 * statement counts (a summary from before the benchmark recorded them names what is missing).
 */
export const parseScanSummary = (json: unknown): ScanSummary => {
  const problems: string[] = [];
  const value = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  for (const key of [...JOBS, 'stored'] as const) {
    if (!isCounts(value[key])) problems.push(`${key}: expected rows per history, e.g. {"180": 288091}`);
  }
  if (typeof value.scale !== 'number' || value.scale < 1)
    problems.push('scale: expected the benchmark scale, e.g. 16000');
  const statements = value.statements;
  if (!isCounts(statements) || JOBS.some((job) => typeof statements[job] !== 'number')) {
    problems.push('statements: expected the statements each job ran, e.g. {"transform": 180, ...}');
  }
  if (problems.length > 0) throw new Error(`not a bench:scan summary:\n  - ${problems.join('\n  - ')}`);
  return value as unknown as ScanSummary;
};

/**
 * The assumptions docs/DEPLOY.md states. Bytes per row: the estimate's fact storage (~4 TB for 21.6B
 * rows, ~185 B a row compressed) with a statement reading about a third of the columns. Scan rate: an
 * XSMALL (8 threads) reading 1 GB/s of compressed columns through the joins and aggregates of the jobs;
 * Snowflake publishes none, so this is the figure to replace with a measured one (QUERY_HISTORY's
 * BYTES_SCANNED / EXECUTION_TIME). Run share 1: the bounded reads of a run (dedup window days, touched
 * weeks, the touched users' rows) depend on the days and users a run touches, which five minutes of
 * traffic (late events included) already spread over almost as much as an hour.
 */
export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  bytesPerRow: 60,
  xsmallBytesPerSecond: 1e9,
  secondsPerStatement: 0.2,
  minimumBilledSeconds: 60,
  autoSuspendSeconds: 60,
  runShare: { transform: 1, quality: 1, erasure: 1 },
  intervalSeconds: { transform: 300, quality: 900 },
  runsPerMonth: { transform: MONTH_SECONDS / 300, quality: MONTH_SECONDS / 900, erasure: 300 },
  size: { transform: 'SMALL', quality: 'XSMALL', erasure: 'XSMALL' },
  dollarsPerCredit: 3,
};

export interface JobCost {
  readonly job: Job;
  readonly size: WarehouseSize;
  /** Rows scanned by one run at the reference scale. */
  readonly rowsPerRun: number;
  readonly bytesPerRun: number;
  /** Scan plus per-statement time of one run, seconds. */
  readonly runSeconds: number;
  /** Seconds billed per run: the run and the idle time before suspending, at least the minimum, at most the interval. */
  readonly billedSecondsPerRun: number;
  /** Whether one run fits its interval (a run longer than the interval falls behind). */
  readonly fits: boolean;
  readonly runsPerMonth: number;
  readonly creditsPerMonth: number;
  readonly dollarsPerMonth: number;
}

export interface CostModel {
  /** The history (days) the figures come from: the longest measured. */
  readonly historyDays: number;
  readonly jobs: readonly JobCost[];
  readonly creditsPerMonth: number;
  readonly dollarsPerMonth: number;
}

/** The warehouse cost of each job and the total, from a scan summary and the assumptions. */
export const costModel = (
  summary: ScanSummary,
  assumptions: CostAssumptions = DEFAULT_ASSUMPTIONS,
): CostModel => {
  const historyDays = Math.max(...Object.keys(summary.transform).map(Number));
  const jobs = JOBS.map((job): JobCost => {
    const measured = summary[job][String(historyDays)];
    if (measured === undefined)
      throw new Error(`the scan summary has no ${job} figure at ${historyDays} days`);
    const size = assumptions.size[job];
    const rowsPerRun = measured * summary.scale * assumptions.runShare[job];
    const bytesPerRun = rowsPerRun * assumptions.bytesPerRow;
    const scanRate = assumptions.xsmallBytesPerSecond * CREDITS_PER_HOUR[size];
    const runSeconds = bytesPerRun / scanRate + summary.statements[job] * assumptions.secondsPerStatement;
    const interval = job === 'erasure' ? Number.POSITIVE_INFINITY : assumptions.intervalSeconds[job];
    const billedSecondsPerRun = Math.min(
      interval,
      Math.max(assumptions.minimumBilledSeconds, runSeconds + assumptions.autoSuspendSeconds),
    );
    const runsPerMonth = assumptions.runsPerMonth[job];
    const creditsPerMonth = (runsPerMonth * billedSecondsPerRun * CREDITS_PER_HOUR[size]) / 3600;
    return {
      job,
      size,
      rowsPerRun,
      bytesPerRun,
      runSeconds,
      billedSecondsPerRun,
      fits: runSeconds <= interval,
      runsPerMonth,
      creditsPerMonth,
      dollarsPerMonth: creditsPerMonth * assumptions.dollarsPerCredit,
    };
  });
  const creditsPerMonth = jobs.reduce((sum, j) => sum + j.creditsPerMonth, 0);
  return {
    historyDays,
    jobs,
    creditsPerMonth,
    dollarsPerMonth: creditsPerMonth * assumptions.dollarsPerCredit,
  };
};

const round = (n: number): string => Math.round(n).toLocaleString('en');
const gb = (bytes: number): string => (bytes / 1e9).toFixed(bytes < 1e10 ? 1 : 0);

/** The model as the Markdown table docs/DEPLOY.md shows, with the assumptions it used. */
export const formatCostModel = (model: CostModel, summary: ScanSummary, a: CostAssumptions): string => {
  const lines = [
    `From bench:scan at ${model.historyDays} days of history, scale 1/${summary.scale.toLocaleString('en')}; ` +
      `${a.bytesPerRow} B/row scanned, XSMALL scans ${gb(a.xsmallBytesPerSecond)} GB/s (x2 per size), ` +
      `${a.secondsPerStatement} s per statement, ${a.minimumBilledSeconds} s minimum per resume, ` +
      `AUTO_SUSPEND ${a.autoSuspendSeconds} s, $${a.dollarsPerCredit}/credit.`,
    '',
    '| job | warehouse | rows scanned per run (measured x scale x share) | GB per run | seconds per run | billed s per run | runs/month | credits/month | $/month |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const j of model.jobs) {
    const measured = summary[j.job][String(model.historyDays)] ?? 0;
    lines.push(
      `| ${j.job} | ${j.size} | ${round(measured)} x ${round(summary.scale)} x ${a.runShare[j.job]} = ${round(j.rowsPerRun)} | ` +
        `${gb(j.bytesPerRun)} | ${round(j.runSeconds)}${j.fits ? '' : ' (longer than its interval)'} | ` +
        `${round(j.billedSecondsPerRun)} | ${round(j.runsPerMonth)} | ${round(j.creditsPerMonth)} | ${round(j.dollarsPerMonth)} |`,
    );
  }
  lines.push(
    `| **total** | | | | | | | **${round(model.creditsPerMonth)}** | **${round(model.dollarsPerMonth)}** |`,
  );
  return lines.join('\n');
};
