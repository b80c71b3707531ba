import fc from 'fast-check';
import { deriveEventTime, parseClientTime } from '#core/contract/client-time.ts';
import { canonicalTimeText, formatTime } from '#core/contract/format-time.ts';
import { seeded } from '../../support/property.ts';

describe('parseClientTime', () => {
  it.each([
    ['2026-03-02T08:59:50.250Z', Date.UTC(2026, 2, 2, 8, 59, 50, 250)],
    ['2026-03-02T08:59:50Z', Date.UTC(2026, 2, 2, 8, 59, 50)],
    ['2026-03-02T08:59Z', Date.UTC(2026, 2, 2, 8, 59)],
    ['2026-03-02 08:59:50.250Z', Date.UTC(2026, 2, 2, 8, 59, 50, 250)],
    ['2026-03-02T09:59:50.250+01:00', Date.UTC(2026, 2, 2, 8, 59, 50, 250)],
    ['2026-03-02T03:29:50.250-0530', Date.UTC(2026, 2, 2, 8, 59, 50, 250)],
    ['2026-03-02T10:59:50.250+02', Date.UTC(2026, 2, 2, 8, 59, 50, 250)],
    ['2026-03-02T08:59:50.250123456Z', Date.UTC(2026, 2, 2, 8, 59, 50, 250)],
    ['2026-03-02T08:59:50.2Z', Date.UTC(2026, 2, 2, 8, 59, 50, 200)],
    ['2024-02-29T12:00:00Z', Date.UTC(2024, 1, 29, 12)],
  ])('reads the ISO-8601 date-time %s', (text, expected) => {
    expect(parseClientTime(text)).toBe(expected);
  });

  it('reads a date-time without offset as UTC, whatever the host time zone', () => {
    expect(parseClientTime('2026-03-02T08:59:50.250')).toBe(Date.UTC(2026, 2, 2, 8, 59, 50, 250));
  });

  it('reads numbers as epoch milliseconds, truncating fractions', () => {
    expect(parseClientTime(1772441990250)).toBe(1772441990250);
    expect(parseClientTime(1772441990250.9)).toBe(1772441990250);
  });

  it.each([
    ['2023-02-29T00:00:00Z', 'a day that does not exist'],
    ['2026-13-01T00:00:00Z', 'month 13'],
    ['2026-03-02T24:00:00Z', 'hour 24'],
    ['2026-03-02T08:60:00Z', 'minute 60'],
    ['2026-03-02', 'a date without a time'],
    ['Mon, 02 Mar 2026 08:59:50 GMT', 'an RFC 2822 date'],
    ['1772441990250', 'epoch milliseconds as a string'],
    ['2026-03-02T08:59:50.Z', 'an empty fraction'],
    ['2026-03-02T08:59:50Z junk', 'trailing text'],
    ['yesterday', 'free text'],
  ])('refuses %s (%s)', (text) => {
    expect(parseClientTime(text)).toBeNaN();
  });

  it.each([[Number.POSITIVE_INFINITY], [Number.NaN], [9e15], [true], [{}], [[2026]]])(
    'refuses %p',
    (value) => {
      expect(parseClientTime(value)).toBeNaN();
    },
  );
});

describe('formatTime', () => {
  it('writes exactly what Date#toISOString writes, across the supported range', () => {
    for (const ms of [0, 951782400000, 4107542399999, 253402300799999]) {
      expect(formatTime(ms)).toBe(new Date(ms).toISOString());
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799999 }), (ms) => {
        expect(formatTime(ms)).toBe(new Date(ms).toISOString());
      }),
      seeded(2000),
    );
  });

  it('falls back to Date#toISOString before 1970 and after 9999', () => {
    expect(formatTime(-1)).toBe('1969-12-31T23:59:59.999Z');
    expect(formatTime(253402300800000)).toBe('+010000-01-01T00:00:00.000Z');
  });

  it('keeps a client string that already is toISOString text', () => {
    const text = '2026-03-02T08:59:50.250Z';
    expect(canonicalTimeText(text, Date.parse(text))).toBe(text);
  });

  it('rewrites other spellings of the same time in toISOString form', () => {
    const ms = Date.UTC(2026, 2, 2, 8, 59, 50, 250);
    expect(canonicalTimeText('2026-03-02T09:59:50.250+01:00', ms)).toBe('2026-03-02T08:59:50.250Z');
    expect(canonicalTimeText(ms, ms)).toBe('2026-03-02T08:59:50.250Z');
  });
});

describe('deriveEventTime', () => {
  const received = Date.UTC(2026, 3, 1, 12, 0, 0);

  it('removes the device clock offset when the client sent both its times', () => {
    // The device clock runs 10 minutes fast: it says it sent at 12:10:00 and the event happened 30 s earlier.
    const sent = received + 600_000;
    const occurred = sent - 30_000;
    expect(deriveEventTime(received, sent, occurred)).toBe(received - 30_000);
  });

  it('trusts the occurred time when no send time exists', () => {
    expect(deriveEventTime(received, null, received - 5_000)).toBe(received - 5_000);
  });

  it('falls back to the receipt time when the client gave no time', () => {
    expect(deriveEventTime(received, received - 1_000, null)).toBe(received);
  });
});
