import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WriteKeyDocumentError } from '#core/collector/errors.ts';
import { hashWriteKey } from '#core/collector/write-key.ts';
import { ensureLocalWriteKeys } from '../../lambdas/local/local-write-keys.ts';

let dir: string;
let digestFile: string;
let plainFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tally-local-keys-'));
  digestFile = join(dir, 'write-keys.json');
  plainFile = join(dir, 'write-keys.local.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Entry {
  source_id: string;
  key_sha256: string;
  tracking_plan?: unknown;
  revoked?: boolean;
}
const entries = async (): Promise<Entry[]> =>
  (JSON.parse(await readFile(digestFile, 'utf8')) as { keys: Entry[] }).keys;

describe('the local write-key document', () => {
  it("states each source's tracking plan: a new source allow, the demo's sources strict", async () => {
    await ensureLocalWriteKeys(digestFile, plainFile, ['local', 'web-app']);

    expect((await entries()).map((e) => [e.source_id, e.tracking_plan])).toEqual([
      ['local', 'allow'],
      ['web-app', 'strict'],
    ]);
  });

  it('keeps a mode and a revocation edited by hand across restarts, and adds modes to a document from before them', async () => {
    const keys = await ensureLocalWriteKeys(digestFile, plainFile, ['local', 'web-app']);
    await writeFile(
      digestFile,
      JSON.stringify({
        keys: [
          { source_id: 'local', key_sha256: hashWriteKey(keys.local ?? ''), tracking_plan: 'strict' },
          { source_id: 'web-app', key_sha256: hashWriteKey(keys['web-app'] ?? ''), revoked: true },
        ],
      }),
    );

    expect(await ensureLocalWriteKeys(digestFile, plainFile, ['local', 'web-app'])).toEqual(keys);
    expect(await entries()).toEqual([
      { source_id: 'local', key_sha256: hashWriteKey(keys.local ?? ''), tracking_plan: 'strict' },
      {
        source_id: 'web-app',
        key_sha256: hashWriteKey(keys['web-app'] ?? ''),
        revoked: true,
        tracking_plan: 'strict',
      },
    ]);
  });

  it('refuses a mistyped mode at start with a message naming the entry, and keeps the value as written', async () => {
    const keys = await ensureLocalWriteKeys(digestFile, plainFile, ['web-app', 'local']);
    const written = await entries();
    await writeFile(
      digestFile,
      JSON.stringify({
        keys: written.map((e) => (e.source_id === 'local' ? { ...e, tracking_plan: 'Allow' } : e)),
      }),
    );

    const start = ensureLocalWriteKeys(digestFile, plainFile, ['web-app', 'local']);

    await expect(start).rejects.toThrow(WriteKeyDocumentError);
    await expect(start).rejects.toThrow(
      `invalid write-key document in file ${digestFile}:\n  - keys[1] (source "local"): tracking_plan must be "allow" or "strict" when present, got "Allow"`,
    );
    expect((await entries()).map((e) => [e.source_id, e.tracking_plan])).toEqual([
      ['web-app', 'strict'],
      ['local', 'Allow'],
    ]);
    expect(Object.keys(keys)).toEqual(['web-app', 'local']);
  });
});
