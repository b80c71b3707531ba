import { LocalConfigError } from '../../lambdas/local/errors.ts';
import { parseReportRequest } from '../../lambdas/local/report-options.ts';

const defaults = { limit: '30', format: 'table' };

describe('parseReportRequest', () => {
  it('accepts a report with its filters', () => {
    const request = parseReportRequest('usage', {
      ...defaults,
      workspace: 'ws_0005',
      feature: 'editor',
      from: '2025-03-01',
      to: '2025-03-07',
      format: 'csv',
    });

    expect(request.report.name).toBe('usage');
    expect(request.filters).toEqual({
      workspace: 'ws_0005',
      feature: 'editor',
      from: '2025-03-01',
      to: '2025-03-07',
      limit: 30,
    });
    expect(request.format).toBe('csv');
  });

  it('lists every problem at once, each saying what to type', () => {
    const attempt = () =>
      parseReportRequest('usage', { from: '2025-02-30', to: 'yesterday', limit: '0', format: 'xml' });

    expect(attempt).toThrow(LocalConfigError);
    expect(attempt).toThrow(/--from must be a date like 2025-03-09, got "2025-02-30"/);
    expect(attempt).toThrow(/--to must be a date/);
    expect(attempt).toThrow(/--limit must be an integer from 1 to 100000/);
    expect(attempt).toThrow(/--format must be one of table, csv, json/);
  });

  it('names the reports when given an unknown one', () => {
    expect(() => parseReportRequest('retention', defaults)).toThrow(
      'unknown report "retention"; choose one of: usage, adoption, last-seen',
    );
  });

  it('refuses a date range for the adoption snapshot', () => {
    expect(() => parseReportRequest('adoption', { ...defaults, from: '2025-03-01' })).toThrow(
      /the adoption report is a snapshot/,
    );
  });

  it('refuses --from after --to', () => {
    expect(() => parseReportRequest('usage', { ...defaults, from: '2025-03-08', to: '2025-03-01' })).toThrow(
      '--from 2025-03-08 is after --to 2025-03-01',
    );
  });
});
