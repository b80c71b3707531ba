import { WriteKeyDocumentError } from '#core/collector/errors.ts';
import { hashWriteKey } from '#core/collector/write-key.ts';
import { parseWriteKeyDocument } from '#core/collector/write-key-document.ts';

const digest = hashWriteKey('wk_web');

/** The problems a WriteKeyDocumentError lists for the text (none when it parses). */
const problemsOf = (text: string): readonly string[] => {
  try {
    parseWriteKeyDocument(text, 'in test');
  } catch (error) {
    if (error instanceof WriteKeyDocumentError) return error.problems;
    throw error;
  }
  return [];
};

describe('parseWriteKeyDocument', () => {
  it('maps each digest to its source and revocation', () => {
    const old = hashWriteKey('wk_web_old');
    const text = JSON.stringify({
      keys: [
        { source_id: 'web', key_sha256: digest },
        { source_id: 'web', key_sha256: old, revoked: true },
      ],
    });

    const keys = parseWriteKeyDocument(text, 'in test');

    expect(keys.get(digest)).toEqual({ sourceId: 'web', revoked: false, trackingPlan: 'allow' });
    expect(keys.get(old)).toEqual({ sourceId: 'web', revoked: true, trackingPlan: 'allow' });
  });

  it("gives each key its source's tracking plan, allow when the entry names none", () => {
    const ios = hashWriteKey('wk_ios');
    const keys = parseWriteKeyDocument(
      JSON.stringify({
        keys: [
          { source_id: 'web', key_sha256: digest, tracking_plan: 'strict' },
          { source_id: 'ios', key_sha256: ios },
        ],
      }),
      'in test',
    );

    expect(keys.get(digest)?.trackingPlan).toBe('strict');
    expect(keys.get(ios)?.trackingPlan).toBe('allow');
  });

  it('refuses a bad tracking_plan with a message naming the entry and its source', () => {
    const text = JSON.stringify({
      keys: [
        { source_id: 'ios', key_sha256: hashWriteKey('wk_ios'), tracking_plan: 'allow' },
        { source_id: 'web', key_sha256: digest, tracking_plan: 'permissive' },
        { source_id: 'android', key_sha256: hashWriteKey('wk_android'), tracking_plan: true },
        {
          source_id: 'backend',
          key_sha256: hashWriteKey('wk_backend'),
          tracking_plan: 'wk_live_0123456789abcdef',
        },
      ],
    });

    expect(() => parseWriteKeyDocument(text, 'in file .tally/write-keys.json')).toThrow(
      WriteKeyDocumentError,
    );
    expect(problemsOf(text)).toEqual([
      'keys[1] (source "web"): tracking_plan must be "allow" or "strict" when present, got "permissive"',
      'keys[2] (source "android"): tracking_plan must be "allow" or "strict" when present, got a boolean',
      'keys[3] (source "backend"): tracking_plan must be "allow" or "strict" when present, got another string',
    ]);
  });

  it('refuses two keys of one source with different tracking plans, counting an entry without one as allow', () => {
    const text = JSON.stringify({
      keys: [
        { source_id: 'web', key_sha256: hashWriteKey('wk_web_old'), tracking_plan: 'strict', revoked: true },
        { source_id: 'web', key_sha256: digest },
      ],
    });

    expect(problemsOf(text)).toEqual([
      'keys[1] (source "web"): tracking_plan is "allow" but keys[0] of the same source is "strict" (an entry without tracking_plan is "allow"); a source has one mode, whichever key a client uses',
    ]);
  });

  it('matches upper-case digests', () => {
    const keys = parseWriteKeyDocument(
      JSON.stringify({ keys: [{ source_id: 'web', key_sha256: digest.toUpperCase() }] }),
      'in test',
    );

    expect(keys.get(digest)?.sourceId).toBe('web');
  });

  it('lists every problem of an invalid document', () => {
    const text = JSON.stringify({
      keys: [
        { source_id: '', key_sha256: digest },
        { source_id: 'ios', key_sha256: 'wk_plaintext_key' },
        { source_id: 'web', key_sha256: digest, revoked: 'yes' },
        { source_id: 'web', key_sha256: digest },
        { source_id: 'web', key_sha256: digest },
        7,
      ],
    });

    expect(problemsOf(text)).toEqual([
      'keys[0].source_id must be a non-empty string',
      'keys[1].key_sha256 must be 64 hex characters (sha256 of the key, never the key itself)',
      'keys[2].revoked must be a boolean when present',
      'keys[4].key_sha256 appears more than once',
      'keys[5] must be an object',
    ]);
  });

  it.each(['not json', '[]', '{"keys": {}}'])('refuses %s naming where it came from', (text) => {
    expect(() => parseWriteKeyDocument(text, 'in SSM parameter /x')).toThrow(/in SSM parameter \/x/);
  });
});

describe('parseWriteKeyDocument on text that is not JSON', () => {
  it('reports where the syntax breaks without quoting the text', () => {
    expect(() => parseWriteKeyDocument('wk_live_plaintext_secret', 'in test')).toThrow(
      /not valid JSON \(syntax error at character 0\)/,
    );
    expect(() => parseWriteKeyDocument('wk_live_plaintext_secret', 'in test')).not.toThrow(
      /plaintext_secret/,
    );
  });
});
