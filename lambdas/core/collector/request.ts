/**
 * The plain HTTP request the collector core works on, independent of API Gateway or the
 * local HTTP server that produced it.
 */
export interface CollectRequest {
  readonly method: string;
  /** Path without query string, e.g. `/v1/batch`. */
  readonly path: string;
  /** Header names in any case; values as received (multi-valued headers joined with `,`). */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Raw body: bytes, or a string that is UTF-8 text (or base64 text when `isBase64Encoded`). */
  readonly body: Uint8Array | string | undefined;
  readonly isBase64Encoded: boolean;
  /** Unique id of the request (API Gateway `requestContext.requestId`), stamped on every event. */
  readonly requestId: string;
}

/** Header lookup that ignores case (API Gateway lower-cases names; other servers may not). */
export const headerReader = (
  headers: Readonly<Record<string, string | undefined>>,
): ((name: string) => string | undefined) => {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) lower.set(name.toLowerCase(), value);
  }
  return (name) => lower.get(name.toLowerCase());
};
