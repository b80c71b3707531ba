import { LocalConfigError } from '../../lambdas/local/errors.ts';
import { parseActivationRequest, parseReportRequest } from '../../lambdas/local/report-options.ts';

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
      'unknown report "retention"; choose one of: usage, adoption, last-seen, activation',
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

  it('prints 30 rows unless told otherwise', () => {
    expect(parseReportRequest('usage', { format: 'table' }).filters.limit).toBe(30);
  });

  it('refuses the activation options for another report', () => {
    expect(() => parseReportRequest('usage', { ...defaults, fact: 'app_visit' })).toThrow(
      '--fact and --grain belong to the activation report; drop them for usage',
    );
  });
});

describe('parseActivationRequest', () => {
  it('shows weeks, the latest 24 periods, as a table by default', () => {
    expect(parseActivationRequest({ fact: 'app_visit', format: 'table' })).toEqual({
      fact: 'app_visit',
      grain: 'week',
      format: 'table',
      maxPeriods: 24,
    });
  });

  it('takes the grain, the range, the format and --limit as the most periods shown', () => {
    expect(
      parseActivationRequest({
        fact: 'editor_comments',
        grain: 'month',
        from: '2025-01-15',
        to: '2025-03-31',
        limit: '6',
        format: 'csv',
      }),
    ).toEqual({
      fact: 'editor_comments',
      grain: 'month',
      from: '2025-01-15',
      to: '2025-03-31',
      format: 'csv',
      maxPeriods: 6,
    });
  });

  it('asks for the fact, naming the declared ones', () => {
    expect(() => parseActivationRequest({ format: 'table' })).toThrow(
      'give the fact with --fact <name>: one of app_visit, feature_used, editor_comments',
    );
  });

  it('lists every problem at once: filters that do not apply, an unknown fact and grain, bad dates and limit', () => {
    const attempt = () =>
      parseActivationRequest({
        fact: 'visits',
        grain: 'quarter',
        workspace: 'ws_0001',
        from: '2025-13-01',
        limit: 'all',
        format: 'xml',
      });

    expect(attempt).toThrow(LocalConfigError);
    expect(attempt).toThrow(/--workspace and --feature do not apply to the activation report/);
    expect(attempt).toThrow(
      /--fact "visits" is not declared; choose one of: app_visit, feature_used, editor_comments/,
    );
    expect(attempt).toThrow(/--grain must be one of day, week, month, got "quarter"/);
    expect(attempt).toThrow(/--from must be a date like 2025-03-09, got "2025-13-01"/);
    expect(attempt).toThrow(/--limit must be an integer from 1 to 100000, got "all"/);
    expect(attempt).toThrow(/--format must be one of table, csv, json, got "xml"/);
  });
});
