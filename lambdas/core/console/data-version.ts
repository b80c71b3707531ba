import type { SqlLibrary } from '#core/warehouse/sql-library.ts';
import { reportReads } from './reads.ts';
import type { ReportSource } from './report.ts';

/** What the answers of the read API are a function of: the latest model run and the latest quality run. */
export interface DataVersion {
  readonly modelRunId: string | null;
  readonly qualityRunId: string | null;
}

/**
 * Probes the data version (`sql/console/data_version.sql`) and trusts a probe for `ttlMs`, so a burst
 * of requests (a page asks for several reports at once) costs one probe. Concurrent callers share an
 * in-flight probe.
 */
export class DataVersionProbe {
  private known: { readonly version: DataVersion; readonly at: number } | null = null;
  private probing: Promise<DataVersion> | null = null;

  constructor(
    private readonly source: ReportSource,
    private readonly sql: SqlLibrary,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async current(): Promise<DataVersion> {
    if (this.known && this.now() - this.known.at < this.ttlMs) return this.known.version;
    this.probing ??= this.probe().finally(() => {
      this.probing = null;
    });
    return this.probing;
  }

  private async probe(): Promise<DataVersion> {
    const [row] = await this.source.read((query) =>
      reportReads(this.sql, query).statement('console/data_version', 'data_version'),
    );
    const version: DataVersion = {
      modelRunId: row?.model_run_id == null ? null : String(row.model_run_id),
      qualityRunId: row?.quality_run_id == null ? null : String(row.quality_run_id),
    };
    this.known = { version, at: this.now() };
    return version;
  }
}
