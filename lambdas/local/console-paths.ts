import { fileURLToPath } from 'node:url';

/** The console app in this repository (`console/`: index.html and src/), built when a console starts. */
export const CONSOLE_APP_DIR = fileURLToPath(new URL('../../console/', import.meta.url));

/** The runbooks the console links each check to (`docs/runbooks/<check>.md`). */
export const RUNBOOKS_DIR = fileURLToPath(new URL('../../docs/runbooks/', import.meta.url));
