import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamUnavailableError } from '#core/collector/errors.ts';
import { WarehouseQueryError, WarehouseUnavailableError } from '#core/warehouse/errors.ts';
import { ProblemLog } from '../../lambdas/local/problem-log.ts';
import { until } from '../support/until.ts';

const enospc = (what: string) =>
  Object.assign(new Error(`${what}: ENOSPC: no space left on device, write`), { code: 'ENOSPC' });

describe('ProblemLog', () => {
  let root: string;
  let lines: string[];
  let log: ProblemLog;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tally-problems-'));
    lines = [];
    log = new ProblemLog({ root, print: (line) => lines.push(line), intervalMs: 100 });
  });
  afterEach(async () => {
    await log.flush();
    await rm(root, { recursive: true, force: true });
  });

  it('says a full disk once, in one line with the folder, the free space and the fix, then once per interval with counts', async () => {
    for (let i = 0; i < 500; i++) {
      log.refused('STREAM_UNAVAILABLE', 503, 'the event stream did not accept 1 event(s)', {
        cause: enospc('append'),
      });
    }
    log.report('loader: events/a.json.gz', enospc('load'));
    log.reportLine('validator', 'stream consumer: No space left on device');
    await until(() => lines.length >= 2);

    expect(lines[0]).toMatch(
      new RegExp(
        `^disk full: the filesystem holding ${root} has [\\d.]+ [KMGT]?i?B free; refusing events with 503 and retrying every stage until there is room; nothing acknowledged is lost\\. Free some space there \\(tally dev carries on by itself once there is room\\), or stop it and start it with --home on a disk with room$`,
      ),
    );
    // the scratch folder is on a roomy disk: the next line says the disk has room, with what failed before
    expect(lines[1]).toMatch(
      /^disk: .* has room again \(.* free\); every stage carries on \(in the last 0.1 s, before that, requests refused with 503: 500, loader: events\/a.json.gz: 1, validator: 1\)$/,
    );
  });

  it('says a refusal that is not a full disk when it starts, then how many per interval, until it stops', async () => {
    const refuse = () =>
      log.refused('SERVICE_DEGRADED', 503, 'the local warehouse is being reopened', new Error('reopening'));
    for (let i = 0; i < 3; i++) refuse();
    await until(() => lines.length >= 2);
    refuse();
    await until(() => lines.length >= 3);

    expect(lines).toEqual([
      'collector: refusing requests with 503 SERVICE_DEGRADED: the local warehouse is being reopened (counted, said again every 0.1 s)',
      'collector: refused 3 request(s) in the last 0.1 s with 503 SERVICE_DEGRADED: the local warehouse is being reopened',
      'collector: refused 1 request(s) in the last 0.1 s with 503 SERVICE_DEGRADED: the local warehouse is being reopened',
    ]);
  });

  it('counts the stages that fail while the warehouse is being reopened, in one line per interval', async () => {
    const outage = new WarehouseUnavailableError('FATAL Error: checkpoint failed', new Date());
    for (let i = 0; i < 5; i++) log.report(`loader: events/${i}.json.gz`, outage);
    log.report(
      'transform',
      new WarehouseQueryError(`ops/locks#acquire: ${outage.message}`, 'UPDATE', { cause: outage }),
    );
    await until(() => lines.length > 0);

    expect(lines).toEqual([
      expect.stringMatching(
        /^warehouse: waiting for it to be reopened; in the last 0.1 s, loader: events\/0.json.gz: 1, .*transform: 1 \(each retries by itself\)$/,
      ),
    ]);
  });

  it('passes other problems through as they are', () => {
    log.report('transform', new Error('model fct_feature_events failed'));

    expect(lines).toEqual(['transform: model fct_feature_events failed']);
  });

  it('recognises a stream refusal caused by a full disk from its cause', async () => {
    const refusal = new StreamUnavailableError(3, 1, 2, enospc('append'));
    log.refused(refusal.code, refusal.httpStatus, refusal.reason, refusal);
    await until(() => lines.length > 0);

    expect(lines).toEqual([expect.stringMatching(/^disk full: /)]);
  });
});
