import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SnowflakeConfigError, SnowflakeConnectionError, type SnowflakeError } from './errors.ts';
import { parseKeySecret, toPkcs8Pem } from './private-key.ts';

/** Returns the private key the driver signs its login JWT with, as an unencrypted PKCS#8 PEM. */
export type PrivateKeySource = () => Promise<string>;

/**
 * Reads the key-pair secret from Secrets Manager on first use and keeps the decrypted key for the life of
 * the container (create one per container, at module scope). A failed read is not cached, so the next
 * session attempt reads again.
 */
export const createSecretsManagerKeySource = (
  client: SecretsManagerClient,
  secretId: string,
): PrivateKeySource => {
  let key: Promise<string> | undefined;
  const load = async (): Promise<string> => {
    let secretString: string | undefined;
    try {
      ({ SecretString: secretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId })));
    } catch (error) {
      throw readFailure(error, secretId);
    }
    return toPkcs8Pem(parseKeySecret(secretString, secretId), secretId);
  };
  return () => {
    key ??= load().catch((error: unknown) => {
      key = undefined;
      throw error;
    });
    return key;
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
 * The container-wide key source for `secretId`: every warehouse created in this process shares one read of
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
