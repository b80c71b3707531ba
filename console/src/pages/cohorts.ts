import { h } from '../dom.ts';
import type { Page } from '../page.ts';

export const cohortsPage: Page = {
  name: 'cohorts',
  title: 'Cohorts',
  lede: 'How each week’s new users keep coming back, by platform, app version and locale.',
  icon: 'M3 3h18v18H3zM3 9h18M3 15h12M9 3v18M15 3v12',
  async render({ content }) {
    content.append(h('section', { class: 'card' }, h('p', {}, 'Cohorts are coming.')));
  },
};
