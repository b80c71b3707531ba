/**
 * Preloaded (`node --import`) into a `tally dev` a test starts where mounting a small tmpfs is refused:
 * every file opened for writing under `TALLY_TEST_ENOSPC_DIR` fails with ENOSPC, as on a full disk. Only
 * Node's own file calls see it (DuckDB writes through its own C++ code), so a test using it starts on a
 * fresh state folder, whose first write (the write keys) is Node's.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';

const dir = process.env.TALLY_TEST_ENOSPC_DIR;
if (dir) {
  const full = resolve(dir);
  const enospc = (path) =>
    Object.assign(new Error(`ENOSPC: no space left on device, open '${path}'`), {
      code: 'ENOSPC',
      errno: -28,
      syscall: 'open',
      path,
    });
  const writing = (flags) => typeof flags === 'string' && /[wa+]/.test(flags);
  const under = (path) => typeof path === 'string' && resolve(path).startsWith(full);
  const open = fs.promises.open;
  fs.promises.open = async (path, flags, mode) => {
    if (under(path) && writing(flags)) throw enospc(path);
    return open(path, flags, mode);
  };
  const writeFile = fs.promises.writeFile;
  fs.promises.writeFile = async (path, data, options) => {
    if (under(path)) throw enospc(path);
    return writeFile(path, data, options);
  };
  syncBuiltinESMExports();
}
