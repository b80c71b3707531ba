import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import { AnswerCache } from './cache.ts';
import { type DataVersion, DataVersionProbe } from './data-version.ts';
import { ConsoleError, ReportFailedError, UnknownReportError } from './errors.ts';
import { ParamReader, type RawParams } from './params.ts';
import { reportReads } from './reads.ts';
import type { ConsoleReport, ReportSource } from './report.ts';

export interface ReadApiOptions {
  readonly source: ReportSource;
  /** The `sql/` library in the source's dialect (the reports' statements live in `sql/console/`). */
  readonly sql: SqlLibrary;
  readonly reports: readonly ConsoleReport[];
  /** @default () => new Date() */
  readonly clock?: () => Date;
  /** How long a probed data version is trusted (a page's burst of requests costs one probe). @default 1000 */
  readonly versionTtlMs?: number;
  /** Answers kept. @default 500 */
  readonly cacheEntries?: number;
}

/** An answer: the JSON text, and whether it came from the cache (no report query ran). */
export interface ReportAnswer {
  readonly body: string;
  readonly cached: boolean;
}

/** The read API: named reports over the curated and ops tables, as JSON. */
export interface ReadApi {
  readonly reports: readonly { readonly name: string; readonly summary: string }[];
  /**
   * Answers `report` for `params`. Throws UnknownReportError, ReportParameterError (every problem of the
   * request) or ReportFailedError; the edge maps them to 404, 400 and 500.
   */
  answer(report: string, params: RawParams): Promise<ReportAnswer>;
}

/** JSON with BIGINTs (a driver's or an adapter's) as numbers or, past 2^53, as strings. */
const toJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v,
  );

/**
 * The read API's core, free of HTTP and of any warehouse driver: parses a request's parameters (all
 * problems at once), then answers from the cache when the same request was answered at the current data
 * version (the latest model run and quality run), else runs the report's reads in one snapshot of the
 * source. Identical requests in flight share one run.
 */
export const createReadApi = (options: ReadApiOptions): ReadApi => {
  const clock = options.clock ?? (() => new Date());
  const byName = new Map(options.reports.map((r) => [r.name, r]));
  const versions = new DataVersionProbe(options.source, options.sql, options.versionTtlMs ?? 1000);
  const cache = new AnswerCache(options.cacheEntries ?? 500);
  const inFlight = new Map<string, Promise<string>>();

  return {
    reports: options.reports.map((r) => ({ name: r.name, summary: r.summary })),
    async answer(name, raw) {
      const report = byName.get(name);
      if (!report) throw new UnknownReportError(name, [...byName.keys()]);
      const reader = new ParamReader(name, raw);
      const prepared = report.prepare(reader, { today: clock() });
      reader.finish();
      let version: DataVersion;
      try {
        version = await versions.current();
      } catch (error) {
        throw new ReportFailedError(name, error);
      }
      const key = toJson([name, prepared.params, version]);
      const hit = cache.get(key);
      if (hit !== undefined) return { body: hit, cached: true };
      const run = async (): Promise<string> => {
        try {
          const data = await options.source.read((query) => prepared.run(reportReads(options.sql, query)));
          const body = toJson({ report: name, params: prepared.params, version, data });
          cache.set(key, body);
          return body;
        } catch (error) {
          throw error instanceof ConsoleError ? error : new ReportFailedError(name, error);
        }
      };
      let pending = inFlight.get(key);
      if (!pending) {
        pending = run().finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return { body: await pending, cached: false };
    },
  };
};
