import fc from 'fast-check';
import { loadValidator } from '#adapters/node/load-validator.ts';
import type { RecordValidator } from '#core/validator/validate-record.ts';
import { BothLoadPaths, validateRecords } from '../../support/validator-lines.ts';

/**
 * Property: every line the validator emits, validated or rejected, loads into DuckDB through both
 * raw load paths, whatever the events held. Events are written as JSON text (not serialised objects)
 * so they can hold what clients send and JSON.stringify never writes: number literals beyond a
 * double, escaped lone surrogates, escaped pairs, control characters, odd keys, times of every form
 * and year, deep nesting; a few records also carry bytes that are not UTF-8. Records come from sources
 * of either tracking plan (or none, or a hostile one), with names that have no schema, so unplanned
 * events (`planned` false) are emitted and loaded too. Each case is a stream batch of one to four
 * records, and its lines go to one events file and one rejected file.
 */

const SEED = 1414;
const RUNS = 150;

/** JSON text of a string with every character outside printable ASCII written as a \u escape. */
const escapeAll = (text: string): string =>
  `"${[...Array(text.length).keys()]
    .map((i) => {
      const code = text.charCodeAt(i);
      return code >= 32 && code < 127 && code !== 34 && code !== 92
        ? text[i]
        : `\\u${code.toString(16).padStart(4, '0')}`;
    })
    .join('')}"`;

const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff'];
const ODD_CHARACTERS = [
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  '"',
  '\\',
  '\n',
  '\u2028',
  '\ufeff',
  '\ufffd',
  '😀',
  'é',
  '\u{10ffff}',
];
const character = fc.oneof(
  { weight: 12, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_CHARACTERS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
const wellFormedText = fc.string({ unit: character, maxLength: 8 });
/** Mostly well-formed text; now and then with a lone surrogate somewhere. */
const text = fc.oneof(
  { weight: 80, arbitrary: wellFormedText },
  {
    weight: 1,
    arbitrary: fc
      .tuple(wellFormedText, fc.constantFrom(...LONE_SURROGATES), wellFormedText)
      .map((parts) => parts.join('')),
  },
);
/** A JSON string: serialised (lone surrogates become escapes) or with every non-ASCII character escaped. */
const stringJson = fc.oneof(
  text.map((t) => JSON.stringify(t)),
  text.map(escapeAll),
);

const numberJson = fc.oneof(
  { weight: 6, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)) },
  { weight: 6, arbitrary: fc.integer().map(String) },
  fc.constantFrom(
    '1e400',
    '-1E+309',
    '2e308',
    '0.5e309',
    '1e-400',
    '5e-324',
    '-0',
    '0.0',
    '1E3',
    '0e999',
    '1.7976931348623157e308',
    '123456789012345678901234567890',
    `1${'0'.repeat(400)}`,
    `${'9'.repeat(250)}e99`,
  ),
);

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
/** ISO-8601-like times, valid or not: years 0 to 10500, out-of-range parts, every separator and offset. */
const isoTime = fc
  .tuple(
    fc.oneof(fc.integer({ min: 0, max: 10_500 }), fc.constantFrom(0, 1582, 1583, 1969, 2026, 9999, 10_000)),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 24 }),
    fc.integer({ min: 0, max: 60 }),
    fc.option(fc.integer({ min: 0, max: 60 })),
    fc.option(fc.stringMatching(/^[.,]\d{0,10}$/)),
    fc.constantFrom('T', 't', ' '),
    fc.constantFrom('Z', 'z', '', '+00:01', '-23:59', '+0530', '-05', '+24:00', '+14:60'),
  )
  .map(
    ([year, month, day, hour, minute, second, fraction, separator, offset]) =>
      `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}${separator}${pad(hour, 2)}:${pad(minute, 2)}${second === null ? '' : `:${pad(second, 2)}${fraction ?? ''}`}${offset}`,
  );
const timeJson = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .date({
        min: new Date('1990-01-01T00:00:00Z'),
        max: new Date('2030-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => JSON.stringify(d.toISOString())),
  },
  { weight: 3, arbitrary: isoTime.map((t) => JSON.stringify(t)) },
  { weight: 2, arbitrary: fc.integer({ min: -8.64e15, max: 8.64e15 }).map(String) },
  {
    weight: 1,
    arbitrary: fc
      .date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true })
      .map((d) => JSON.stringify(d.toISOString())),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '253402300800000',
      '253402300799999',
      '253402214399999',
      '"9999-12-31T00:00:00.000Z"',
      '-12212553600000',
      '-12212553600001',
      '-62167219200001',
      '1e400',
      '9e15',
      '1772441990250.5',
      '"0000-01-01T00:00:00+00:01"',
      '"10000-01-01T00:00:00Z"',
      '"+010000-01-01T00:00:00.000Z"',
      '"2026-02-30T00:00:00Z"',
      '"2026-03-02T09:00:00.000Z"',
      '"1772441990250"',
      '"yesterday"',
      'null',
      '""',
      'true',
      '{}',
    ),
  },
);

