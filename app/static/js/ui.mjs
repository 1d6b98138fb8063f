// Shared pieces of the views: names in their languages, badges, links, API-call boxes, messages.
import { h } from './dom.mjs';
import { displayName, formatDate, otherNames, LANGUAGE_LABELS, TYPE_LABELS } from './format.mjs';
import { readableCall, stateToQuery } from './state.mjs';
import { ApiError } from './api.mjs';

/** A URL inside the explorer for a state. */
export const href = (state) => stateToQuery(state) || './';

/** The English name, then the entity's own names marked with their language. */
export function nameParts(entity, { link = false, native = true } = {}) {
  const main = displayName(entity);
  const parts = [link ? h('a', { href: entityHref(entity), class: 'entity-link' }, main) : h('span', { class: 'name-main' }, main)];
  if (native) {
    for (const { lang, text } of otherNames(entity)) {
      parts.push(' ', h('span', { class: 'name-native', lang, title: LANGUAGE_LABELS[lang] || lang }, text));
    }
  }
  return parts;
}

export function entityHref(entity) {
  const id = typeof entity === 'string' ? entity : entity.id;
  return href(id.startsWith('measure:') ? { view: 'measure', id } : { view: 'entity', id });
}

export function typeBadge(type) {
  return h('span', { class: `type-badge type-${String(type).toLowerCase()}` }, TYPE_LABELS[type] || type);
}

/** The API calls behind a view, each a link to its JSON, and a copy-link button. */
export function apiBox(paths) {
  const list = h('ul', { class: 'api-calls' });
  for (const path of paths) {
    const text = 'GET ' + readableCall(path);
    list.append(h('li', {}, h('a', { href: path, class: 'api-link', target: '_blank', rel: 'noopener', title: text }, h('code', {}, text))));
  }
  return h('div', { class: 'api-box' }, h('span', { class: 'api-label' }, paths.length > 1 ? 'API calls:' : 'API call:'), list, copyLinkButton());
}

/** A same-origin download of a list endpoint's answer as CSV (`path` carries `format=csv`). */
export function csvLink(path, filename) {
  return h('a', { href: path, download: filename, class: 'btn btn-small csv-link', type: 'text/csv' }, 'Download CSV');
}

/** "escalation-美国-中国-1-6.csv": the view, its arguments and the rows of the page. */
export function csvFileName(view, args, answer) {
  const parts = [view, ...args.filter(Boolean).map((v) => String(v).replace(/[^\p{L}\p{N}._-]+/gu, '_'))];
  if (answer?.data && answer.offset !== undefined) parts.push(`${answer.offset + 1}-${answer.offset + answer.data.length}`);
  return parts.join('-') + '.csv';
}

export function copyLinkButton() {
  const button = h('button', { type: 'button', class: 'btn btn-quiet copy-link' }, 'Copy link to this view');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      button.textContent = 'Link copied';
    } catch {
      button.textContent = 'Copy the address bar';
    }
    setTimeout(() => { button.textContent = 'Copy link to this view'; }, 2000);
  });
  return button;
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

/**
 * A clear message for a failed call: unknown names list near matches, ambiguous names list the
 * candidates; each candidate is a link to the same view with that id.
 */
export function errorBox(error, { retarget } = {}) {
  const box = h('div', { class: 'message message-error', role: 'alert' });
  if (!(error instanceof ApiError)) {
    box.append(h('h2', {}, 'Something went wrong'), h('p', {}, String(error?.message || error)));
    return box;
  }
  const p = error.problem || {};
  const candidates = p.candidates || [];
  if (error.status === 404) {
    const name = /called '(.*)'/.exec(p.detail || '')?.[1];
    box.append(h('h2', {}, name ? ['Nothing in the graph is called “', h('span', { class: 'q' }, name), '”'] : 'Not found'));
    box.append(h('p', {}, name ? 'No entity has that name, alias or id, in any language.' : capitalise(p.detail || 'the API found nothing for this request') + '.'));
    if (candidates.length) box.append(h('p', {}, 'Did you mean:'), candidateList(candidates, retarget));
    else box.append(h('p', {}, 'Try the search box at the top: it knows every name and alias, in English and Chinese.'));
  } else if (error.status === 409) {
    box.append(h('h2', {}, 'That name could mean several entities'), h('p', {}, capitalise(p.detail || '') + '. Pick one:'), candidateList(candidates, retarget));
  } else if (error.status === 422) {
    box.append(h('h2', {}, 'The API did not accept this request'), h('p', {}, capitalise(p.detail || 'invalid request') + (p.field ? ` (${p.field})` : '') + '.'));
  } else if (error.status === 503) {
    box.append(h('h2', {}, 'The graph store is not answering'), h('p', {}, capitalise(p.detail || 'store unavailable') + '. Try again in a moment.'));
  } else {
    box.append(h('h2', {}, p.title || 'The API answered with an error'), h('p', {}, capitalise(p.detail || `HTTP ${error.status}`)));
  }
  if (error.path) box.append(h('p', { class: 'message-call' }, 'Call: ', h('a', { href: error.path }, h('code', {}, readableCall(error.path)))));
  return box;
}

function candidateList(candidates, retarget) {
  return h('ul', { class: 'candidates' }, candidates.map((c) => h('li', {},
    h('a', { href: retarget ? retarget(c) : entityHref(c) }, nameParts(c, { native: true })), ' ', typeBadge(c.type), ' ', h('code', { class: 'id' }, c.id))));
}

export function emptyBox(title, text) {
  return h('div', { class: 'message message-empty', role: 'status' }, h('h2', {}, title), text ? h('p', {}, text) : null);
}

const capitalise = (s) => (s ? s[0].toUpperCase() + s.slice(1) : s);

/** A view's heading block: title, one-line explanation. */
export function viewHead(title, lede) {
  return h('div', { class: 'view-head' }, h('h1', { id: 'view-title', tabindex: '-1' }, title), lede ? h('p', { class: 'lede' }, lede) : null);
}

export function exposureBar(exposure) {
  const known = exposure !== null && exposure !== undefined;
  const pct = known ? Math.round(exposure * 1000) / 10 : 0;
  return h('span', { class: 'exposure' + (known ? '' : ' exposure-unknown') },
    h('span', { class: 'exposure-track', 'aria-hidden': 'true' }, h('span', { class: 'exposure-fill', style: { width: `${pct}%` } })),
    h('span', { class: 'exposure-value' }, known ? `${pct}%` : 'unknown'));
}

/**
 * The "As of" date field of a view whose API calls take `as_of`: empty asks for the graph as it
 * stands now. The view sends the value as `as_of` and keeps it in the URL (state.mjs).
 */
export function asOfField(id, value) {
  const input = h('input', { type: 'date', id, name: 'as_of', value: value || '' });
  const el = h('div', { class: 'field field-date field-as-of' },
    h('label', { for: id, class: 'field-label' }, 'As of ', h('span', { class: 'field-hint' }, '(empty: today)')), input);
  return { el, input };
}

/**
 * The mark of a dated view: which day it shows and a link back to today (the same view without
 * `as_of`). Shown as soon as the view is, so a shared dated link never passes for the present.
 */
export function asOfBadge(state) {
  if (!state.as_of) return null;
  return h('p', { class: 'as-of-badge', 'data-as-of': state.as_of },
    h('span', { class: 'as-of-label' }, `As of ${formatDate(state.as_of)}`),
    h('span', { class: 'as-of-text' }, ' the graph as it stood that day: what came later is left out. '),
    h('a', { href: href({ ...state, as_of: undefined, offset: undefined }) }, 'Show today'));
}
