import { clientErrorRefusal } from '#adapters/local/client-error.ts';

const parserError = (code: string, reason?: string) =>
  Object.assign(new Error(`Parse Error: ${reason ?? code}`), { code, ...(reason ? { reason } : {}) });

describe('clientErrorRefusal', () => {
  it('answers a stalled request (node’s request timer) with 408 REQUEST_TIMEOUT', () => {
    const refusal = clientErrorRefusal(parserError('ERR_HTTP_REQUEST_TIMEOUT'), 16_384);

    expect(refusal).toMatchObject({ code: 'REQUEST_TIMEOUT', httpStatus: 408 });
  });

  it('names the parser’s own description of a fault it has no wording for', () => {
    const refusal = clientErrorRefusal(parserError('HPE_INVALID_VERSION', 'Invalid HTTP version'), 16_384);

    expect(refusal).toMatchObject({ code: 'MALFORMED_HTTP', httpStatus: 400 });
    expect(refusal?.reason).toContain('Invalid HTTP version');
  });

  it('answers nobody when the client reset or broke the connection', () => {
    expect(clientErrorRefusal(parserError('ECONNRESET'), 16_384)).toBeNull();
    expect(clientErrorRefusal(parserError('EPIPE'), 16_384)).toBeNull();
  });
});
