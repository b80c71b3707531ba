import type { Page } from 'playwright-core';
import { runQuery } from '../../lambdas/local/read-commands.ts';
import { runConsole } from '../../lambdas/local/run-console.ts';
import { type Browser, startBrowser } from './support/browser.ts';
import { type DevProcess, startDev } from './support/dev-process.ts';

/**
 * The Tally Console in Chromium, against `npm start` (`tally dev --demo`) in its own process group: two
 * days of demo history (several thousand events on every platform; a third day cost a third more time
 * and showed nothing more), then one transform and two quality runs, so the pages
 * have every kind of data. Numbers on the pages are compared with the curated tables read back through
 * `tally query` (runQuery, which goes through the running stack's admin endpoint).
 */

let dev: DevProcess;
let browser: Browser;
let range: { from: string; to: string };
const problems: string[] = [];

type Row = Record<string, number | string | null>;

/** The page's globals this test reads (console/src/main.ts); this file is type-checked without the DOM. */
interface ConsoleWindow {
  readonly location: { readonly pathname: string; readonly search: string };
  readonly tallyConsole?: { readonly drawn: string | null; charts(): Record<string, { drawn: number[][] }> };
}
const query = async (sql: string): Promise<Row[]> => JSON.parse(await runQuery(dev.home, sql, 'json'));
const n = (text: string | null): number => Number((text ?? '').replace(/[^\d.-]/g, ''));

beforeAll(async () => {
  // first: without Chromium this fails at once, saying what to install
  browser = await startBrowser();
  dev = await startDev([
    '--demo-days',
    '2',
    '--demo-rate',
    '0.05',
    '--buffer-seconds',
    '0.5',
    '--transform-every',
    '3600',
    '--quality-every',
    '3600',
    '--status-every',
    '1',
  ]);
  await dev.waitFor(/ demo live$/, 300_000);
  await dev.admin.settle();
  await dev.admin.runJob('transform');
  await dev.admin.runJob('quality');
  await dev.admin.runJob('quality');
  const [bounds] = await query(
    'SELECT MIN(event_date) AS first_day, MAX(event_date) AS last_day FROM curated.feature_usage_daily',
  );
  range = { from: String(bounds?.first_day), to: String(bounds?.last_day) };
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await dev?.stop();
});

