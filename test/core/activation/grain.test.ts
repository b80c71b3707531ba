import { addPeriods, firstPeriodFrom, periodIndex, periodStart, spine } from '#core/activation/grain.ts';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const day = (date: Date) => date.toISOString().slice(0, 10);

describe('activation periods', () => {
  it('starts ISO weeks on Monday, across a year boundary', () => {
    expect(day(periodStart('week', new Date('2025-01-01T23:59:00Z')))).toBe('2024-12-30');
    expect(day(periodStart('week', d('2024-12-29')))).toBe('2024-12-23');
    expect(day(periodStart('week', d('2024-12-30')))).toBe('2024-12-30');
  });

  it('starts months on the first and steps over year ends and short months', () => {
    expect(day(periodStart('month', new Date('2025-02-28T18:00:00Z')))).toBe('2025-02-01');
    expect(day(addPeriods('month', d('2024-12-01'), 1))).toBe('2025-01-01');
    expect(day(addPeriods('month', d('2025-01-01'), -1))).toBe('2024-12-01');
  });

  it('numbers consecutive periods consecutively at every grain', () => {
    for (const grain of ['day', 'week', 'month'] as const) {
      let p = periodStart(grain, d('2024-11-15'));
      for (let i = 0; i < 40; i += 1) {
        const next = addPeriods(grain, p, 1);
        expect(periodIndex(grain, next)).toBe(periodIndex(grain, p) + 1);
        p = next;
      }
    }
  });

  it('uses the origins the SQL uses: 1970-01-01, Monday 1970-01-05 and year * 12 + month', () => {
    expect(periodIndex('day', d('1970-01-02'))).toBe(1);
    expect(periodIndex('week', d('1970-01-12'))).toBe(1);
    expect(periodIndex('month', d('2025-03-01'))).toBe(2025 * 12 + 3);
  });

  it('finds the first whole period on or after a date', () => {
    expect(day(firstPeriodFrom('month', d('2025-03-01')))).toBe('2025-03-01');
    expect(day(firstPeriodFrom('month', d('2025-03-02')))).toBe('2025-04-01');
    expect(day(firstPeriodFrom('week', d('2025-03-05')))).toBe('2025-03-10');
  });

  it('lists a spine of periods, both ends included', () => {
    expect(spine('week', d('2025-03-05'), d('2025-03-17'))).toEqual([
      { period_start: '2025-03-03', period_index: periodIndex('week', d('2025-03-03')) },
      { period_start: '2025-03-10', period_index: periodIndex('week', d('2025-03-10')) },
      { period_start: '2025-03-17', period_index: periodIndex('week', d('2025-03-17')) },
    ]);
  });
});
