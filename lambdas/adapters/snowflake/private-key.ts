import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SnowflakeConfigError } from './errors.ts';

/** What the key-pair secret holds: `{ "private_key": "<PEM>", "private_key_passphrase"?: "..." }`. */
export interface KeySecret {
  readonly privateKey: string;
  readonly passphrase: string | undefined;
}

/**
 * Parses the secret's JSON; throws a SnowflakeConfigError listing every problem. Messages name the secret and
 * the field, never its content.
 */
export const parseKeySecret = (secretString: string | undefined, secretId: string): KeySecret => {
  const where = `secret ${secretId}`;
  if (secretString === undefined || secretString.trim() === '') {
    throw new SnowflakeConfigError([`${where} has no SecretString (binary secrets are not supported)`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch (error) {
    throw new SnowflakeConfigError([`${where} is not JSON; expected { "private_key": "<PEM>" }`], {
      cause: error,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SnowflakeConfigError([`${where} is not a JSON object; expected { "private_key": "<PEM>" }`]);
  }
  const fields = parsed as Record<string, unknown>;
  const problems: string[] = [];
  const privateKey = fields.private_key;
  if (typeof privateKey !== 'string' || privateKey.trim() === '') {
    problems.push(`${where} has no "private_key" string`);
  } else if (!privateKey.includes('-----BEGIN')) {
    problems.push(`${where}: "private_key" is not a PEM block (-----BEGIN ... PRIVATE KEY-----)`);
  }
  const passphrase = fields.private_key_passphrase;
  if (passphrase !== undefined && passphrase !== null && typeof passphrase !== 'string') {
    problems.push(`${where}: "private_key_passphrase" must be a string when present`);
  }
  if (problems.length > 0) throw new SnowflakeConfigError(problems);
  return {
    privateKey: typeof privateKey === 'string' ? restoreNewlines(privateKey) : '',
    passphrase: typeof passphrase === 'string' && passphrase !== '' ? passphrase : undefined,
  };
};

/**
 * The key as the driver takes it: an unencrypted PKCS#8 PEM. Decrypts an encrypted PEM (PKCS#8 or
 * PKCS#1 with DEK-Info) with the passphrase, so the passphrase never reaches the driver's options.
 */
export const toPkcs8Pem = (secret: KeySecret, secretId: string): string => {
  const where = `secret ${secretId}`;
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: secret.privateKey, format: 'pem', passphrase: secret.passphrase });
  } catch (error) {
    throw new SnowflakeConfigError([keyProblem(secret, where)], { cause: error });
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new SnowflakeConfigError([
      `${where}: "private_key" is a ${key.asymmetricKeyType ?? 'non-RSA'} key; snowflake-sdk signs its login JWT ` +
        'with RS256, which needs an RSA key',
    ]);
  }
  return key.export({ format: 'pem', type: 'pkcs8' }).toString();
};

/** Read from the PEM itself: OpenSSL's error codes for a missing passphrase differ between versions. */
const isEncryptedPem = (pem: string): boolean =>
  pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || pem.includes('Proc-Type: 4,ENCRYPTED');

const keyProblem = (secret: KeySecret, where: string): string => {
  if (!isEncryptedPem(secret.privateKey)) return `${where}: "private_key" is not a readable PEM private key`;
  return secret.passphrase === undefined
    ? `${where}: "private_key" is encrypted but the secret has no "private_key_passphrase"`
    : `${where}: "private_key" could not be decrypted with "private_key_passphrase" (wrong passphrase?)`;
};

/** A PEM pasted into JSON by hand often arrives with literal `\n` sequences instead of line breaks. */
const restoreNewlines = (pem: string): string => (pem.includes('\n') ? pem : pem.replaceAll('\\n', '\n'));
