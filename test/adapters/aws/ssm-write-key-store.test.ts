import { GetParameterError } from '@aws-lambda-powertools/parameters/errors';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { jest } from '@jest/globals';
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
afterEach(() => jest.useRealTimers());

/** Powertools Parameters ages its cache on the wall clock: only Date is faked, promises run as usual. */
const fakeClock = (start: number) => {
  jest.useFakeTimers({
    now: start,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  return { advance: (ms: number) => jest.setSystemTime(Date.now() + ms) };
};

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

  it('answers lookups from one read for its max age, then reads again', async () => {
    answer(documentText);
    const clock = fakeClock(1_000_000);
    const store = new SsmWriteKeyStore(client, PARAMETER, { maxAgeSeconds: 5 });

    for (let i = 0; i < 10; i++) await store.lookup(hashWriteKey(`wk_flood_${i}`));
    clock.advance(5_001);
    await store.lookup(web);

    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('shares one read among lookups that arrive while it is in flight', async () => {
    answer(documentText);
    const store = new SsmWriteKeyStore(client, PARAMETER);

    await Promise.all(Array.from({ length: 20 }, (_, i) => store.lookup(hashWriteKey(`wk_burst_${i}`))));

    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it('sees a revocation on the read after the max age, without a new container', async () => {
    answer(documentText);
    const clock = fakeClock(0);
    const store = new SsmWriteKeyStore(client, PARAMETER);
    await store.lookup(web);

    answer(JSON.stringify({ keys: [{ source_id: 'web', key_sha256: web, revoked: true }] }));
    clock.advance(5_001);

    expect(await store.lookup(web)).toEqual({ sourceId: 'web', revoked: true, trackingPlan: 'allow' });
  });

  it('throws when the parameter does not exist, with the SSM error as the cause', async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    const store = new SsmWriteKeyStore(client, PARAMETER);

    const failure = store.lookup(web);

    await expect(failure).rejects.toBeInstanceOf(GetParameterError);
    await expect(failure).rejects.toMatchObject({ cause: expect.any(ParameterNotFound) });
  });

  it('throws a WriteKeyDocumentError naming the parameter when the document is invalid', async () => {
    answer('{"keys": [{"source_id": "web", "key_sha256": "wk_plaintext"}]}');
    const store = new SsmWriteKeyStore(client, PARAMETER);

    const failure = store.lookup(web);

    await expect(failure).rejects.toBeInstanceOf(WriteKeyDocumentError);
    await expect(failure).rejects.toThrow(PARAMETER);
  });
});