/** Opens a view and waits until the page says it drew it; every console error and failed request is kept. */
const open = async (path: string): Promise<Page> => {
  const page = await browser.context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${path}: console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${path}: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${path}: ${r.status()} ${r.url()}`);
  });
  await page.goto(new URL(path, dev.consoleUrl).href);
  await drawn(page);
  return page;
};

/** Waits until the view in the address bar is the one the page last drew. */
const drawn = (page: Page) =>
  page.waitForFunction(
    () => {
      const page = globalThis as unknown as ConsoleWindow;
      return (
        page.tallyConsole?.drawn === `${page.location.pathname.slice(1)}?${page.location.search.slice(1)}`
      );
    },
    undefined,
    { timeout: 60_000 },
  );

const stat = async (page: Page, id: string) => n(await page.textContent(`[data-stat="${id}"] .stat-value`));

const usageEvents = async (feature: string, platform = 'all'): Promise<number> => {
  const [row] = await query(
    `SELECT COALESCE(SUM(events), 0) AS events FROM curated.feature_usage_daily WHERE feature_id = '${feature}' ` +
      `AND platform = '${platform}' AND event_date BETWEEN '${range.from}' AND '${range.to}'`,
  );
  return Number(row?.events);
};

describe('Tally Console in Chromium', () => {
  it('prints its URL at start and draws every page without a console error or a failed request', async () => {
    expect(dev.consoleUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    for (const view of ['', 'usage', 'adoption', 'activation', 'cohorts', 'quality', 'rejected']) {
      const page = await open(view);
      expect(await page.textContent('h1')).not.toBe('');
      await page.close();
    }
    expect(problems).toEqual([]);
  });

  it('shows the health summary and tiles from the recorded checks', async () => {
    const page = await open('health?range=7d');
    const [latest] = await query(
      "SELECT COUNT(DISTINCT check_name) AS failing FROM ops.quality_results WHERE status = 'fail' " +
        'AND run_id = (SELECT run_id FROM ops.quality_results ORDER BY checked_at DESC LIMIT 1)',
    );
    expect(n(await page.textContent('[data-value="failing-checks"]'))).toBe(Number(latest?.failing));
    expect(await page.getAttribute('[data-summary]', 'data-summary')).toMatch(/^(red|amber|green)$/);
    await page.close();
  });

  it('shows usage numbers equal to curated.feature_usage_daily, then drills down and filters through the URL', async () => {
    const page = await open(`usage?from=${range.from}&to=${range.to}&feature=editor`);
    expect(await stat(page, 'events')).toBe(await usageEvents('editor'));
    const firstChild =
      (await page.getAttribute(
        '[data-table="usage-tree"] tbody tr:first-child td[data-col="feature_id"] code',
        'textContent',
      )) ?? (await page.textContent('[data-table="usage-tree"] tbody tr:first-child code'));
    const child = String(firstChild);
    const childEvents = n(
      await page.textContent('[data-table="usage-tree"] tbody tr:first-child td[data-col="events"]'),
    );
    expect(childEvents).toBe(await usageEvents(child));

    // drill-down: the URL names the feature, the numbers are the child's
    await page.click('[data-table="usage-tree"] tbody tr:first-child');
    await page.waitForURL((url) => url.searchParams.get('feature') === child);
    await drawn(page);
    expect(await stat(page, 'events')).toBe(childEvents);
    expect(await page.textContent('.crumbs .current')).not.toBe('All features');

    // filter: one platform
    await page.selectOption('[data-control="platform"] select', 'web');
    await page.waitForURL((url) => url.searchParams.get('platform') === 'web');
    await drawn(page);
    expect(await stat(page, 'events')).toBe(await usageEvents(child, 'web'));
    expect(await stat(page, 'events')).toBeLessThan(childEvents);

    // back: the previous view again
    await page.goBack();
    await drawn(page);
    expect(await stat(page, 'events')).toBe(childEvents);
    await page.close();
  });

  it("downloads a chart's CSV holding exactly the numbers it draws", async () => {
    const page = await open(`usage?from=${range.from}&to=${range.to}&feature=editor`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-chart="usage-trend"] .csv'),
    ]);
    expect(download.suggestedFilename()).toBe('usage-trend.csv');
    const csv = await new Promise<string>((resolve, reject) => {
      void download.createReadStream().then((stream) => {
        let text = '';
        stream.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        stream.on('end', () => resolve(text));
        stream.on('error', reject);
      });
    });
    const [header = '', ...lines] = csv.trim().split('\r\n');
    const columns = header.split(',');
    const drawnSeries = await page.evaluate(
      () => (globalThis as unknown as ConsoleWindow).tallyConsole?.charts()['usage-trend']?.drawn ?? [],
    );
    expect(columns[0]).toBe('period');
    expect(drawnSeries).toHaveLength(columns.length - 1);
    columns.slice(1).forEach((_platform, i) => {
      expect(lines.map((l) => Number(l.split(',')[i + 1]))).toEqual(drawnSeries[i]);
    });
    const total = lines.reduce(
      (sum, l) =>
        sum +
        l
          .split(',')
          .slice(1)
          .reduce((s, v) => s + Number(v), 0),
      0,
    );
    expect(total).toBe(await usageEvents('editor'));
    await page.close();
  });

  it('shows adoption and activation numbers equal to their curated tables', async () => {
    const [top] = await query(
      "SELECT workspace_id, users_28d FROM curated.feature_adoption_by_workspace WHERE feature_id = 'editor' " +
        'ORDER BY users_28d DESC, workspace_id LIMIT 1',
    );
    const adoption = await open('adoption?feature=editor&sort=users_28d&direction=desc');
    expect(
      await adoption.textContent(
        '[data-table="adoption-workspaces"] tbody tr:first-child td[data-col="workspace_id"]',
      ),
    ).toBe(top?.workspace_id);
    expect(
      n(
        await adoption.textContent(
          '[data-table="adoption-workspaces"] tbody tr:first-child td[data-col="users_28d"]',
        ),
      ),
    ).toBe(Number(top?.users_28d));
    await adoption.close();

    const [week] = await query(
      "SELECT new_users, retained_users FROM curated.activation_summary WHERE fact = 'app_visit' AND grain = 'week' " +
        'ORDER BY period_start DESC LIMIT 1',
    );
    const activation = await open('activation?fact=app_visit&grain=week&range=90d');
    expect(await stat(activation, 'new')).toBe(Number(week?.new_users));
    expect(await stat(activation, 'retained')).toBe(Number(week?.retained_users));
    await activation.close();
    expect(problems).toEqual([]);
  });

  it("serves a stopped stack's state with tally console", async () => {
    const [expected] = await query(
      'SELECT SUM(events) AS events FROM curated.feature_usage_daily ' +
        `WHERE feature_id = 'editor' AND platform = 'all' AND event_date BETWEEN '${range.from}' AND '${range.to}'`,
    );
    const output = await dev.stop();
    expect(output).toContain('stopped cleanly.');
    let stop = (): void => undefined;
    let announce = (_url: string): void => undefined;
    const announced = new Promise<string>((resolve) => {
      announce = resolve;
    });
    const serving = runConsole({
      home: dev.home,
      port: 0,
      print: (line) => {
        if (line.startsWith('console: ')) announce(line.slice('console: '.length));
      },
      until: new Promise<void>((resolve) => {
        stop = resolve;
      }),
    });
    const url = await announced;
    const response = await fetch(new URL(`/api/usage?feature=editor&from=${range.from}&to=${range.to}`, url));
    const answer = (await response.json()) as { data: { node: { events: number } } };
    expect(answer.data.node.events).toBe(Number(expected?.events));
    stop();
    await serving;
  });
});
