import { Stack, Validations } from 'aws-cdk-lib';
import { EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RAW_PREFIXES } from '#core/contract/bucket-layout.ts';

export interface SnowpipeNotificationsProps {
  readonly bucket: IBucket;
  /** The pipes' `notification_channel` (one SQS queue per Snowflake account and region). */
  readonly queueArn: string;
}

/**
 * How Firehose creates raw files. Copies are left out on purpose: the erasure rewrites a file by
 * copying its cleaned bytes over it, and a notification would have Snowpipe load the file again once
 * its 14-day load history has forgotten it.
 */
export const SNOWPIPE_EVENT_TYPES = [
  EventType.OBJECT_CREATED_PUT,
  EventType.OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD,
] as const;

/**
 * Tells Snowpipe about every new raw file: an S3 event notification per prefix and creating event
 * type to the queue Snowflake owns. Both pipes share the queue; each pipe's stage path picks its own files.
 */
export class SnowpipeNotifications extends Construct {
  constructor(scope: Construct, id: string, props: SnowpipeNotificationsProps) {
    super(scope, id);
    const destination = new SqsDestination(Queue.fromQueueArn(this, 'SnowpipeQueue', props.queueArn));
    for (const prefix of Object.values(RAW_PREFIXES)) {
      for (const type of SNOWPIPE_EVENT_TYPES)
        props.bucket.addEventNotification(type, destination, { prefix });
    }
    // aws-cdk-lib applies the notification configuration through its own singleton function.
    for (const child of Stack.of(this).node.children) {
      if (!child.node.id.startsWith('BucketNotificationsHandler')) continue;
      Validations.of(child).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "aws-cdk-lib's bucket notifications handler (a deploy-time custom resource) comes with this role; " +
          'it only writes its own logs with it.',
      });
    }
  }
}
