import fc from 'fast-check';
import { type CanonicalEvent, PLATFORMS } from '#core/contract/envelope.ts';
import { DEDUP_ALGO } from '#core/dedup/dedup-key.ts';
import { validatedLine } from '#core/validator/record-lines.ts';
import { seeded } from '../../support/property.ts';

/**
 * validatedLine writes its JSON by hand for speed; JSON.stringify of the same fields is the reference
 * it must equal, character for character, with the event's own text spliced in as `payload`.
 */

/** Client text: any code units, lone surrogates, quotes, backslashes and control characters included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const clientText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: codeUnit, maxLength: 12 }),
  fc.constantFrom('say "hi"', 'C:\\temp', 'tab\there', 'line\nbreak', '\u2028', '\ud800', '<\u0000>'),
);
const clientField = fc.option(clientText, { nil: null });
/** ISO-8601 UTC with milliseconds, as the pipeline formats every time. */
const isoTime = fc
  .integer({ min: Date.parse('2000-01-01T00:00:00.000Z'), max: Date.parse('2099-12-31T23:59:59.999Z') })
  .map((ms) => new Date(ms).toISOString());
const catalogId = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}(\.[a-z][a-z0-9_]{0,8}){0,3}$/);
const schemaVer = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.nat(20), fc.nat(20))
  .map(([m, r, a]) => `${m}-${r}-${a}`);

/** A canonical event, its fields in CanonicalEvent order (the order the line writes them). */
const canonicalEvent: fc.Arbitrary<CanonicalEvent> = fc
  .record({
    dedup_key: fc.stringMatching(/^[0-9a-f]{32}$/),
    event_id: clientField,
    event_name: fc.stringMatching(/^[a-z][a-z0-9_.]{0,20}$/),
    schema_version: schemaVer,
    planned: fc.boolean(),
    occurred_at: fc.option(isoTime, { nil: null }),
    sent_at: fc.option(isoTime, { nil: null }),
    received_at: isoTime,
    event_ts: isoTime,
    user_id: clientField,
    anonymous_id: clientField,
    workspace_id: clientField,
    feature: fc.oneof(
      catalogId.map((id) => ({ feature_id: id, feature_known: true })),
      clientText.map((raw) => ({ feature_id: raw, feature_known: false })),
      fc.constant({ feature_id: null, feature_known: null }),
    ),
    platform: fc.constantFrom(...PLATFORMS, null),
    app_version: clientField,
    locale: clientField,
    source_id: clientText,
    intake: fc.constantFrom('native', 'segment'),
    call: fc.constantFrom('event', 'track', 'identify', 'page', 'screen', 'group', 'alias'),
    lineage: fc.record({
      validator_build: clientText,
      dedup_algo: fc.constant(DEDUP_ALGO),
      schema_version: schemaVer,
    }),
  })
  .map(({ feature, platform, app_version, locale, source_id, intake, call, lineage, ...head }) => ({
    ...head,
    ...feature,
    platform,
    app_version,
    locale,
    source_id,
    intake,
    call,
    lineage,
  })) as fc.Arbitrary<CanonicalEvent>;

const payload = fc.dictionary(clientText, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 });

/** What the record text would hold: a backslash whenever any client string needed an escape. */
const needsEscapes = (event: CanonicalEvent, eventText: string): boolean =>
  eventText.includes('\\') ||
  [event.event_id, event.user_id, event.anonymous_id, event.workspace_id, event.app_version, event.locale]
    .concat(event.feature_known === true ? [] : [event.feature_id])
    .some((value) => value !== null && JSON.stringify(value).includes('\\'));

/** JSON.stringify of the fields, with `eventText` spliced in as the payload's text. */
const reference = (event: CanonicalEvent, eventText: string): string =>
  `${JSON.stringify({ ...event, payload: null }).slice(0, -'null}'.length)}${eventText}}`;

describe('validatedLine against JSON.stringify', () => {
  it('writes exactly what JSON.stringify writes, the event text spliced in byte for byte', () => {
    fc.assert(
      fc.property(canonicalEvent, payload, fc.boolean(), (event, body, alwaysEscape) => {
        const eventText = JSON.stringify(body);
        const line = validatedLine(event, eventText, alwaysEscape || needsEscapes(event, eventText));

        expect(line).toBe(reference(event, eventText));
      }),
      seeded(300),
    );
  });

  it('keeps a multi-line event text one line, its value unchanged', () => {
    fc.assert(
      fc.property(canonicalEvent, payload, (event, body) => {
        const eventText = JSON.stringify(body, null, 2);
        const line = validatedLine(event, eventText, needsEscapes(event, eventText));

        expect(line).not.toContain('\n');
        expect(line).toBe(reference(event, eventText.replace(/\n/g, ' ')));
        expect(JSON.parse(line).payload).toEqual(JSON.parse(eventText));
      }),
      seeded(100),
    );
  });
});
