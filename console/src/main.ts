import './styles.css';
import { ApiError, api } from './api.ts';
import { chartsOnPage, disposeCharts, drawCharts } from './charts.ts';
import { h, icon } from './dom.ts';
import type { Meta } from './meta.ts';
import type { Page } from './page.ts';
import { activationPage } from './pages/activation.ts';
import { adoptionPage } from './pages/adoption.ts';
import { cohortsPage } from './pages/cohorts.ts';
import { healthPage } from './pages/health.ts';
import { qualityPage } from './pages/quality.ts';
import { rejectedPage } from './pages/rejected.ts';
import { usagePage } from './pages/usage.ts';
import { currentView, hrefOf, navigate, onViewChange, type View } from './state.ts';

const PAGES: readonly Page[] = [
  healthPage,
  usagePage,
  adoptionPage,
  activationPage,
  cohortsPage,
  qualityPage,
  rejectedPage,
];

/** Parameters every page shares, carried along when moving between pages. */
const SHARED = ['range', 'from', 'to'];

declare global {
  interface Window {
    /** For tests and devtools: the charts on the page, and the view last drawn. */
    tallyConsole: {
      charts: typeof chartsOnPage;
      drawn: string | null;
      /** How long the last view took to draw (ms): from the navigation for the first one, else from the view change. */
      drawnMs: number | null;
    };
  }
}
window.tallyConsole = { charts: chartsOnPage, drawn: null, drawnMs: null };

const root = document.getElementById('app') as HTMLElement;
let meta: Meta;
let drawing = 0;

const nav = (view: View): HTMLElement => {
  const shared = Object.fromEntries(SHARED.map((k) => [k, view.params.get(k)]));
  return h(
    'nav',
    { class: 'sidebar' },
    h(
      'a',
      { class: 'brand', href: '/health' },
      h('span', { class: 'logo' }, 'T'),
      h('span', {}, 'Tally', h('small', {}, 'Console')),
    ),
    h(
      'ul',
      {},
      PAGES.map((p) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              href: hrefOf(p.name, shared),
              class: p.name === view.page ? 'active' : '',
              'data-page': p.name,
              onclick: (event: Event) => {
                event.preventDefault();
                navigate(p.name, shared);
              },
            },
            icon(p.icon),
            p.title,
          ),
        ),
      ),
    ),
    h(
      'p',
      { class: 'sidebar-foot' },
      `Data to ${meta.lastDay ?? '–'}`,
      h('br', {}),
      `${meta.features.length} features · ${meta.checks.length} checks`,
    ),
  );
};

const draw = async (view: View): Promise<void> => {
  const token = ++drawing;
  // the first view counts from the navigation (the page, its script and the API's answers)
  const started = drawing === 1 ? 0 : performance.now();
  const page = PAGES.find((p) => p.name === view.page) ?? healthPage;
  document.title = `${page.title} · Tally Console`;
  disposeCharts();
  const filters = h('div', { class: 'filters' });
  const content = h('div', { class: 'content', 'aria-busy': 'true' });
  root.replaceChildren(
    h(
      'div',
      { class: 'layout' },
      nav(view),
      h(
        'main',
        {},
        h(
          'header',
          { class: 'page-head' },
          h('div', {}, h('h1', {}, page.title), h('p', { class: 'lede' }, page.lede)),
          filters,
        ),
        content,
      ),
    ),
  );
  try {
    await page.render({ params: view.params, meta, filters, content });
  } catch (error) {
    if (token !== drawing) return;
    content.replaceChildren(
      h(
        'section',
        { class: 'card error-card', role: 'alert' },
        h(
          'h3',
          {},
          error instanceof ApiError
            ? `The API answered ${error.status} ${error.code}`
            : 'Something went wrong',
        ),
        h('p', {}, error instanceof Error ? error.message : String(error)),
      ),
    );
  }
  if (token !== drawing) return;
  drawCharts();
  content.removeAttribute('aria-busy');
  window.tallyConsole.drawn = `${view.page}?${view.params.toString()}`;
  window.tallyConsole.drawnMs = performance.now() - started;
  document.body.dataset.drawn = view.page;
};

const boot = async (): Promise<void> => {
  try {
    // the server inlines the meta answer in the page; without it, ask
    const inline = document.getElementById('tally-meta')?.textContent;
    meta = inline ? (JSON.parse(inline) as { data: Meta }).data : await api<Meta>('meta');
  } catch (error) {
    root.replaceChildren(
      h(
        'p',
        { class: 'boot' },
        `The console cannot reach its API: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
    return;
  }
  onViewChange((view) => void draw(view));
  const view = currentView();
  if (window.location.pathname === '/' || window.location.pathname === '')
    window.history.replaceState(null, '', hrefOf(view.page, Object.fromEntries(view.params)));
  await draw(view);
};

void boot();
