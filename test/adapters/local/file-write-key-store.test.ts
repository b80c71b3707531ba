import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileWriteKeyStore } from '#adapters/local/file-write-key-store.ts';
import { WriteKeyDocumentError } from '#core/collector/errors.ts';
import { hashWriteKey } from '#core/collector/write-key.ts';

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tally-write-keys-'));
  path = join(dir, 'write-keys.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const web = hashWriteKey('wk_web');
const ios = hashWriteKey('wk_ios');
const write = (keys: unknown[]) => writeFile(path, JSON.stringify({ keys }, null, 2));

describe('FileWriteKeyStore', () => {
  it('finds a key by its digest in the file', async () => {
    await write([
      { source_id: 'web', key_sha256: web },
      { source_id: 'ios', key_sha256: ios, revoked: false },
    ]);
    const store = new FileWriteKeyStore(path);

    expect(await store.lookup(ios)).toEqual({ sourceId: 'ios', revoked: false, trackingPlan: 'allow' });
    expect(await store.lookup(hashWriteKey('wk_other'))).toBeUndefined();
  });

  it('sees edits to the file without a restart (rotation: add new, revoke old)', async () => {
    await write([{ source_id: 'web', key_sha256: web }]);
    const store = new FileWriteKeyStore(path);
    await store.lookup(web);

    const rotated = hashWriteKey('wk_web_2');
    await write([
      { source_id: 'web', key_sha256: web, revoked: true },
      { source_id: 'web', key_sha256: rotated },
    ]);

    expect(await store.lookup(web)).toEqual({ sourceId: 'web', revoked: true, trackingPlan: 'allow' });
    expect(await store.lookup(rotated)).toEqual({ sourceId: 'web', revoked: false, trackingPlan: 'allow' });
  });

  it('throws when the file is missing', async () => {
    const store = new FileWriteKeyStore(join(dir, 'absent.json'));

    await expect(store.lookup(web)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('throws a WriteKeyDocumentError naming the file when the document is invalid', async () => {
    await writeFile(path, '{"keys": "nope"}');
    const store = new FileWriteKeyStore(path);

    const failure = store.lookup(web);

    await expect(failure).rejects.toBeInstanceOf(WriteKeyDocumentError);
    await expect(failure).rejects.toThrow(path);
  });
});
