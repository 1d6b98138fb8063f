// The explorer's entry point: reads the state from the query string, shows the view it names, and
// keeps the address bar in step, so every view can be shared, bookmarked and reloaded.
import { h, clear } from './dom.mjs';
import { parseState, stateToQuery, VIEWS as PARAMS } from './state.mjs';
import { combobox } from './combobox.mjs';
import { explorerConfig } from './api.mjs';
import { setupDialog } from './evidence.mjs';
import * as home from './views/home.mjs';
import * as dependents from './views/dependents.mjs';
import * as escalation from './views/escalation.mjs';
import * as measure from './views/measure.mjs';
import * as measures from './views/measures.mjs';
import * as entity from './views/entity.mjs';
import * as country from './views/country.mjs';
import * as documentView from './views/document.mjs';
import * as review from './views/review.mjs';

const VIEWS = { home, dependents, escalation, measures, measure, entity, country, document: documentView, review };
const main = document.getElementById('main');
let cleanup = null;
let generation = 0;

export function navigate(state, { replace = false, focus = true } = {}) {
  const query = stateToQuery(state) || location.pathname;
  if (query !== location.search || replace) history[replace ? 'replaceState' : 'pushState'](null, '', query);
  render({ focus });
}

function render({ focus = false } = {}) {
  const state = parseState(location.search);
  const view = VIEWS[state.view] || home;
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  generation += 1;
  const dialog = document.getElementById('evidence-dialog');
  if (dialog.open) dialog.close();
  clear(main);
  main.dataset.view = state.view;
  // A view showing an answer (not just its empty form): phones then hide the explanations.
  main.toggleAttribute('data-answer', (PARAMS[state.view] || []).some((key) => state[key]));
  for (const link of document.querySelectorAll('.views-nav a')) {
    if (link.dataset.view === state.view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const ctx = {
    navigate,
    config: explorerConfig(),
    /** true while this render is the current one (answers arriving late are dropped) */
    current: ((g) => () => g === generation)(generation),
    setTitle: (text) => { document.title = text ? `${text} · tradegraph explorer` : 'tradegraph explorer'; },
  };
  ctx.setTitle(view.title || '');
  if (state.unknownView) {
    main.append(h('div', { class: 'message message-error', role: 'alert' }, h('h2', {}, `There is no “${state.unknownView}” view`), h('p', {}, 'Showing the start page instead.')));
  }
  cleanup = view.render(main, state, ctx) || null;
  if (focus) main.querySelector('h1')?.focus({ preventScroll: false });
}

// Links within the explorer ("?view=…" or "./") change the view without a page load.
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest('a[href]');
  if (!link || link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href, location.href);
  const page = new URL('./', document.baseURI);
  if (url.origin !== location.origin || url.pathname !== page.pathname) return;
  event.preventDefault();
  history.pushState(null, '', url.search || page.pathname);
  render({ focus: true });
});
window.addEventListener('popstate', () => render());

// The search box in the top bar: any entity, any language or alias.
const searchForm = document.getElementById('global-search');
const search = combobox({
  label: 'Search the graph', hideLabel: true, placeholder: 'Search: 稀土, rare earths, 中方, Boeing…',
  onPick: ({ entity: picked }) => {
    navigate(picked.type === 'Measure' ? { view: 'measure', id: picked.id } : { view: 'entity', id: picked.id });
    search.setValue('');
  },
});
search.input.classList.add('search-input');
searchForm.append(search.el, h('button', { type: 'submit', class: 'btn btn-primary search-go' }, 'Go'));
searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const value = search.value();
  if (!value) return;
  navigate(value.startsWith('measure:') ? { view: 'measure', id: value } : { view: 'entity', id: value });
  search.setValue('');
});
// "/" jumps to the search box, as on many sites.
document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
  const tag = document.activeElement?.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || document.activeElement?.isContentEditable) return;
  event.preventDefault();
  search.input.focus();
});

explorerConfig().then((config) => {
  // The review page decides, which needs the API token: it is offered only by a server that has
  // one configured (the page never learns the token from the server; the reviewer types it in).
  if (config.writes_enabled) {
    const link = h('a', { href: '?view=review', 'data-view': 'review' }, 'Review');
    if (parseState(location.search).view === 'review') link.setAttribute('aria-current', 'page');
    document.querySelector('.views-nav ul').append(h('li', {}, link));
  }
  const badge = document.getElementById('backend-badge');
  if (!config.backend) return;
  badge.hidden = false;
  badge.textContent = config.backend === 'neo4j' ? 'Neo4j store' : 'Embedded store';
  badge.title = `The API answers from the ${config.backend} store`;
  badge.dataset.backend = config.backend;
});

setupDialog();
render();
