/**
 * Every view's state lives in the URL: the page is the path (`/usage`), the filters, range, grain and
 * drill-down path are query parameters. Changing a filter is navigating, so a view can be shared by its
 * address and the browser's back button undoes a drill-down.
 */

export const PAGES = ['health', 'usage', 'adoption', 'activation', 'cohorts', 'quality', 'rejected'] as const;
export type PageName = (typeof PAGES)[number];

export interface View {
  readonly page: PageName;
  readonly params: URLSearchParams;
}

type Listener = (view: View) => void;
const listeners: Listener[] = [];

export const currentView = (): View => {
  const name = window.location.pathname.replace(/^\/+|\/+$/g, '');
  const page = (PAGES as readonly string[]).includes(name) ? (name as PageName) : 'health';
  return { page, params: new URLSearchParams(window.location.search) };
};

/** The URL of a page with parameters (null or empty values are left out). */
export const hrefOf = (
  page: PageName,
  params: Readonly<Record<string, string | null | undefined>>,
): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== null && value !== undefined && value !== '') search.set(key, value);
  const query = search.toString();
  return `/${page}${query ? `?${query}` : ''}`;
};

const emit = (): void => {
  const view = currentView();
  for (const listener of listeners) listener(view);
};

/** Goes to a page with exactly these parameters. */
export const navigate = (
  page: PageName,
  params: Readonly<Record<string, string | null | undefined>>,
): void => {
  window.history.pushState(null, '', hrefOf(page, params));
  emit();
};

/** Stays on the page and changes some parameters (null removes one). */
export const update = (changes: Readonly<Record<string, string | null | undefined>>): void => {
  const { page, params } = currentView();
  const next: Record<string, string | null | undefined> = Object.fromEntries(params);
  Object.assign(next, changes);
  navigate(page, next);
};

export const onViewChange = (listener: Listener): void => {
  listeners.push(listener);
};

window.addEventListener('popstate', emit);
