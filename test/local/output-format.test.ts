import { formatRows } from '../../lambdas/local/output-format.ts';

const rows = [
  { feature_id: 'editor.comments', events: 1204, adoption_rate: 0.4567, note: 'says "hi", twice' },
  { feature_id: 'tasks', events: 98, adoption_rate: null, note: null },
];

describe('formatRows', () => {
  it('aligns a table with numbers to the right and counts the rows', () => {
    expect(formatRows(rows, 'table')).toBe(
      [
        'feature_id       events  adoption_rate  note',
        '---------------  ------  -------------  ----------------',
        'editor.comments    1204          0.457  says "hi", twice',
        'tasks                98',
        '(2 rows)',
      ].join('\n'),
    );
  });

  it('quotes CSV cells that hold commas or quotes', () => {
    expect(formatRows(rows, 'csv')).toBe(
      [
        'feature_id,events,adoption_rate,note',
        'editor.comments,1204,0.4567,"says ""hi"", twice"',
        'tasks,98,,',
      ].join('\n'),
    );
  });

  it('writes CSV numbers exactly, where the table rounds them to 3 decimals', () => {
    const ratios = [{ share: 1 / 3, tiny: 0.000123456, big: 12345.6789012 }];

    expect(formatRows(ratios, 'csv').split('\n')[1]).toBe(`${1 / 3},0.000123456,12345.6789012`);
    expect(formatRows(ratios, 'table').split('\n')[2]).toBe('0.333  0.000  12345.679');
  });

  it('prints JSON values unchanged', () => {
    expect(JSON.parse(formatRows(rows, 'json'))).toEqual(rows);
  });

  it('says when there are no rows', () => {
    expect(formatRows([], 'table')).toBe('(no rows)');
  });
});
