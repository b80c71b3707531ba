import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startLocalStack } from '#local/local-stack.ts';
import { tallyHome } from '#local/tally-home.ts';
import { mountSmallDisk, type SmallDisk } from '../../support/small-disk.ts';

const PRELOAD = new URL('../../support/enospc-preload.mjs', import.meta.url).pathname;

/** Runs `tally dev` on `home` until it exits; resolves with its exit code and what it printed. */
const tallyDev = (home: string, env: Record<string, string> = {}) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        ...(env.TALLY_TEST_ENOSPC_DIR ? ['--import', PRELOAD] : []),
        'bin/tally.ts',
        'dev',
        '--home',
        home,
        '--port',
        '0',
        '--console-port',
        '0',
        '--status-every',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1', ...env } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // a stack that came up after all is stopped, so the spec fails on its output instead of hanging
    const timer = setTimeout(() => child.kill('SIGINT'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });

/** The message; an injected ENOSPC (no tmpfs) leaves the real free space, whatever it is. */
const ONE_LINE = (home: string, mounted: boolean) =>
  new RegExp(
    `^tally: tally dev cannot start: disk full: the filesystem holding ${home} has [\\d.]+ (${mounted ? 'B|KiB' : '[KMGT]?i?B'}) free\\. ` +
      'Free some space there, or start it with --home on a disk with room\\n$',
  );

describe('tally dev on a full disk', () => {
  let disk: SmallDisk;
  beforeAll(async () => {
    disk = await mountSmallDisk(64);
    if (!disk.mounted) {
      console.warn(
        `mounting a tmpfs was refused (${disk.refusal}): these specs inject ENOSPC into Node's file calls ` +
          'under the state folder instead (test/support/enospc-preload.mjs), on a fresh folder only',
      );
    }
  });
  afterAll(async () => {
    await disk.dispose();
  });

  it('refuses to start on a fresh state folder with one line: the folder, the free space and the fix', async () => {
    const home = join(disk.dir, 'fresh');
    if (disk.mounted) await disk.fill();

    const { code, stdout, stderr } = await tallyDev(
      home,
      disk.mounted ? {} : { TALLY_TEST_ENOSPC_DIR: home },
    );
    await disk.free();

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(ONE_LINE(home, disk.mounted));
  }, 90_000);

  it('refuses to start on a folder it ran on before, with the same one line, and starts once there is room', async () => {
    if (!disk.mounted) {
      console.warn('no tmpfs: starting on a used folder is not covered (DuckDB writes beyond Node’s reach)');
      return;
    }
    const home = join(disk.dir, 'used');
    const before = await startLocalStack({ home: tallyHome(home), port: 0, logLevel: 'SILENT' });
    await before.stop();
    await disk.fill();

    const full = await tallyDev(home);
    await disk.free();

    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(ONE_LINE(home, true));
    const stack = await startLocalStack({ home: tallyHome(home), port: 0, logLevel: 'SILENT' });
    await stack.stop();
  }, 90_000);
});
