import { GetParameterError } from '@aws-lambda-powertools/parameters/errors';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SnowflakeConfigError, SnowflakeConnectionError, type SnowflakeError } from './errors.ts';
import { parseKeySecret, toPkcs8Pem } from './private-key.ts';

/** Returns the private key the driver signs its login JWT with, as an unencrypted PKCS#8 PEM. */
export type PrivateKeySource = () => Promise<string>;

/**
 * How long a read of the key-pair secret serves new sessions. A rotated key (docs/DEPLOY.md, key
 * rotation) reaches every container within this, without a recycle; Secrets Manager is called at most
 * once per container per period.
 */
export const KEY_MAX_AGE_SECONDS = 300;

/**
 * Reads the key-pair secret from Secrets Manager through Powertools Parameters and keeps it for
 * `maxAgeSeconds` (create one per container, at module scope); the key is decrypted once per secret
 * value. Concurrent sessions share one read, and a failed read is not cached, so the next session
 * attempt reads again.
 */
export const createSecretsManagerKeySource = (
  client: SecretsManagerClient,
  secretId: string,
  options: { readonly maxAgeSeconds?: number } = {},
): PrivateKeySource => {
  const provider = new SecretsProvider({ awsSdkV3Client: client });
  const maxAge = options.maxAgeSeconds ?? KEY_MAX_AGE_SECONDS;
  let reading: Promise<string | Uint8Array | undefined> | undefined;
  let last: { readonly secret: string; readonly key: string } | undefined;
  return async () => {
    let secretString: string | undefined;
    try {
      reading ??= provider.get(secretId, { maxAge }).finally(() => {
        reading = undefined;
      });
      const value = await reading;
      secretString = typeof value === 'string' ? value : undefined;
    } catch (error) {
      throw readFailure(error instanceof GetParameterError ? (error.cause ?? error) : error, secretId);
    }
    if (last === undefined || last.secret !== secretString) {
      last = {
        secret: secretString ?? '',
        key: toPkcs8Pem(parseKeySecret(secretString, secretId), secretId),
      };
    }
    return last.key;
  };
};

/** Missing secret or permission is for an operator to fix; throttling and server faults may pass on their own. */
const readFailure = (error: unknown, secretId: string): SnowflakeError => {
  const name = error instanceof Error ? error.name : 'Error';
  const detail = error instanceof Error ? `${name}: ${error.message}` : String(error);
  const { $fault, $retryable } = (error ?? {}) as { $fault?: unknown; $retryable?: unknown };
  if ($fault === 'client' && $retryable === undefined) {
    return new SnowflakeConfigError([`secret ${secretId} could not be read (${detail})`], { cause: error });
  }
  return new SnowflakeConnectionError(`reading secret ${secretId} failed (${detail})`, {
    cause: error,
    retryable: true,
    code: name,
  });
};

const containerKeySources = new Map<string, PrivateKeySource>();
let containerClient: SecretsManagerClient | undefined;

/**
 * The container-wide key source for `secretId`: every warehouse created in this process shares its reads of
 * the secret. Uses the default AWS credential chain and region.
 */
export const containerKeySource = (secretId: string): PrivateKeySource => {
  let source = containerKeySources.get(secretId);
  if (source === undefined) {
    containerClient ??= new SecretsManagerClient({});
    source = createSecretsManagerKeySource(containerClient, secretId);
    containerKeySources.set(secretId, source);
  }
  return source;
};
