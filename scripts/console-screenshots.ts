/**
 * Screenshots of every Console page, for docs/CONSOLE.md:
 * `npx tsx scripts/console-screenshots.ts http://127.0.0.1:4319/ docs/console` (a running `tally dev --demo`).
 * Each page is captured once it is fully drawn.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startBrowser } from '../test/console/support/browser.ts';

const [base = 'http://127.0.0.1:4319/', out = 'docs/console', ...only] = process.argv.slice(2);
const VIEWS: readonly [string, string][] = [
  ['health', 'health?range=7d'],
  ['usage', 'usage?range=30d&feature=editor'],
  ['adoption', 'adoption?feature=editor.comments&workspace=__first__'],
  ['activation', 'activation?fact=app_visit&grain=day&range=30d'],
  ['cohorts', 'cohorts'],
  ['quality', 'quality?range=7d&check=reconciliation'],
  ['rejected', 'rejected?range=7d'],
];

await mkdir(out, { recursive: true });
const browser = await startBrowser({ width: 1440, height: 900 });
try {
  const page = await browser.context.newPage();
  for (const [name, path] of VIEWS) {
    if (only.length > 0 && !only.includes(name)) continue;
    let target = new URL(path, base).href;
    if (target.includes('__first__')) {
      const answer = (await (
        await fetch(new URL('/api/adoption?feature=editor.comments&limit=1', base))
      ).json()) as {
        data: { workspaces: { workspaceId: string }[] };
      };
      target = target.replace('__first__', encodeURIComponent(answer.data.workspaces[0]?.workspaceId ?? ''));
    }
    await page.goto(target);
    await page.waitForFunction(
      (view) =>
        (globalThis as unknown as { document: { body: { dataset: Record<string, string> } } }).document.body
          .dataset.drawn === view,
      name,
      { timeout: 60_000 },
    );
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: process.env.SHOT_FULL !== '0' });
    console.log(`${name}: ${join(out, `${name}.png`)}`);
  }
} finally {
  await browser.close();
}
