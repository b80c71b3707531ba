import { crc32 } from 'node:zlib';

/**
 * Framing of one record in a stream log segment:
 *
 * ```
 * u32 LE  body length N
 * u32 LE  crc32 over (the 4 length bytes, then the body)
 * body:   f64 LE arrival time (epoch ms) | u16 LE partition key length K | K bytes key (utf8) | data
 * ```
 *
 * A crash can leave a partial frame at the end of the active segment; the checksum also
 * covers the length, so a torn length field is caught too and recovery can cut the file
 * back to the last whole frame.
 */
export const FRAME_HEADER_BYTES = 8;
const BODY_FIXED_BYTES = 10;
/** Guards recovery against reading a garbage length as a huge allocation (Kinesis caps records at 1 MiB). */
export const MAX_FRAME_BODY_BYTES = 8 * 1024 * 1024;

export interface FrameInput {
  readonly partitionKey: string;
  readonly data: Uint8Array;
  readonly arrivedAt: number;
}

export interface DecodedFrame {
  readonly partitionKey: string;
  readonly data: Buffer;
  readonly arrivedAt: number;
  /** Bytes the frame occupies, header included. */
  readonly size: number;
}

/** Why a frame could not be decoded: `incomplete` may still become whole, `corrupt` never will. */
export type FrameProblem =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'corrupt'; readonly detail: string };

/** Size in bytes of the frame `encodeFrame` would produce. */
export const frameSize = (input: FrameInput): number =>
  FRAME_HEADER_BYTES + BODY_FIXED_BYTES + Buffer.byteLength(input.partitionKey) + input.data.byteLength;

/** Writes one frame into `target` at `offset`; returns the offset just past it. */
export const encodeFrameInto = (input: FrameInput, target: Buffer, offset: number): number => {
  const keyBytes = Buffer.byteLength(input.partitionKey);
  const bodyLength = BODY_FIXED_BYTES + keyBytes + input.data.byteLength;
  const body = offset + FRAME_HEADER_BYTES;
  target.writeUInt32LE(bodyLength, offset);
  target.writeDoubleLE(input.arrivedAt, body);
  target.writeUInt16LE(keyBytes, body + 8);
  target.write(input.partitionKey, body + BODY_FIXED_BYTES, 'utf8');
  target.set(input.data, body + BODY_FIXED_BYTES + keyBytes);
  target.writeUInt32LE(checksum(target, offset, bodyLength), offset + 4);
  return body + bodyLength;
};

/** Encodes records into one buffer, ready to be appended with a single write. */
export const encodeFrames = (inputs: readonly FrameInput[]): Buffer => {
  const buffer = Buffer.allocUnsafe(inputs.reduce((sum, input) => sum + frameSize(input), 0));
  let offset = 0;
  for (const input of inputs) offset = encodeFrameInto(input, buffer, offset);
  return buffer;
};

/** Decodes the frame starting at `offset` in `source`, or says why it cannot. */
export const decodeFrame = (source: Buffer, offset: number): DecodedFrame | FrameProblem => {
  if (source.length - offset < FRAME_HEADER_BYTES) return { kind: 'incomplete' };
  const bodyLength = source.readUInt32LE(offset);
  if (bodyLength < BODY_FIXED_BYTES || bodyLength > MAX_FRAME_BODY_BYTES) {
    return { kind: 'corrupt', detail: `implausible frame length ${bodyLength}` };
  }
  if (source.length - offset < FRAME_HEADER_BYTES + bodyLength) return { kind: 'incomplete' };
  if (source.readUInt32LE(offset + 4) !== checksum(source, offset, bodyLength)) {
    return { kind: 'corrupt', detail: 'checksum mismatch' };
  }
  const body = offset + FRAME_HEADER_BYTES;
  const keyBytes = source.readUInt16LE(body + 8);
  if (BODY_FIXED_BYTES + keyBytes > bodyLength) {
    return { kind: 'corrupt', detail: `partition key length ${keyBytes} overruns the frame` };
  }
  const keyStart = body + BODY_FIXED_BYTES;
  return {
    arrivedAt: source.readDoubleLE(body),
    partitionKey: source.toString('utf8', keyStart, keyStart + keyBytes),
    data: source.subarray(keyStart + keyBytes, body + bodyLength),
    size: FRAME_HEADER_BYTES + bodyLength,
  };
};

/** Narrows a decode result to a problem. */
export const isFrameProblem = (value: DecodedFrame | FrameProblem): value is FrameProblem => 'kind' in value;

const checksum = (source: Buffer, frameStart: number, bodyLength: number): number => {
  const body = frameStart + FRAME_HEADER_BYTES;
  return crc32(source.subarray(body, body + bodyLength), crc32(source.subarray(frameStart, frameStart + 4)));
};
