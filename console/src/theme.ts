/**
 * One visual language for every page: the same thing has the same colour and the same name wherever it
 * appears (a platform, an activation state, a status), and the same kind of number uses the same chart.
 */

export const STATUS_COLORS = {
  red: '#d64545',
  amber: '#e29a12',
  green: '#1f9d61',
  grey: '#9aa3ae',
} as const;
export type Signal = keyof typeof STATUS_COLORS;

export const STATUS_LABELS: Record<Signal, string> = {
  red: 'Failing',
  amber: 'Warning',
  green: 'Healthy',
  grey: 'Not judged',
};

/** Series without a meaning of their own (reasons, features), in order. */
export const PALETTE = [
  '#4f6bed',
  '#12a594',
  '#e8833a',
  '#d6409f',
  '#8e4ec6',
  '#0b8ec2',
  '#b5892f',
  '#5c7080',
  '#c2410c',
  '#65a30d',
];

export const PLATFORM_COLORS: Record<string, string> = {
  web: '#4f6bed',
  ios: '#8e4ec6',
  android: '#12a594',
  backend: '#e8833a',
  other: '#5c7080',
  '(none)': '#9aa3ae',
};

export const platformColor = (platform: string, index: number): string =>
  PLATFORM_COLORS[platform] ?? PALETTE[index % PALETTE.length] ?? '#5c7080';

export const ACTIVATION_STATES = [
  { key: 'new', label: 'New', color: '#4f6bed' },
  { key: 'retained', label: 'Retained', color: '#12a594' },
  { key: 'reactivated', label: 'Reactivated', color: '#8e4ec6' },
  { key: 'inactive', label: 'Inactive', color: '#c5cbd3' },
] as const;

/** The words of the console, defined once. */
export const TERMS = {
  events: 'Events',
  users: (grain: string) => (grain === 'week' ? 'Weekly users (avg)' : 'Daily users (avg)'),
  peakUsers: (grain: string) => (grain === 'week' ? 'Peak weekly users' : 'Peak daily users'),
  workspaces: 'Workspaces',
  adoptionRate: 'Adoption rate',
  rawFreshness: 'Raw freshness',
  curatedFreshness: 'Curated freshness',
  completeness: 'Unaccounted events',
  rejectRate: 'Reject rate',
  anomalies: 'Volume anomalies',
  failingChecks: 'Failing checks',
} as const;

/** Percentiles: the median solid, p95 dashed, in the series colour. */
export const P50 = { label: 'p50', dashed: false };
export const P95 = { label: 'p95', dashed: true };
