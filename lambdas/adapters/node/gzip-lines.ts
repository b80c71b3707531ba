import { once } from 'node:events';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import type { LineCodec, ObjectBodyWriter, ObjectLine } from '#core/erasure/ports.ts';

/** The lines of a gzip NDJSON object, streamed (the object is never held whole in memory). */
export async function* gzipLines(body: AsyncIterable<Uint8Array>): AsyncGenerator<ObjectLine> {
  const source = Readable.from(body);
  const gunzip = createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    pending += decoder.write(chunk);
    let end = pending.indexOf('\n');
    while (end >= 0) {
      yield { text: pending.slice(0, end), newline: true };
      pending = pending.slice(end + 1);
      end = pending.indexOf('\n');
    }
  }
  pending += decoder.end();
  if (pending !== '') yield { text: pending, newline: false };
}

/** Gzips lines as they come, keeping only the compressed bytes in memory. */
export class GzipCollector implements ObjectBodyWriter {
  private readonly gzip = createGzip();
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<unknown>;

  constructor() {
    this.gzip.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.done = once(this.gzip, 'end');
  }

  async write(line: ObjectLine): Promise<void> {
    const text = line.newline ? `${line.text}\n` : line.text;
    if (!this.gzip.write(text)) await once(this.gzip, 'drain');
  }

  /** Ends the stream and returns the whole gzip body. */
  async finish(): Promise<Buffer> {
    this.gzip.end();
    await this.done;
    return Buffer.concat(this.chunks);
  }
}

/** The raw bucket's encoding: gzip NDJSON, what Firehose writes and the local Firehose imitates. */
export const GZIP_NDJSON: LineCodec = { lines: gzipLines, writer: () => new GzipCollector() };
