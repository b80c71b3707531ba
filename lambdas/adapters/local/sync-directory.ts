import { open } from 'node:fs/promises';

/**
 * Fsyncs a directory so that files created, renamed or removed in it survive a crash:
 * fsyncing a file makes its bytes durable, not its name.
 */
export const syncDirectory = async (dir: string): Promise<void> => {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};
