import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/**
 * Who an alarm notifies: `page` goes to the alarm topic (on-call, now); `ticket` to the ticket topic
 * (someone looks during working hours), for conditions that degrade data but break nothing.
 */
export type AlarmSeverity = 'page' | 'ticket';

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
  /** @default 'page' */
  readonly severity?: AlarmSeverity;
}

export interface PipelineAlarmsProps {
  readonly namePrefix: string;
  /** Prefix of runbook links, e.g. `https://github.com/acme/tally/blob/main/docs/runbooks`. */
  readonly runbookBaseUrl: string;
  /** @default - no subscription; subscribe on-call to the topic yourself */
  readonly alarmEmail?: string;
  /** @default - no subscription; subscribe your ticketing inbox to the ticket topic yourself */
  readonly ticketEmail?: string;
}

/**
 * The alarm topic (pages), the ticket topic (warnings) and every alarm that notifies them. Each
 * alarm's description names what broke and links its runbook; alarms notify on ALARM and on OK so
 * a page resolves itself.
 */
export class PipelineAlarms extends Construct {
  /** Pages on-call. */
  public readonly topic: Topic;
  /** Tickets: warn-severity conditions that do not need anyone now. */
  public readonly ticketTopic: Topic;
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
    this.ticketTopic = new Topic(this, 'TicketTopic', {
      topicName: `${props.namePrefix}-tickets`,
      displayName: 'Tally pipeline warnings (tickets, not pages)',
      enforceSSL: true,
    });
    if (props.ticketEmail !== undefined) {
      this.ticketTopic.addSubscription(new EmailSubscription(props.ticketEmail));
    }
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
    const action = new SnsAction((spec.severity ?? 'page') === 'page' ? this.topic : this.ticketTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.byId.set(spec.id, alarm);
    return alarm;
  }
}
