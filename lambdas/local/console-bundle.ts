import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalRuntimeError } from './errors.ts';

/** The console's single-page app, built: the page, its script and its styles. */
export interface ConsoleBundle {
  readonly html: string;
  readonly js: string;
  readonly css: string;
}

/**
 * Builds the console app in `appDir` (`index.html`, `src/main.ts` and the CSS it imports) with esbuild,
 * in memory, every time the console starts: the app served is always the app in the tree, and a fresh
 * clone needs no build step beyond `npm ci`. About a second on one core.
 */
export const buildConsoleBundle = async (appDir: string): Promise<ConsoleBundle> => {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    throw new LocalRuntimeError(
      'the console is built with esbuild, a dev dependency: run `npm ci` (without --omit=dev) first',
      { cause: error },
    );
  }
  const result = await esbuild.build({
    entryPoints: [join(appDir, 'src', 'main.ts')],
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    target: 'es2022',
    outdir: join(appDir, 'out'),
    legalComments: 'none',
    logLevel: 'silent',
  });
  const output = (suffix: string): string =>
    result.outputFiles.find((f) => f.path.endsWith(suffix))?.text ?? '';
  return {
    html: await readFile(join(appDir, 'index.html'), 'utf8'),
    js: output('.js'),
    css: output('.css'),
  };
};
