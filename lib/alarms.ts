import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** One alarm: what it watches, when it fires, and the runbook that says what to do. */
export interface AlarmSpec {
  /** Construct id and alarm name suffix, e.g. `Collector5xx`. */
  readonly id: string;
  /** Runbook file name without `.md` under the runbook base, e.g. `collector-5xx`. */
  readonly runbook: string;
  /** What is wrong when it fires, in one sentence for the page. */
  readonly summary: string;
  readonly metric: IMetric;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  /** @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /** @default ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD */
  readonly comparison?: ComparisonOperator;
  /** @default TreatMissingData.NOT_BREACHING */
  readonly treatMissingData?: TreatMissingData;
}

export interface PipelineAlarmsProps {
  readonly namePrefix: string;
  /** Prefix of runbook links, e.g. `https://github.com/acme/tally/blob/main/docs/runbooks`. */
  readonly runbookBaseUrl: string;
  /** @default - no subscription; subscribe on-call to the topic yourself */
  readonly alarmEmail?: string;
}

/**
 * The alarm topic and every alarm that pages through it. Each alarm's description names what
 * broke and links its runbook; alarms notify on ALARM and on OK so a page resolves itself.
 */
export class PipelineAlarms extends Construct {
  public readonly topic: Topic;
  private readonly byId = new Map<string, Alarm>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: PipelineAlarmsProps,
  ) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      topicName: `${props.namePrefix}-alarms`,
      displayName: 'Tally pipeline alarms',
      enforceSSL: true,
    });
    if (props.alarmEmail !== undefined) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
  }

  /** Every alarm added so far, by id. */
  get alarms(): ReadonlyMap<string, Alarm> {
    return this.byId;
  }

  /** Link to a runbook, as it appears in alarm descriptions. */
  runbookUrl(runbook: string): string {
    return `${this.props.runbookBaseUrl.replace(/\/+$/, '')}/${runbook}.md`;
  }

  add(spec: AlarmSpec): Alarm {
    const alarm = new Alarm(this, spec.id, {
      alarmName: `${this.props.namePrefix}-${spec.id}`,
      alarmDescription: `${spec.summary} Runbook: ${this.runbookUrl(spec.runbook)}`,
      metric: spec.metric,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm ?? spec.evaluationPeriods,
      comparisonOperator: spec.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: spec.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.byId.set(spec.id, alarm);
    return alarm;
  }
}
