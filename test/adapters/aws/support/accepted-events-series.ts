import type { Metric } from '@aws-sdk/client-cloudwatch';

/** One series of the collector's AcceptedEvents metric as ListMetrics returns it (dimension values as written). */
export const acceptedEventsSeries = (sourceId: string, eventName: string): Metric => ({
  Namespace: 'Tally',
  MetricName: 'AcceptedEvents',
  Dimensions: [
    { Name: 'service', Value: 'collector' },
    { Name: 'SourceId', Value: sourceId },
    { Name: 'EventName', Value: eventName },
  ],
});
