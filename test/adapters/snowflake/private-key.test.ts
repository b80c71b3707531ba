import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyExportOptions,
  type KeyObject,
} from 'node:crypto';
import { SnowflakeConfigError } from '#adapters/snowflake/errors.ts';
import { parseKeySecret, toPkcs8Pem } from '#adapters/snowflake/private-key.ts';

const SECRET_ID = 'tally/snowflake';
const PASSPHRASE = 'correct horse battery staple';

let rsa: { privateKey: KeyObject; publicKey: KeyObject };
let publicPem: string;
beforeAll(() => {
  rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  publicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
});

const pem = (options: KeyExportOptions<'pem'>) => rsa.privateKey.export(options).toString();
const publicKeyOf = (privatePem: string) =>
  createPublicKey(createPrivateKey(privatePem)).export({ type: 'spki', format: 'pem' }).toString();
const problemsOf = (run: () => unknown): readonly string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof SnowflakeConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a SnowflakeConfigError');
};

describe('toPkcs8Pem', () => {
  it('decrypts an encrypted PKCS#8 PEM with its passphrase into an unencrypted PKCS#8 PEM of the same key', () => {
    const encrypted = pem({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE });
    expect(encrypted).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');

    const key = toPkcs8Pem({ privateKey: encrypted, passphrase: PASSPHRASE }, SECRET_ID);

    expect(key.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
    expect(key.trimEnd().endsWith('\n-----END PRIVATE KEY-----')).toBe(true);
    expect(publicKeyOf(key)).toBe(publicPem);
  });

  it('decrypts a traditional encrypted PKCS#1 PEM (Proc-Type and DEK-Info headers)', () => {
    const encrypted = pem({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: PASSPHRASE });
    expect(encrypted).toContain('DEK-Info: AES-128-CBC');

    const key = toPkcs8Pem({ privateKey: encrypted, passphrase: PASSPHRASE }, SECRET_ID);

    expect(key.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
    expect(publicKeyOf(key)).toBe(publicPem);
  });

  it('passes an unencrypted key through as PKCS#8', () => {
    const key = toPkcs8Pem(
      { privateKey: pem({ type: 'pkcs1', format: 'pem' }), passphrase: undefined },
      SECRET_ID,
    );

    expect(key).toBe(pem({ type: 'pkcs8', format: 'pem' }));
  });

  it('says the passphrase is missing when the key is encrypted and the secret has none', () => {
    const encrypted = pem({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE });

    expect(problemsOf(() => toPkcs8Pem({ privateKey: encrypted, passphrase: undefined }, SECRET_ID))).toEqual(
      ['secret tally/snowflake: "private_key" is encrypted but the secret has no "private_key_passphrase"'],
    );
  });

  it('says the passphrase is wrong without repeating it', () => {
    const encrypted = pem({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE });

    const run = () => toPkcs8Pem({ privateKey: encrypted, passphrase: 'not it' }, SECRET_ID);

    expect(problemsOf(run)).toEqual([
      'secret tally/snowflake: "private_key" could not be decrypted with "private_key_passphrase" (wrong passphrase?)',
    ]);
    expect(run).toThrow(expect.objectContaining({ message: expect.not.stringContaining('not it') }));
  });

  it('refuses a non-RSA key, which the Node.js driver cannot sign its login with', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const ecPem = ec.export({ type: 'pkcs8', format: 'pem' }).toString();

    expect(problemsOf(() => toPkcs8Pem({ privateKey: ecPem, passphrase: undefined }, SECRET_ID))).toEqual([
      'secret tally/snowflake: "private_key" is a ec key; snowflake-sdk signs its login JWT with RS256, which needs an RSA key',
    ]);
  });

  it('keeps the crypto error as the cause', () => {
    const broken = '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n';

    expect(() => toPkcs8Pem({ privateKey: broken, passphrase: undefined }, SECRET_ID)).toThrow(
      expect.objectContaining({
        problems: ['secret tally/snowflake: "private_key" is not a readable PEM private key'],
        // The crypto error comes from Node's realm, not Jest's, so match its shape rather than its class.
        cause: expect.objectContaining({ code: expect.stringMatching(/^ERR_/) }),
      }),
    );
  });
});

describe('parseKeySecret', () => {
  it('reads the key and the optional passphrase from the secret JSON', () => {
    const privateKey = pem({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE });

    const secret = parseKeySecret(
      JSON.stringify({ private_key: privateKey, private_key_passphrase: PASSPHRASE }),
      SECRET_ID,
    );

    expect(secret).toEqual({ privateKey, passphrase: PASSPHRASE });
  });

  it('treats an absent, null or empty passphrase as none', () => {
    const privateKey = pem({ type: 'pkcs8', format: 'pem' });

    for (const extra of [{}, { private_key_passphrase: null }, { private_key_passphrase: '' }]) {
      expect(parseKeySecret(JSON.stringify({ private_key: privateKey, ...extra }), SECRET_ID)).toEqual({
        privateKey,
        passphrase: undefined,
      });
    }
  });

  it('restores line breaks in a PEM pasted with literal \\n sequences', () => {
    const privateKey = pem({ type: 'pkcs8', format: 'pem' });
    const flattened = privateKey.replaceAll('\n', '\\n');

    expect(parseKeySecret(JSON.stringify({ private_key: flattened }), SECRET_ID).privateKey).toBe(privateKey);
  });

  it('lists every problem with the secret fields together', () => {
    const secret = JSON.stringify({ private_key: 'MIIEvQIBADANBg', private_key_passphrase: 42 });

    expect(problemsOf(() => parseKeySecret(secret, SECRET_ID))).toEqual([
      'secret tally/snowflake: "private_key" is not a PEM block (-----BEGIN ... PRIVATE KEY-----)',
      'secret tally/snowflake: "private_key_passphrase" must be a string when present',
    ]);
  });

  it.each([
    [
      'no SecretString',
      undefined,
      'secret tally/snowflake has no SecretString (binary secrets are not supported)',
    ],
    [
      'text that is not JSON',
      '-----BEGIN PRIVATE KEY-----',
      'secret tally/snowflake is not JSON; expected { "private_key": "<PEM>" }',
    ],
    [
      'a JSON array',
      '[]',
      'secret tally/snowflake is not a JSON object; expected { "private_key": "<PEM>" }',
    ],
    ['no private_key', '{"privateKey":"x"}', 'secret tally/snowflake has no "private_key" string'],
  ])('refuses a secret with %s', (_, secretString, problem) => {
    expect(problemsOf(() => parseKeySecret(secretString, SECRET_ID))).toEqual([problem]);
  });
});
