import { Scheduler } from '../../lambdas/local/scheduler.ts';
import { until } from '../support/until.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Scheduler', () => {
  it('runs a job on its interval and records its summary', async () => {
    let runs = 0;
    const scheduler = new Scheduler([
      { name: 'transform', intervalMs: 20, run: async () => `run ${++runs}` },
    ]);
    scheduler.start();
    await until(() => runs >= 3);
    await scheduler.stop();

    const [status] = scheduler.status;
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(status).toMatchObject({
      name: 'transform',
      failures: 0,
      lastSummary: `run ${runs}`,
      lastError: null,
    });
  });

  it('never overlaps a job with itself', async () => {
    let active = 0;
    let maxActive = 0;
    let finished = 0;
    const scheduler = new Scheduler([
      {
        name: 'slow',
        intervalMs: 5,
        run: async () => {
          active += 1;
          maxActive = Math.max(maxActive, active);
          await tick(40);
          active -= 1;
          finished += 1;
          return 'done';
        },
      },
    ]);
    scheduler.start();
    // several runs, each spanning several 5 ms ticks: every tick during a run had the chance to overlap it
    await until(() => finished >= 3);
    await scheduler.stop();

    expect(maxActive).toBe(1);
  });

  it('asks the run in progress to end when it stops, and does not report that end as a failure', async () => {
    const errors: string[] = [];
    let started = false;
    const scheduler = new Scheduler(
      [
        {
          name: 'transform',
          intervalMs: 60_000,
          runAtStart: true,
          // a long run that ends (throwing) as soon as it is asked to
          run: (signal) =>
            new Promise<string>((_, reject) => {
              started = true;
              signal.addEventListener('abort', () => reject(new Error('stopped early')));
            }),
        },
      ],
      (job, error) => errors.push(`${job}: ${(error as Error).message}`),
    );
    scheduler.start();
    await until(() => started);
    await scheduler.stop();

    expect(scheduler.status[0]).toMatchObject({ running: false, failures: 1, lastError: 'stopped early' });
    expect(errors).toEqual([]);
  });

  it('keeps running after a failure and reports it', async () => {
    const errors: string[] = [];
    let calls = 0;
    const scheduler = new Scheduler(
      [
        {
          name: 'quality',
          intervalMs: 60_000,
          run: async () => {
            calls += 1;
            if (calls === 1) throw new Error('warehouse busy');
            return 'quality ok';
          },
        },
      ],
      (job, error) => errors.push(`${job}: ${(error as Error).message}`),
    );

    const failed = await scheduler.runNow('quality');
    const recovered = await scheduler.runNow('quality');
    await scheduler.stop();

    expect(failed).toMatchObject({ failures: 1, lastError: 'warehouse busy' });
    expect(recovered).toMatchObject({ runs: 2, lastError: null, lastSummary: 'quality ok' });
    expect(errors).toEqual(['quality: warehouse busy']);
  });

  it('runs a job at start when asked to', async () => {
    let ran = false;
    const scheduler = new Scheduler([
      {
        name: 'transform',
        intervalMs: 60_000,
        runAtStart: true,
        run: async () => {
          ran = true;
          return '';
        },
      },
    ]);
    scheduler.start();
    await until(() => ran, 1000);
    await scheduler.stop();

    expect(ran).toBe(true);
  });
});