const idJson = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('"u1"', '"usr_2"', '"ws_1"', '42') },
  { weight: 3, arbitrary: stringJson },
  { weight: 1, arbitrary: numberJson },
  { weight: 1, arbitrary: fc.constantFrom('null', '""', '{}', '[]', 'true') },
);
const keyJson = fc.oneof(
  fc
    .constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      '',
      'a/b',
      '~0',
      'feature_id',
      'workspace_id',
    )
    .map((k) => JSON.stringify(k)),
  stringJson,
);

const { value: valueJson, object: objectJson } = fc.letrec<{ value: string; object: string; array: string }>(
  (tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      stringJson,
      numberJson,
      fc.constantFrom('true', 'false', 'null'),
      tie('object'),
      tie('array'),
    ),
    object: fc
      .array(fc.tuple(keyJson, tie('value')), { maxLength: 4 })
      .map((entries) => `{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`),
    array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
  }),
);
/** Objects and arrays nested around the nesting limit (32). */
const deepJson = fc
  .integer({ min: 28, max: 36 })
  .chain((depth) =>
    fc.constantFrom(
      `${'['.repeat(depth)}${']'.repeat(depth)}`,
      `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
    ),
  );
const objectsJson = fc.oneof(
  { weight: 12, arbitrary: objectJson },
  { weight: 1, arbitrary: deepJson },
  { weight: 2, arbitrary: valueJson },
);

/** An object's JSON text from named fields (absent ones left out) and an odd extra entry. */
const objectText = (fields: Readonly<Record<string, string | [string, string] | undefined>>): string =>
  `{${Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([name, v]) => (Array.isArray(v) ? `${v[0]}:${v[1]}` : `${JSON.stringify(name)}:${v}`))
    .join(',')}}`;

const oneOf = (names: readonly string[]) => fc.constantFrom(...names.map((n) => JSON.stringify(n)));
/** A plausible value most of the time, a hostile one now and then, so that many events validate. */
const mostly = (good: fc.Arbitrary<string>, hostile: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: hostile });
const goodTime = fc
  .date({ min: new Date('2026-02-01T00:00:00Z'), max: new Date('2026-03-02T09:00:00Z'), noInvalidDate: true })
  .map((d) => JSON.stringify(d.toISOString()));
const time = mostly(goodTime, timeJson);
const id = (...good: string[]) => mostly(oneOf(good), idJson);
const goodProperties = oneOf([
  '{"feature_id":"editor","workspace_id":"ws_1","session_id":"s1","duration_ms":5}',
  '{"session_id":"s2","entry":"resume"}',
  '{}',
]).map((quoted) => JSON.parse(quoted) as string);

const nativeEvent = fc
  .record(
    {
      event: mostly(
        oneOf([
          'feature_used',
          'page_viewed',
          'screen_viewed',
          'session_started',
          'identify',
          'group',
          // no schema: unplanned from an allow source, else rejected
          'button_clicked',
          'Button Clicked',
          `a${'b'.repeat(255)}`,
        ]),
        idJson,
      ),
      event_id: id('e-1', 'e-2'),
      user_id: id('u1', 'usr_2'),
      anonymous_id: id('a1'),
      workspace_id: id('ws_1'),
      feature_id: id('editor', 'editor.comments.mention', 'comment_mention', 'Editor.Comments'),
      occurred_at: time,
      sent_at: time,
      timestamp: time,
      schema_version: mostly(oneOf(['1-0-0', '1-0-1']), fc.oneof(stringJson, numberJson)),
      platform: mostly(oneOf(['iOS', 'web', 'Android 14']), stringJson),
      app_version: mostly(oneOf(['8.12.0']), fc.oneof(stringJson, numberJson)),
      locale: mostly(oneOf(['en-GB']), stringJson),
      name: mostly(oneOf(['Home']), stringJson),
      properties: mostly(goodProperties, objectsJson),
      traits: mostly(fc.constant('{"plan":"team"}'), objectsJson),
      context: mostly(fc.constant('{"locale":"de-DE","device":{"type":"ios"}}'), objectsJson),
      odd: fc.tuple(keyJson, valueJson),
    },
    { requiredKeys: ['event', 'user_id'] },
  )
  .map(objectText);

const segmentCall = fc
  .record(
    {
      type: mostly(oneOf(['track', 'identify', 'page', 'screen', 'group', 'alias', 'TRACK']), idJson),
      event: mostly(
        oneOf([
          'Feature Used',
          'Session Started',
          'featureUsed',
          'Button Clicked',
          'Checkout Started v2',
          '3D View',
        ]),
        stringJson,
      ),
      messageId: id('m-1', 'm-2'),
      userId: id('u1', 'usr_2'),
      anonymousId: id('a1'),
      originalTimestamp: time,
      timestamp: time,
      sentAt: time,
      groupId: id('ws_1'),
      previousId: id('a1'),
      name: mostly(oneOf(['Inbox']), stringJson),
      channel: mostly(oneOf(['browser', 'server', 'mobile']), stringJson),
      properties: mostly(goodProperties, objectsJson),
      traits: mostly(fc.constant('{"plan":"team"}'), objectsJson),
      context: mostly(
        fc
          .tuple(idJson, stringJson, stringJson)
          .map(
            ([group, version, locale]) =>
              `{"groupId":${group},"app":{"version":${version}},"locale":${locale},"device":{"type":"ios"}}`,
          ),
        objectsJson,
      ),
      odd: fc.tuple(keyJson, valueJson),
    },
    { requiredKeys: ['type', 'userId'] },
  )
  .map(objectText);

/** Usually absent, as most records have no such meta field. */
const rarely = (arbitrary: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
/** The collector's meta line, mostly as it writes it, sometimes with a hostile receipt time, batch time or context. */
const metaJson = (intake: 'native' | 'segment') =>
  fc
    .record({
      received_at: fc.oneof(
        { weight: 12, arbitrary: fc.constant('"2026-03-02T09:00:00.000Z"') },
        { weight: 1, arbitrary: isoTime.map((t) => JSON.stringify(t)) },
      ),
      sent_at: rarely(timeJson),
      context: rarely(objectsJson),
      call: rarely(oneOf(['track', 'page', 'identify'])),
      // as the collector writes it (allow, strict), absent (older records), now and then no mode at all
      tracking_plan: fc.oneof(
        { weight: 4, arbitrary: oneOf(['allow']) },
        { weight: 2, arbitrary: oneOf(['strict']) },
        { weight: 2, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.oneof(stringJson, fc.constantFrom('null', '1', '{}')) },
      ),
    })
    .map(({ received_at, sent_at, context, call, tracking_plan }) =>
      objectText({
        v: '1',
        source_id: '"src_prop"',
        received_at,
        request_id: '"req-prop"',
        intake: JSON.stringify(intake),
        sent_at,
        ...(intake === 'segment' ? { context, call } : {}),
        tracking_plan,
      }),
    );

const record = fc
  .oneof(fc.tuple(metaJson('native'), nativeEvent), fc.tuple(metaJson('segment'), segmentCall))
  .chain(([meta, event]) =>
    fc.tuple(
      fc.constant(`${meta}\n${event}`),
      // Now and then a byte that is not UTF-8, as a broken or foreign producer might write.
      fc.oneof(
        { weight: 12, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: event.length }) },
      ),
    ),
  )
  .map(([recordText, badByteAt]) => {
    const bytes = Buffer.from(recordText, 'utf8');
    if (badByteAt === null) return bytes;
    const at = Math.min(badByteAt, bytes.length);
    return Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at)]);
  });

let validate: RecordValidator;
let paths: BothLoadPaths;
beforeAll(async () => {
  validate = await loadValidator({ schemasDir: 'schemas', build: 'property' });
  paths = await BothLoadPaths.open();
});
afterAll(() => paths.close());

describe('the validator emits only loadable lines', () => {
  it('loads every line of random hostile batches through both raw load paths', async () => {
    let cases = 0;
    let unplanned = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 4 }), async (records) => {
        const name = `case-${cases++}`;
        const lines = await validateRecords(validate, records);
        expect(lines.events.length + lines.rejected.length).toBe(records.length);

        await paths.load(name, lines);

        expect(await paths.rowCounts('events', name)).toEqual([lines.events.length, lines.events.length]);
        expect(await paths.rowCounts('rejected', name)).toEqual([
          lines.rejected.length,
          lines.rejected.length,
        ]);
        const emittedUnplanned = lines.events.filter((l) => JSON.parse(l).planned === false).length;
        expect(await paths.unplannedCounts(name)).toEqual([emittedUnplanned, emittedUnplanned]);
        unplanned += emittedUnplanned;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // the cases did reach the permissive schema, not only the rejections around it
    expect(unplanned).toBeGreaterThan(0);
  });
});
