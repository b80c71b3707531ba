import { toStreamedRecord } from '#core/validator/streamed-record.ts';

const AT = '2026-03-01T10:00:00.000Z';

describe('toStreamedRecord', () => {
  it('decodes UTF-8 bytes to text and keeps no raw copy', () => {
    const record = toStreamedRecord('49', Buffer.from('{"v":1}\n{"event":"café ☕"}'), AT);

    expect(record).toEqual({ sequenceNumber: '49', data: '{"v":1}\n{"event":"café ☕"}', arrivedAt: AT });
  });

  it('keeps the exact bytes, base64, when they are not UTF-8', () => {
    const bytes = Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]);

    const record = toStreamedRecord('50', bytes, AT);

    expect(record).toEqual({
      sequenceNumber: '50',
      data: '{\uFFFD\uFFFD}',
      arrivedAt: AT,
      rawBase64: 'e//+fQ==',
    });
  });

  it('reads only its own slice of a shared buffer', () => {
    const shared = Buffer.from('xx{"a":1}yy');

    const record = toStreamedRecord('51', shared.subarray(2, 9), AT);

    expect(record.data).toBe('{"a":1}');
  });
});
