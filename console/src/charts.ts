import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { type EChartsType, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { type Dataset, downloadCsv } from './csv.ts';
import { h } from './dom.ts';
import { fmtNumber, fmtPercent, fmtSeconds, fmtShare } from './format.ts';

use([
  LineChart,
  BarChart,
  HeatmapChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

export type Unit = 'number' | 'percent' | 'share' | 'seconds';

export interface SeriesSpec {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
}

interface BaseSpec {
  /** Stable id: the CSV's file name, and how tests find the chart. */
  readonly id: string;
  readonly title: string;
  readonly subtitle?: string;
  /** Exactly what is drawn, and what the CSV download holds. */
  readonly dataset: Dataset;
  readonly height?: number;
}

/** Periods on x, one line (`line`) or one stacked bar segment (`stacked`) per series; `bar` groups them. */
export interface SeriesChartSpec extends BaseSpec {
  readonly kind: 'line' | 'stacked' | 'bar';
  readonly x: string;
  readonly xLabel?: (value: string) => string;
  readonly series: readonly SeriesSpec[];
  readonly unit: Unit;
}

/** Cells coloured by value: `x` and `y` are category columns, `value` the number. */
export interface HeatmapSpec extends BaseSpec {
  readonly kind: 'heatmap';
  readonly x: string;
  readonly y: string;
  readonly value: string;
  readonly xLabel?: (value: string) => string;
  readonly yLabel?: (value: string) => string;
  readonly unit: Unit;
  /** Continuous scale from the first colour (0) to the second (max), or pieces for status codes. */
  readonly scale:
    | { readonly kind: 'continuous'; readonly max: number; readonly colors: readonly [string, string] }
    | {
        readonly kind: 'pieces';
        readonly pieces: readonly { value: number; label: string; color: string }[];
      };
  /** Writes the value in each cell. */
  readonly labels?: boolean;
  /** Room for the y labels, in pixels. @default 120 */
  readonly yMargin?: number;
}

export type ChartSpec = SeriesChartSpec | HeatmapSpec;

export const formatUnit = (unit: Unit, value: number | null): string =>
  unit === 'percent'
    ? fmtPercent(value)
    : unit === 'share'
      ? fmtShare(value)
      : unit === 'seconds'
        ? fmtSeconds(value)
        : fmtNumber(value);

const axisUnit = (unit: Unit, value: number): string =>
  unit === 'share'
    ? `${Math.round(value * 100)}%`
    : unit === 'percent'
      ? `${value}%`
      : unit === 'seconds'
        ? fmtSeconds(value)
        : fmtNumber(value);

/** Every chart on the current page: its drawn data, for the tests and for resizing. */
const live = new Map<string, { chart: EChartsType; spec: ChartSpec }>();

const TEXT = '#5b6472';
/**
 * The page's font (styles.css), named: ECharts measures labels on a canvas, where `inherit` means its
 * default font, narrower than what the SVG then shows, so legend items overlapped.
 */
const FONT = 'Inter, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const GRID_LINE = '#eceef2';

const seriesOption = (spec: SeriesChartSpec) => {
  const categories = spec.dataset.rows.map((r) => String(r[spec.x]));
  return {
    animation: false,
    textStyle: { fontFamily: FONT, color: TEXT },
    grid: { left: 8, right: 16, top: spec.series.length > 1 ? 36 : 12, bottom: 8, containLabel: true },
    legend:
      spec.series.length > 1
        ? {
            // one row whatever the number of series (the plot's top margin is one row): pages past the width
            type: 'scroll',
            top: 0,
            left: 0,
            icon: 'roundRect',
            itemWidth: 12,
            itemHeight: 8,
            itemGap: 16,
            textStyle: { color: TEXT },
          }
        : undefined,
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => formatUnit(spec.unit, typeof v === 'number' ? v : null),
    },
    xAxis: {
      type: 'category',
      data: categories,
      axisLabel: {
        color: TEXT,
        formatter: (v: string) => (spec.xLabel ? spec.xLabel(v) : v),
        hideOverlap: true,
      },
      axisLine: { lineStyle: { color: '#d5d9e0' } },
      axisTick: { show: false },
    },
    yAxis: {
      type: 'value',
      axisLabel: { color: TEXT, formatter: (v: number) => axisUnit(spec.unit, v) },
      splitLine: { lineStyle: { color: GRID_LINE } },
      ...(spec.unit === 'share' ? { max: 1 } : {}),
    },
    series: spec.series.map((s) => ({
      name: s.label,
      type: spec.kind === 'line' ? 'line' : 'bar',
      data: spec.dataset.rows.map((r) => {
        const v = r[s.key];
        return typeof v === 'number' ? v : null;
      }),
      itemStyle: { color: s.color },
      lineStyle: { color: s.color, width: 2, type: s.dashed ? 'dashed' : 'solid' },
      showSymbol: spec.dataset.rows.length < 40,
      symbolSize: 5,
      connectNulls: false,
      barMaxWidth: 28,
      ...(spec.kind === 'stacked' ? { stack: 'total' } : {}),
    })),
  };
};

const heatmapOption = (spec: HeatmapSpec) => {
  const xs = [...new Set(spec.dataset.rows.map((r) => String(r[spec.x])))];
  const ys = [...new Set(spec.dataset.rows.map((r) => String(r[spec.y])))];
  const data = spec.dataset.rows.map((r) => {
    const v = r[spec.value];
    return [xs.indexOf(String(r[spec.x])), ys.indexOf(String(r[spec.y])), typeof v === 'number' ? v : null];
  });
  const visualMap =
    spec.scale.kind === 'continuous'
      ? {
          min: 0,
          max: spec.scale.max,
          text: [axisUnit(spec.unit, spec.scale.max), axisUnit(spec.unit, 0)],
          calculable: false,
          orient: 'horizontal',
          right: 0,
          top: 0,
          itemHeight: 120,
          itemWidth: 10,
          inRange: { color: [...spec.scale.colors] },
          textStyle: { color: TEXT },
          formatter: (v: number) => axisUnit(spec.unit, v),
        }
      : {
          type: 'piecewise',
          orient: 'horizontal',
          itemGap: 14,
          right: 0,
          top: 0,
          itemWidth: 12,
          itemHeight: 10,
          textStyle: { color: TEXT },
          pieces: spec.scale.pieces.map((p) => ({ value: p.value, label: p.label, color: p.color })),
        };
  return {
    animation: false,
    textStyle: { fontFamily: FONT, color: TEXT },
    // category labels on y (check names, cohorts): a fixed margin, as ECharts measures them after layout
    grid: { left: spec.yMargin ?? 120, right: 16, top: 40, bottom: 28 },
    tooltip: {
      formatter: (p: { value: [number, number, number | null] }) =>
        `${spec.yLabel ? spec.yLabel(ys[p.value[1]] ?? '') : ys[p.value[1]]} · ${spec.xLabel ? spec.xLabel(xs[p.value[0]] ?? '') : xs[p.value[0]]}<br/><b>${formatUnit(spec.unit, p.value[2])}</b>`,
    },
    xAxis: {
      type: 'category',
      data: xs,
      splitArea: { show: false },
      axisTick: { show: false },
      axisLabel: { color: TEXT, formatter: (v: string) => (spec.xLabel ? spec.xLabel(v) : v) },
    },
    yAxis: {
      type: 'category',
      data: ys,
      inverse: true,
      axisTick: { show: false },
      axisLabel: { color: TEXT, formatter: (v: string) => (spec.yLabel ? spec.yLabel(v) : v) },
    },
    visualMap,
    series: [
      {
        type: 'heatmap',
        data,
        itemStyle: { borderColor: '#fff', borderWidth: 1 },
        label: spec.labels
          ? {
              show: true,
              fontSize: 10,
              color: '#1d2433',
              textBorderColor: 'rgba(255, 255, 255, 0.75)',
              textBorderWidth: 2,
              formatter: (p: { value: [number, number, number | null] }) =>
                p.value[2] === null ? '' : axisUnit(spec.unit, p.value[2]),
            }
          : { show: false },
      },
    ],
  };
};

/** A card with the chart, its title, and a CSV download of exactly its dataset. */
export const chartCard = (spec: ChartSpec): HTMLElement => {
  const surface = h('div', { class: 'chart', style: `height:${spec.height ?? 240}px` });
  const card = h(
    'section',
    { class: 'card chart-card', 'data-chart': spec.id },
    h(
      'header',
      { class: 'card-head' },
      h('div', {}, h('h3', {}, spec.title), spec.subtitle ? h('p', { class: 'muted' }, spec.subtitle) : null),
      h(
        'button',
        {
          class: 'csv',
          type: 'button',
          title: 'Download the numbers of this chart as CSV',
          onclick: () => downloadCsv(spec.id, spec.dataset),
        },
        'CSV',
      ),
    ),
    spec.dataset.rows.length === 0 ? h('p', { class: 'empty' }, 'No data in this range.') : surface,
  );
  // drawn by drawCharts once the card is in the page (a chart needs its size)
  if (spec.dataset.rows.length > 0) pending.push({ surface, spec });
  return card;
};

const pending: { surface: HTMLElement; spec: ChartSpec }[] = [];

/** Draws every chart card made since the last call; call once the page is in the document. */
export const drawCharts = (): void => {
  for (const { surface, spec } of pending.splice(0)) {
    if (!surface.isConnected) continue;
    const chart = init(surface, undefined, { renderer: 'svg' });
    chart.setOption(spec.kind === 'heatmap' ? heatmapOption(spec) : seriesOption(spec));
    live.set(spec.id, { chart, spec });
  }
};

/** Disposes every chart (before a page is drawn again). */
export const disposeCharts = (): void => {
  pending.length = 0;
  for (const { chart } of live.values()) chart.dispose();
  live.clear();
};

window.addEventListener('resize', () => {
  for (const { chart } of live.values()) chart.resize();
});

/** For tests and people in devtools: each chart's dataset and the series data ECharts drew. */
export const chartsOnPage = (): Record<string, { dataset: Dataset; drawn: unknown[] }> =>
  Object.fromEntries(
    [...live].map(([id, { chart, spec }]) => {
      const option = chart.getOption() as { series?: { data?: unknown[] }[] };
      return [id, { dataset: spec.dataset, drawn: (option.series ?? []).map((s) => s.data ?? []) }];
    }),
  );
