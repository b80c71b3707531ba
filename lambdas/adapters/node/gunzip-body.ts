import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { InvalidGzipError, RequestTooLargeError } from '#core/collector/errors.ts';
import type { InflateBody } from '#core/collector/ports.ts';

const gunzipAsync = promisify(gunzip);

/**
 * The collector's gzip inflater on node:zlib: stops at `maxBytes` of output (a zip bomb is never fully
 * expanded) and says which refusal applies (413 past the limit, 400 for a stream that is not gzip).
 */
export const gunzipBody: InflateBody = async (bytes, maxBytes) => {
  try {
    return await gunzipAsync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new RequestTooLargeError(maxBytes, true);
    throw new InvalidGzipError(error);
  }
};
