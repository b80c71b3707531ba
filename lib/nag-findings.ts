import { type CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag names a wildcard-resource finding after the CloudFormation reference it sees, e.g.
 * `AwsSolutions-IAM5[Resource::<DeliveryRawB2B75876.Arn>/events/*]`. These build those ids from
 * the construct, so an acknowledgment names exactly one resource and one pattern.
 */
const arnRef = (resource: IConstruct): string => {
  const element = resource.node.defaultChild as CfnElement;
  return `<${Stack.of(resource).getLogicalId(element)}.Arn>`;
};

/** Finding for `<bucket ARN>/<pattern>` (object keys under one prefix). */
export const bucketObjectsFinding = (bucket: IConstruct, pattern: string): string =>
  `AwsSolutions-IAM5[Resource::${arnRef(bucket)}/${pattern}]`;

/** Finding for `<function ARN>:*` (every version and alias of one function). */
export const functionVersionsFinding = (fn: IConstruct): string =>
  `AwsSolutions-IAM5[Resource::${arnRef(fn)}:*]`;
