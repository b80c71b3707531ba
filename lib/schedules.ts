import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';

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

/** The EventBridge Scheduler group and one schedule per job, invoking its Lambda. */
export class Schedules extends Construct {
  public readonly group: ScheduleGroup;
  public readonly schedules: Readonly<Record<string, Schedule>>;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    this.group = new ScheduleGroup(this, 'Group', { scheduleGroupName: props.groupName });
    const schedules: Record<string, Schedule> = {};
    for (const job of props.jobs) {
      schedules[job.name] = new Schedule(this, job.name, {
        scheduleName: `${props.groupName}-${job.name}`,
        scheduleGroup: this.group,
        description: job.description,
        schedule: ScheduleExpression.expression(job.expression),
        target: new LambdaInvoke(job.target, {
          retryAttempts: job.retryAttempts ?? 2,
          maxEventAge: job.maxEventAge ?? Duration.minutes(5),
        }),
      });
    }
    this.schedules = schedules;
  }
}
