import { WriteKeyDocumentError } from '#core/collector/errors.ts';
import { hashWriteKey } from '#core/collector/write-key.ts';
import { parseWriteKeyDocument } from '#core/collector/write-key-document.ts';

const digest = hashWriteKey('wk_web');

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

    expect(keys.get(digest)).toEqual({ sourceId: 'web', revoked: false });
    expect(keys.get(old)).toEqual({ sourceId: 'web', revoked: true });
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

    let problems: readonly string[] = [];
    try {
      parseWriteKeyDocument(text, 'in test');
    } catch (error) {
      if (error instanceof WriteKeyDocumentError) problems = error.problems;
    }

    expect(problems).toEqual([
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
