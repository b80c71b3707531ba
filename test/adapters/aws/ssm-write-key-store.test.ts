import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { SsmWriteKeyStore } from '#adapters/aws/ssm-write-key-store.ts';
import { WriteKeyDocumentError } from '#core/collector/errors.ts';
import { hashWriteKey } from '#core/collector/write-key.ts';

const PARAMETER = '/tally/prod/write-keys';
const client = new SSMClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const ssm = mockClient(client);

const web = hashWriteKey('wk_web_new');
const webOld = hashWriteKey('wk_web_old');
const documentText = JSON.stringify({
  keys: [
    { source_id: 'web', key_sha256: web },
    { source_id: 'web', key_sha256: webOld, revoked: true },
  ],
});

const answer = (value: string) =>
  ssm.on(GetParameterCommand).resolves({ Parameter: { Name: PARAMETER, Value: value } });

beforeEach(() => ssm.reset());

describe('SsmWriteKeyStore', () => {
  it('reads the parameter with decryption, by its exact name', async () => {
    answer(documentText);
    const store = new SsmWriteKeyStore(client, PARAMETER);

    await store.lookup(web);

    expect(ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input)).toEqual([
      { Name: PARAMETER, WithDecryption: true },
    ]);
  });

  it('returns the record of a current key, a revoked key, and nothing for an unknown digest', async () => {
    answer(documentText);
    const store = new SsmWriteKeyStore(client, PARAMETER);

    expect(await store.lookup(web)).toEqual({ sourceId: 'web', revoked: false, trackingPlan: 'allow' });
    expect(await store.lookup(webOld)).toEqual({ sourceId: 'web', revoked: true, trackingPlan: 'allow' });
    expect(await store.lookup(hashWriteKey('wk_unknown'))).toBeUndefined();
  });

  it('answers lookups from one read for the snapshot age, then reads again', async () => {
    answer(documentText);
    let now = 1_000_000;
    const store = new SsmWriteKeyStore(client, PARAMETER, { snapshotMaxAgeMs: 5_000, now: () => now });

    for (let i = 0; i < 10; i++) await store.lookup(hashWriteKey(`wk_flood_${i}`));
    now += 5_000;
    await store.lookup(web);

    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('sees a revocation on the read after the snapshot expires', async () => {
    answer(documentText);
    let now = 0;
    const store = new SsmWriteKeyStore(client, PARAMETER, { now: () => now });
    await store.lookup(web);

    answer(JSON.stringify({ keys: [{ source_id: 'web', key_sha256: web, revoked: true }] }));
    now += 5_000;

    expect(await store.lookup(web)).toEqual({ sourceId: 'web', revoked: true, trackingPlan: 'allow' });
  });

  it('throws when the parameter does not exist', async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    const store = new SsmWriteKeyStore(client, PARAMETER);

    await expect(store.lookup(web)).rejects.toBeInstanceOf(ParameterNotFound);
  });

  it('throws a WriteKeyDocumentError naming the parameter when the document is invalid', async () => {
    answer('{"keys": [{"source_id": "web", "key_sha256": "wk_plaintext"}]}');
    const store = new SsmWriteKeyStore(client, PARAMETER);

    const failure = store.lookup(web);

    await expect(failure).rejects.toBeInstanceOf(WriteKeyDocumentError);
    await expect(failure).rejects.toThrow(PARAMETER);
  });
});
