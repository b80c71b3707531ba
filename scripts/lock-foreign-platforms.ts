/**
 * Completes package-lock.json with the platform-specific optional packages the registry mirror of
 * our build machines does not serve (darwin, win32, musl ... builds of biome, duckdb, swc).
 *
 * Why: `npm install` silently skips an optional dependency it cannot fetch and leaves it out of the
 * lockfile, and `npm ci` then refuses the lockfile as out of sync. An entry carrying the package's
 * os/cpu/libc lets `npm ci` see the lockfile as complete and skip the package as foreign to this
 * platform, exactly as it does with a lockfile written on a machine whose registry has them all.
 *
 * Run after any `npm install` that changes the lockfile: `npm run lock:platforms`.
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
}

const OS = ['android', 'darwin', 'linux', 'win32', 'freebsd', 'openharmony'];
const CPU: Record<string, string> = {
  arm64: 'arm64',
  x64: 'x64',
  ia32: 'ia32',
  ppc64: 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  arm: 'arm',
};

/** os/cpu/libc from a platform package name such as `@swc/core-linux-arm-gnueabihf`. */
export const platformOf = (name: string): Pick<LockEntry, 'os' | 'cpu' | 'libc'> | undefined => {
  const tokens = (name.split('/').pop() ?? name).split('-');
  const os = tokens.find((t) => OS.includes(t));
  const cpu = tokens.map((t) => CPU[t]).find((c) => c !== undefined);
  if (!os || !cpu) return undefined;
  const libc = os !== 'linux' ? undefined : tokens.some((t) => t.startsWith('musl')) ? 'musl' : 'glibc';
  const hasLibcToken = tokens.some((t) => t.startsWith('musl') || t.startsWith('gnu'));
  return { os: [os], cpu: [cpu], ...(libc && hasLibcToken ? { libc: [libc] } : {}) };
};

const lockPath = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { packages: Record<string, LockEntry> };
const added: string[] = [];
const unknown: string[] = [];

for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    const nested = `${path}/node_modules/${dep}`;
    if (lock.packages[key] || lock.packages[nested]) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+/.test(spec)) {
      unknown.push(`${dep}@${spec} (from ${path || 'the root'})`);
      continue;
    }
    lock.packages[key] = { version: spec, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
    added.push(`${dep}@${spec}`);
  }
}

const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(lockPath, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
console.log(`lock-foreign-platforms: added ${added.length} entries`);
if (unknown.length > 0) {
  console.error(`lock-foreign-platforms: cannot tell the platform of:\n  ${unknown.join('\n  ')}`);
  process.exitCode = 1;
}
