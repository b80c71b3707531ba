/** Ports the validator core drives. Adapters: `adapters/aws/firehose-sink.ts`, `adapters/local/...`. */

export interface SinkWriteResult {
  /** Indexes (into the lines passed in) that were not stored; their records are reported as batch item failures. */
  readonly failed: readonly number[];
}

/** Where validated or rejected NDJSON lines go (a Firehose delivery stream on AWS, a local buffer locally). */
export interface LineSink {
  /** Each line is one JSON document without the trailing newline. */
  write(lines: readonly string[]): Promise<SinkWriteResult>;
}
