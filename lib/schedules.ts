import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { functionVersionsFinding } from './nag-findings.ts';

/** One recurring invocation. */
export interface JobSchedule {
  /** Construct id and schedule name suffix, e.g. `transform`. */
  readonly name: string;
  /** `rate(5 minutes)` or `cron(0 3 * * ? *)` (UTC). */
  readonly expression: string;
  readonly target: IFunction;
  readonly description: string;
  /**
   * Scheduler's retries when it cannot invoke the function (throttling, service errors).
   * @default 2
   */
  readonly retryAttempts?: number;
  /**
   * How long Scheduler keeps trying one tick.
   * @default Duration.minutes(5)
   */
  readonly maxEventAge?: Duration;
}

export interface SchedulesProps {
  readonly groupName: string;
  readonly jobs: readonly JobSchedule[];
}

/**
 * The EventBridge Scheduler group and one schedule per job, invoking its Lambda. The group is deleted
 * with the stack (its name is fixed: a kept group would block the next deploy); the role may be assumed
 * only by Scheduler acting for this account's group.
 */
export class Schedules extends Construct {
  public readonly group: ScheduleGroup;
  public readonly schedules: Readonly<Record<string, Schedule>>;
  /** The role Scheduler assumes; it may invoke the scheduled functions and nothing else. */
  public readonly role: Role;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    this.group = new ScheduleGroup(this, 'Group', {
      scheduleGroupName: props.groupName,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'InvokeRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnLike: { 'aws:SourceArn': this.group.scheduleGroupArn },
        },
      }),
      description: `Invokes the ${props.groupName} scheduled jobs`,
    });
    const schedules: Record<string, Schedule> = {};
    for (const job of props.jobs) {
      schedules[job.name] = new Schedule(this, job.name, {
        scheduleName: `${props.groupName}-${job.name}`,
        scheduleGroup: this.group,
        description: job.description,
        schedule: ScheduleExpression.expression(job.expression),
        target: new LambdaInvoke(job.target, {
          role: this.role,
          retryAttempts: job.retryAttempts ?? 2,
          maxEventAge: job.maxEventAge ?? Duration.minutes(5),
        }),
      });
    }
    this.schedules = schedules;
    if (props.jobs.length > 0) {
      Validations.of(this.role).acknowledge(
        ...props.jobs.map((job) => ({
          id: functionVersionsFinding(job.target),
          reason: `lambda:InvokeFunction on ${job.name}'s versions and aliases (the :* suffix), that function only.`,
        })),
      );
    }
  }
}
