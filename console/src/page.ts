import type { Meta } from './meta.ts';
import type { PageName } from './state.ts';

export interface PageContext {
  readonly params: URLSearchParams;
  readonly meta: Meta;
  /** Where the page puts its filters (range, grain, workspace...). */
  readonly filters: HTMLElement;
  /** Where the page puts its cards. */
  readonly content: HTMLElement;
}

export interface Page {
  readonly name: PageName;
  readonly title: string;
  /** One line under the title: what the page answers. */
  readonly lede: string;
  readonly icon: string;
  render(context: PageContext): Promise<void>;
}
