import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testSqlLibrary } from '#test/support/sql-library.ts';
import { FACTS } from '../../lambdas/core/activation/facts.ts';
import { createReadApi } from '../../lambdas/core/console/read-api.ts';
import { consoleReports } from '../../lambdas/core/console/reports/index.ts';
import { warehouseSource } from '../../lambdas/core/console/warehouse-source.ts';
import { declaredChecks } from '../../lambdas/core/quality/registry.ts';
import { RUNBOOKS_DIR } from '../../lambdas/local/console-paths.ts';
import { type ConsoleServer, startConsoleServer } from '../../lambdas/local/console-server.ts';
import { devBanner } from '../../lambdas/local/dev-banner.ts';
import { type LocalStack, startLocalStack } from '../../lambdas/local/local-stack.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';

/**
 * Every curl example aimed at the collector, in the docs and in the `tally dev` banner, works
 * when pasted: each is run with the system curl against a real local stack and must get a 2xx
 * (and the answer the doc shows under it, if it shows one), and its events must land in
 * raw.events. A new example that does not work, or aims at an endpoint this spec does not know,
 * fails here.
 *
 * The console's read API examples (`http://127.0.0.1:4319/api/...`) are run against a real console
 * over the same stack and must get exactly the answer the doc shows (every one shows it).
 */

const run = promisify(execFile);
const CURL = '/usr/bin/curl';

/** A curl command as written in a doc (continuation lines joined), and the answer shown under it. */
interface CurlExample {
  readonly where: string;
  readonly command: string;
  readonly shownAnswer: string | null;
}

/**
 * The curl commands in `lines`: from `curl` to the end of its backslash continuations and of any
 * quoted string it opens (a JSON body over several lines), plus a `# {...}` line right after it
 * (with the `#   ...` lines that continue it).
 */
const curlCommands = (lines: readonly string[], where: (line: number) => string): CurlExample[] => {
  const found: CurlExample[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    // curl as the command: the line's first word, or its second after a label (the banner's `try`)
    const start = /^\s*(?:\w+\s+)?(curl\s.*)$/.exec(lines[i] ?? '');
    if (!start) continue;
    const first = i;
    let command = start[1] ?? '';
    const open = () => command.endsWith('\\') || (command.match(/'/g) ?? []).length % 2 === 1;
    while (open() && i + 1 < lines.length) {
      i += 1;
      command += `\n${lines[i]}`;
    }
    let shownAnswer: string | null = null;
    if (lines[i + 1]?.trim().startsWith('# {')) {
      i += 1;
      shownAnswer = (lines[i] ?? '').trim().slice(2);
      while (/^\s*#\s{3}/.test(lines[i + 1] ?? '')) {
        i += 1;
        shownAnswer += (lines[i] ?? '').trim().slice(1).trim();
      }
    }
    found.push({ where: where(first), command, shownAnswer });
  }
  return found;
};

/** The curl examples in the fenced shell blocks of a markdown file. */
const markdownExamples = (file: string): CurlExample[] => {
  const lines = readFileSync(file, 'utf8').split('\n');
  const examples: CurlExample[] = [];
  let block: { from: number; lines: string[] } | null = null;
  lines.forEach((line, index) => {
    if (block === null && /^```(sh|bash|shell|console)\s*$/.test(line))
      block = { from: index + 1, lines: [] };
    else if (block !== null && line.startsWith('```')) {
      const { from } = block;
      examples.push(...curlCommands(block.lines, (at) => `${file}:${from + at + 1}`));
      block = null;
    } else block?.lines.push(line);
  });
  return examples;
};

const docFiles = [
  'README.md',
  ...readdirSync('docs', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
];
const CONSOLE_URL = 'http://127.0.0.1:4319/';
const allDocExamples = docFiles.flatMap(markdownExamples);
const docExamples = allDocExamples.filter((e) => !e.command.includes(CONSOLE_URL));
const consoleExamples = allDocExamples.filter((e) => e.command.includes(CONSOLE_URL));
/** The banner of `tally dev`, for a stack on port 4318 (rewritten to the test stack like the docs). */
const bannerExamples = curlCommands(
  devBanner({
    url: 'http://127.0.0.1:4318',
    consoleUrl: 'http://127.0.0.1:4319/',
    key: '<key>',
    plainWriteKeysFile: '.tally/write-keys.local.json',
    stateRoot: '.tally',
  }),
  () => 'the tally dev banner',
);

let root: string;
let stack: LocalStack;
let key: string;
let consoleServer: ConsoleServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tally-doc-curl-'));
  stack = await startLocalStack({
    home: tallyHome(root),
    port: 0,
    logLevel: 'SILENT',
    bufferIntervalMs: 100,
  });
  key = stack.writeKeys.local!;
  const source = warehouseSource(stack.warehouse);
  consoleServer = await startConsoleServer({
    api: createReadApi({
      source,
      sql: testSqlLibrary(source.dialect),
      reports: consoleReports({ facts: FACTS, checks: declaredChecks() }),
    }),
    // the read API is what these examples show: the app itself is not built here
    bundle: async () => ({ html: '', js: '', css: '' }),
    runbooksDir: RUNBOOKS_DIR,
    port: 0,
  });
});
afterAll(async () => {
  await consoleServer.close();
  await stack.stop();
  await rm(root, { recursive: true, force: true });
});

/** Runs `command` as pasted into bash, with curl adding the HTTP status after the body. */
const paste = async (command: string): Promise<{ status: number; body: string }> => {
  // HOME without a .curlrc, no proxy variables
  const { stdout } = await run(
    'bash',
    ['-c', `curl() { command ${CURL} --write-out '\\n%{http_code}' "$@"; }\n${command}`],
    {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: root,
        URL: `${stack.url}/`,
        KEY: key,
        WRITE_KEY: key,
      },
    },
  );
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
};

