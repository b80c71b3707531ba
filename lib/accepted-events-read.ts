import { Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ProjectFunction } from './project-function.ts';

/** What reading the collector's `AcceptedEvents` metric back takes (`CloudWatchAcceptedCounts`). */
export const ACCEPTED_EVENTS_READ_ACTIONS = ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'] as const;

/**
 * Lets a function (the quality job) list and read the collector's `AcceptedEvents` series, the
 * reconciliation's left side on AWS. Both actions support no resource-level permission and no condition
 * key, so the statement is on `*`, acknowledged on this role alone.
 */
export const grantAcceptedEventsRead = (fn: ProjectFunction): void => {
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'ReadCollectorAcceptedEvents',
      actions: [...ACCEPTED_EVENTS_READ_ACTIONS],
      resources: ['*'],
    }),
  );
  Validations.of(fn.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'cloudwatch:GetMetricData and cloudwatch:ListMetrics take no resource ARN or condition key; the quality job ' +
      'reads only metric data with them (the collector AcceptedEvents series), besides X-Ray tracing. ' +
      'test/infra asserts these are the only actions on * beyond tracing.',
  });
};
