import type { KinesisStreamEvent } from 'aws-lambda';
import { type StreamedRecord, toStreamedRecord } from '#core/validator/streamed-record.ts';

/** The records of a Kinesis trigger event, decoded from base64, with their arrival time in ISO-8601. */
export const toStreamedRecords = (event: KinesisStreamEvent): StreamedRecord[] =>
  event.Records.map(({ kinesis }) =>
    toStreamedRecord(
      kinesis.sequenceNumber,
      Buffer.from(kinesis.data, 'base64'),
      new Date(Math.round(kinesis.approximateArrivalTimestamp * 1000)).toISOString(),
    ),
  );
