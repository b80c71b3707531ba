import { api } from './api.ts';
import { h } from './dom.ts';
import { update } from './state.ts';

const DAY_MS = 86_400_000;
export const RANGES = ['1d', '7d', '30d', '90d'] as const;

export interface Range {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  /** The preset (`30d`) or null for a custom range. */
  readonly preset: string | null;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The range of a view: `range=30d` (the last 30 days to today), or `from` and `to`; else the default preset. */
export const rangeOf = (params: URLSearchParams, today: string, fallback: (typeof RANGES)[number]): Range => {
  const from = params.get('from');
  const to = params.get('to');
  if (from && to && /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to)) {
    return { from, to, days: Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1, preset: null };
  }
  const preset = (RANGES as readonly string[]).includes(params.get('range') ?? '')
    ? (params.get('range') as string)
    : fallback;
  const days = Number.parseInt(preset, 10);
  const end = Date.parse(`${today}T00:00:00Z`);
  return { from: day(end - (days - 1) * DAY_MS), to: today, days, preset };
};

/** Preset buttons and a custom from/to. */
export const rangeControl = (range: Range): HTMLElement => {
  const fromInput = h('input', { type: 'date', value: range.from, 'aria-label': 'From' }) as HTMLInputElement;
  const toInput = h('input', { type: 'date', value: range.to, 'aria-label': 'To' }) as HTMLInputElement;
  const custom = () => {
    if (fromInput.value && toInput.value) update({ range: null, from: fromInput.value, to: toInput.value });
  };
  fromInput.addEventListener('change', custom);
  toInput.addEventListener('change', custom);
  return h(
    'div',
    { class: 'control range', 'data-control': 'range' },
    h('span', { class: 'control-label' }, 'Range'),
    h(
      'div',
      { class: 'segmented' },
      RANGES.map((preset) =>
        h(
          'button',
          {
            type: 'button',
            class: range.preset === preset ? 'on' : '',
            'data-range': preset,
            onclick: () => update({ range: preset, from: null, to: null }),
          },
          preset === '1d' ? 'Today' : `${Number.parseInt(preset, 10)} days`,
        ),
      ),
    ),
    fromInput,
    h('span', { class: 'muted' }, '–'),
    toInput,
  );
};

/** A choice among a few values, kept in the URL parameter `param`. */
export const segmentedControl = (
  label: string,
  param: string,
  options: readonly { value: string; label: string }[],
  value: string,
): HTMLElement =>
  h(
    'div',
    { class: 'control', 'data-control': param },
    h('span', { class: 'control-label' }, label),
    h(
      'div',
      { class: 'segmented' },
      options.map((o) =>
        h(
          'button',
          {
            type: 'button',
            class: o.value === value ? 'on' : '',
            'data-value': o.value,
            onclick: () => update({ [param]: o.value }),
          },
          o.label,
        ),
      ),
    ),
  );

/** A drop-down kept in the URL parameter `param` (the empty option removes it). */
export const selectControl = (
  label: string,
  param: string,
  options: readonly { value: string; label: string }[],
  value: string | null,
  reset: Readonly<Record<string, null>> = {},
): HTMLElement => {
  const select = h(
    'select',
    { 'aria-label': label, name: param },
    options.map((o) => h('option', { value: o.value, selected: o.value === (value ?? '') }, o.label)),
  ) as HTMLSelectElement;
  select.addEventListener('change', () =>
    update({ ...reset, [param]: select.value === '' ? null : select.value }),
  );
  return h(
    'label',
    { class: 'control', 'data-control': param },
    h('span', { class: 'control-label' }, label),
    select,
  );
};

/** The workspace filter: type part of an id, pick a suggestion (the most active workspaces first). */
export const workspaceControl = (value: string | null): HTMLElement => {
  const list = h('datalist', { id: 'workspace-suggestions' });
  const input = h('input', {
    type: 'search',
    value: value ?? '',
    placeholder: 'All workspaces',
    list: 'workspace-suggestions',
    'aria-label': 'Workspace',
    name: 'workspace',
  }) as HTMLInputElement;
  let timer: number | undefined;
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const found = await api<{ workspaceId: string; users: number }[]>('workspaces', {
        search: input.value,
        limit: '15',
      }).catch(() => []);
      list.replaceChildren(...found.map((w) => h('option', { value: w.workspaceId }, `${w.users} users`)));
    }, 150);
  });
  input.addEventListener('change', () =>
    update({ workspace: input.value.trim() === '' ? null : input.value.trim() }),
  );
  return h(
    'label',
    { class: 'control', 'data-control': 'workspace' },
    h('span', { class: 'control-label' }, 'Workspace'),
    input,
    list,
  );
};