/**
 * The command as a reader would run it against this stack: the endpoints the docs use become
 * the stack's URL, `<key>` the printed key; DEPLOY.md's `$URL` / `$KEY` and COLLECTOR.md's
 * `$WRITE_KEY` come from the environment.
 */
const forThisStack = (command: string): string =>
  command
    .replaceAll('http://127.0.0.1:4318', stack.url)
    .replaceAll(CONSOLE_URL, consoleServer.url)
    .replaceAll('https://collect.example.com', stack.url)
    .replaceAll('<key>', key);

const rawCounts = async () => {
  const [row] = await stack.query(
    'SELECT (SELECT COUNT(*) FROM raw.events) AS events, (SELECT COUNT(*) FROM raw.rejected_events) AS rejected',
  );
  return { events: Number(row?.events), rejected: Number(row?.rejected) };
};

describe('curl examples in the docs and the tally dev banner', () => {
  it('finds the examples it is meant to keep honest', () => {
    const where = docExamples.map((e) => e.where.split(':')[0]);

    expect(where).toEqual(
      expect.arrayContaining(['README.md', 'docs/LOCAL.md', 'docs/COLLECTOR.md', 'docs/DEPLOY.md']),
    );
    expect(bannerExamples).toHaveLength(1);
    expect(consoleExamples.map((e) => e.where.split(':')[0])).toContain('docs/CONSOLE.md');
  });

  it.each(consoleExamples.map((e) => [e.where, e] as const))(
    '%s (the console read API) gets the status and the answer the doc shows',
    async (_where, example) => {
      const shown = JSON.parse(example.shownAnswer ?? 'null') as { error?: unknown } | null;
      expect(shown).not.toBeNull();

      const { status, body } = await paste(forThisStack(example.command));

      expect({ status, answer: JSON.parse(body) }).toEqual({
        status: shown?.error ? 400 : 200,
        answer: shown,
      });
    },
  );

  it.each([...docExamples, ...bannerExamples].map((e) => [e.where, e] as const))(
    '%s gets a 2xx when pasted, and its events land in raw.events',
    async (_where, example) => {
      const command = forThisStack(example.command);
      const aimsAtTheStack = command.includes(stack.url) || /\$\{?URL\b/.test(command);
      expect({ command, aimsAtTheStack }).toEqual({ command, aimsAtTheStack: true });
      const before = await rawCounts();

      const { status, body } = await paste(command);
      const answer = JSON.parse(body) as {
        received: number;
        accepted: number;
        rejected: unknown[];
      };

      expect({ status: Math.floor(status / 100), answer }).toEqual({
        status: 2,
        answer: { received: answer.received, accepted: answer.received, rejected: [] },
      });
      if (example.shownAnswer !== null) expect(answer).toEqual(JSON.parse(example.shownAnswer));
      await stack.settle();
      expect(await rawCounts()).toEqual({
        events: before.events + answer.received,
        rejected: before.rejected,
      });
    },
  );
});
