import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStack, startLocalStack } from '../../lambdas/local/local-stack.ts';
import type { StackStatus } from '../../lambdas/local/stack-status.ts';
import { tallyHome } from '../../lambdas/local/tally-home.ts';

let root: string;
let stack: LocalStack;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tally-counters-'));
  stack = await startLocalStack({
    home: tallyHome(root),
    port: 0,
    logLevel: 'SILENT',
    bufferIntervalMs: 200,
  });
});
afterAll(async () => {
  await stack.stop();
  await rm(root, { recursive: true, force: true });
});

const REQUESTS = 40;
const EVENTS_PER_REQUEST = 25;
/** Every fifth event breaks its schema and is rejected. */
const event = (request: number, i: number) => ({
  event_name: 'feature_used',
  event_id: `counters-${request}-${i}`,
  user_id: `u${i}`,
  workspace_id: 'w1',
  feature_id: 'editor.comments.mention',
  ...(i % 5 === 0 ? { occurred_at: 'not a time' } : {}),
});

const send = async (request: number): Promise<void> => {
  const response = await fetch(`${stack.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tally-write-key': stack.writeKeys.local! },
    body: JSON.stringify({
      events: Array.from({ length: EVENTS_PER_REQUEST }, (_, i) => event(request, i)),
    }),
  });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
};

/** Polls the status (as `tally dev`'s status line does) until `done` holds or `timeoutMs` passed. */
const statusWhen = async (done: (s: StackStatus) => boolean, timeoutMs: number): Promise<StackStatus> => {
  const deadline = Date.now() + timeoutMs;
  let status = await stack.status();
  while (!done(status) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = await stack.status();
  }
  return status;
};

describe('the status counters', () => {
  it('agree once the pipeline is idle: validated + rejected = received = loaded, no backlog, nothing buffered', async () => {
    // a burst from a few clients at once: many small batches in quick succession, then silence
    for (let wave = 0; wave < REQUESTS; wave += 4) {
      await Promise.all([wave, wave + 1, wave + 2, wave + 3].map(send));
    }
    const sent = REQUESTS * EVENTS_PER_REQUEST;

    // idle: everything the collector acknowledged is loaded into raw (no settle: it would ask the
    // validator thread for its stats, and the point is what the status shows on its own)
    const loaded = await statusWhen((s) => s.rowsLoaded === sent, 60_000);
    expect(loaded.received).toBe(sent);
    expect(loaded.rowsLoaded).toBe(sent);
    const idle = await statusWhen(
      (s) => s.validated + s.rejected === sent && s.streamLagBytes === 0 && s.linesBuffered === 0,
      5_000,
    );

    expect({
      received: idle.received,
      validatedPlusRejected: idle.validated + idle.rejected,
      rejected: idle.rejected,
      loaded: idle.rowsLoaded,
      backlogBytes: idle.streamLagBytes,
      linesBuffered: idle.linesBuffered,
    }).toEqual({
      received: sent,
      validatedPlusRejected: sent,
      rejected: REQUESTS * (EVENTS_PER_REQUEST / 5),
      loaded: sent,
      backlogBytes: 0,
      linesBuffered: 0,
    });
  });
});
