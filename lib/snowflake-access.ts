import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccountRootPrincipal, ArnPrincipal, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { RAW_PREFIXES } from '#core/contract/bucket-layout.ts';
import { bucketObjectsFinding } from './nag-findings.ts';

/** External id Snowflake's documentation uses before `DESC INTEGRATION` gives the real one. */
export const PLACEHOLDER_EXTERNAL_ID = '0000';

export interface SnowflakeAccessProps {
  readonly namePrefix: string;
  /** The raw bucket Snowpipe reads. */
  readonly bucket: Bucket;
  /** Secrets Manager name of the key pair secret. */
  readonly secretName: string;
  /**
   * `STORAGE_AWS_IAM_USER_ARN` of the storage integration.
   * @default - this account's root, until the handshake gives the real principal
   */
  readonly snowflakeIamUserArn?: string;
  /**
   * `STORAGE_AWS_EXTERNAL_ID` of the storage integration.
   * @default PLACEHOLDER_EXTERNAL_ID
   */
  readonly snowflakeExternalId?: string;
}

/**
 * How Snowflake and the pipeline reach each other: the IAM role the storage integration assumes
 * (read-only on `events/` and `rejected/`) and the secret holding the service user's key pair.
 * Until the handshake is done the role trusts only this account, so nothing outside can use it.
 */
export class SnowflakeAccess extends Construct {
  public readonly storageRole: Role;
  public readonly keyPairSecret: Secret;

  constructor(scope: Construct, id: string, props: SnowflakeAccessProps) {
    super(scope, id);
    this.storageRole = new Role(this, 'StorageIntegrationRole', {
      roleName: `${props.namePrefix}-snowflake-storage`,
      description: 'Assumed by the Snowflake storage integration to read raw event files',
      assumedBy: props.snowflakeIamUserArn
        ? new ArnPrincipal(props.snowflakeIamUserArn)
        : new AccountRootPrincipal(),
      externalIds: [props.snowflakeExternalId ?? PLACEHOLDER_EXTERNAL_ID],
    });
    const prefixes = Object.values(RAW_PREFIXES);
    this.storageRole.addToPolicy(
      new PolicyStatement({
        sid: 'ReadRawFiles',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: prefixes.map((prefix) => props.bucket.arnForObjects(`${prefix}*`)),
      }),
    );
    this.storageRole.addToPolicy(
      new PolicyStatement({
        sid: 'ListRawPrefixes',
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [props.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': prefixes.map((prefix) => `${prefix}*`) } },
      }),
    );
    Validations.of(this.storageRole).acknowledge(
      ...prefixes.map((prefix) => ({
        id: bucketObjectsFinding(props.bucket, `${prefix}*`),
        reason: `Snowpipe reads every file Firehose writes under ${prefix}; read-only, that prefix only.`,
      })),
    );

    this.keyPairSecret = new Secret(this, 'KeyPair', {
      secretName: props.secretName,
      description:
        'Snowflake service user key pair: replace the generated value with ' +
        '{"private_key":"-----BEGIN PRIVATE KEY-----...","private_key_passphrase":"..."} (docs/DEPLOY.md)',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.keyPairSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Snowflake key pairs rotate in Snowflake (RSA_PUBLIC_KEY_2, then swap; docs/DEPLOY.md), not by a ' +
        'Secrets Manager rotation Lambda.',
    });
  }
}
