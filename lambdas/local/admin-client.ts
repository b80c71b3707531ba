import type { Row, SqlParam } from '#core/warehouse/ports.ts';
import type { DevState } from './dev-state.ts';
import { AdminRequestError } from './errors.ts';
import type { JobStatus } from './scheduler.ts';
import type { StackStatus } from './stack-status.ts';

const date = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

const reviveJobTimes = (job: JobStatus): JobStatus => ({
  ...job,
  lastStartedAt: date(job.lastStartedAt),
  lastFinishedAt: date(job.lastFinishedAt),
  lastSucceededAt: date(job.lastSucceededAt),
});

/** Talks to the admin endpoint of a running `tally dev` (see admin-server.ts). */
export class AdminClient {
  constructor(private readonly state: DevState) {}

  async query(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    const body = await this.call<{ rows: Row[] }>('POST', '/query', { sql, params });
    return body.rows;
  }

  /** The stack's status, its job times as Dates again (JSON carries them as ISO strings). */
  async status(): Promise<StackStatus> {
    const status = await this.call<StackStatus>('GET', '/status');
    return { ...status, jobs: status.jobs.map(reviveJobTimes) };
  }

  async runJob(name: string): Promise<string> {
    return (await this.call<{ summary: string }>('POST', `/jobs/${name}`)).summary;
  }

  async settle(): Promise<void> {
    await this.call<{ settled: boolean }>('POST', '/settle');
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.state.adminUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.state.token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(120_000),
      });
    } catch (error) {
      throw new AdminRequestError(
        0,
        `cannot reach the running tally dev (pid ${this.state.pid}) at ${this.state.adminUrl}: ${(error as Error).message}. ` +
          'If it is stopping, retry once it has stopped (the CLI then opens the warehouse file itself).',
      );
    }
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {
        // keep the raw text
      }
      throw new AdminRequestError(response.status, message);
    }
    return JSON.parse(text) as T;
  }
}
