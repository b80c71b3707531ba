/** How numbers, shares, durations and days read on every page. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export const fmtNumber = (n: number | null | undefined): string =>
  n === null || n === undefined ? '–' : Number.isInteger(n) ? integer.format(n) : decimal.format(n);

/** A share given as 0..1. */
export const fmtShare = (n: number | null | undefined): string =>
  n === null || n === undefined ? '–' : `${decimal.format(n * 100)} %`;

/** A percentage given as 0..100. */
export const fmtPercent = (n: number | null | undefined): string =>
  n === null || n === undefined ? '–' : `${decimal.format(n)} %`;

export const fmtSeconds = (s: number | null | undefined): string => {
  if (s === null || s === undefined) return '–';
  if (s < 120) return `${decimal.format(s)} s`;
  if (s < 7200) return `${decimal.format(s / 60)} min`;
  return `${decimal.format(s / 3600)} h`;
};

/** `2026-03-09` or an ISO timestamp, as a short day (and hour when it has one that is not midnight). */
export const fmtPeriod = (period: string, grain: string): string => {
  const date = new Date(period.length === 10 ? `${period}T00:00:00Z` : period);
  const day = date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  if (grain === 'hour') return `${day} ${date.toISOString().slice(11, 16)}`;
  if (grain === 'month')
    return date.toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
  return day;
};

export const fmtTime = (iso: string | null | undefined): string =>
  iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '–';
