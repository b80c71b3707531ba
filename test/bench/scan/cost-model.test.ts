import { describe, expect, it } from '@jest/globals';
import {
  type CostAssumptions,
  costModel,
  DEFAULT_ASSUMPTIONS,
  parseScanSummary,
  type ScanSummary,
} from '../../../bench/scan/cost-model.ts';

const summary: ScanSummary = {
  transform: { '30': 1_000, '180': 2_000 },
  quality: { '30': 500, '180': 600 },
  erasure: { '30': 4_000, '180': 3_000 },
  stored: { '30': 10_000, '180': 60_000 },
  new_rows: 300,
  scale: 1_000,
  statements: { transform: 10, quality: 5, erasure: 20 },
};
const assumptions: CostAssumptions = {
  ...DEFAULT_ASSUMPTIONS,
  bytesPerRow: 100,
  xsmallBytesPerSecond: 1e6,
  secondsPerStatement: 1,
  minimumBilledSeconds: 60,
  autoSuspendSeconds: 60,
  runShare: { transform: 1, quality: 1, erasure: 1 },
  intervalSeconds: { transform: 300, quality: 900 },
  runsPerMonth: { transform: 100, quality: 10, erasure: 2 },
  size: { transform: 'XSMALL', quality: 'XSMALL', erasure: 'XSMALL' },
  dollarsPerCredit: 3,
};
const job = (model: ReturnType<typeof costModel>, name: string) => model.jobs.find((j) => j.job === name);

describe('costModel', () => {
  it('bills a run its scan and statements plus the idle minute before suspending, from the longest history', () => {
    const model = costModel(summary, assumptions);

    // 2,000 rows x 1,000 (scale) x 100 B = 200 MB at 1 MB/s = 200 s, + 10 statements x 1 s; + 60 s idle
    expect(model.historyDays).toBe(180);
    expect(job(model, 'transform')).toMatchObject({
      rowsPerRun: 2_000_000,
      bytesPerRun: 200_000_000,
      runSeconds: 210,
      billedSecondsPerRun: 270,
      fits: true,
      creditsPerMonth: 7.5, // 100 runs x 270 s x 1 credit/h
      dollarsPerMonth: 22.5,
    });
  });

  it('doubles the scan rate and the credits per hour with each warehouse size', () => {
    const model = costModel(summary, { ...assumptions, size: { ...assumptions.size, transform: 'SMALL' } });

    // 100 s of scan + 10 s, + 60 s idle, at 2 credits/h
    expect(job(model, 'transform')).toMatchObject({ runSeconds: 110, billedSecondsPerRun: 170 });
    expect(job(model, 'transform')?.creditsPerMonth).toBeCloseTo((100 * 170 * 2) / 3600, 9);
  });

  it("bills at least Snowflake's 60 s minimum per resume", () => {
    const model = costModel(summary, { ...assumptions, autoSuspendSeconds: 0, bytesPerRow: 1 });

    // 2 s of scan + 10 s of statements, billed as 60
    expect(job(model, 'transform')).toMatchObject({ runSeconds: 12, billedSecondsPerRun: 60 });
  });

  it('bills a run longer than its interval as the whole interval (the warehouse never suspends) and says it does not fit', () => {
    const model = costModel(summary, { ...assumptions, bytesPerRow: 200 });

    expect(job(model, 'transform')).toMatchObject({ runSeconds: 410, billedSecondsPerRun: 300, fits: false });
  });

  it('takes the share of the measured hour one scheduled run scans', () => {
    const model = costModel(summary, {
      ...assumptions,
      runShare: { ...assumptions.runShare, transform: 0.5 },
    });

    expect(job(model, 'transform')).toMatchObject({ rowsPerRun: 1_000_000, runSeconds: 110 });
  });

  it('sums the jobs into the monthly credits and dollars', () => {
    const model = costModel(summary, assumptions);
    // quality: 600 x 1,000 x 100 B = 60 s + 5 s, billed 125 s x 10 runs; erasure: 300 s + 20 s, billed 380 s x 2
    const credits = (100 * 270 + 10 * 125 + 2 * 380) / 3600;

    expect(model.creditsPerMonth).toBeCloseTo(credits, 9);
    expect(model.dollarsPerMonth).toBeCloseTo(credits * 3, 9);
  });
});

describe('parseScanSummary', () => {
  it('accepts what bench:scan --save writes', () => {
    expect(parseScanSummary(JSON.parse(JSON.stringify(summary)))).toEqual(summary);
  });

  it('names every missing figure of a summary from before the benchmark recorded them', () => {
    const { scale: _scale, statements: _statements, ...old } = summary;

    expect(() => parseScanSummary(old)).toThrow(
      /scale: expected the benchmark scale[\s\S]*statements: expected/,
    );
  });
});
