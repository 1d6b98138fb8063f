// The review page (issue #21): what may need a person's judgement, and the decisions made.
// Pairs of entities that may be one are shown side by side with the quotes each rests on; facts
// read with little confidence with theirs; every decision with an Undo while it stands. One click
// decides, with the reason in the field beside the buttons (prefilled, editable).
//
// Reading the queue is open (GET /v1/review); deciding needs the API token (POST
// /v1/review/decisions). The page is only offered when the server has a token configured
// (/explorer/config `writes_enabled`); the reviewer types the token once per tab, and it is kept in
// sessionStorage, sent only in the Authorization header, never put in the URL.
import { h, clear, announce } from '../dom.mjs';
import { getJson, postJson, seg, ApiError } from '../api.mjs';
import { apiPath } from '../state.mjs';
import { formatDate, formatNumber, LANGUAGE_LABELS, otherNames, relationLabel, displayName } from '../format.mjs';
import { apiBox, csvFileName, entityHref, errorBox, href, loading, nameParts, typeBadge, viewHead } from '../ui.mjs';
import { csvDownload } from './shared.mjs';
import { fetchDocument, uniqueEvidence } from '../evidence.mjs';
import {
  DECISION_LABELS, DEFAULT_REJECT_REASON, DEFAULT_UNDO_REASON, MAX_BY, MAX_REASON, NAME_KEY, TOKEN_KEY,
  decisionText, defaultPairReason, distinctBody, mergeBody, newestFirst, reasonText, recordedText, rejectBody, sessionValue, undoBody,
} from '../review.mjs';

export const title = 'Review';

const LIMIT = 50;
const QUOTES_SHOWN = 4; // per entity; the entity view has them all

export function render(root, state, ctx) {
  root.append(viewHead('Review: duplicates and doubtful facts',
    'Pairs of entities that may be one, shown side by side with the quotes behind each; facts read with little confidence; every decision made. A decision needs the API token.'));
  const body = h('div', { class: 'view-body' }, loading('Asking the server whether it takes decisions…'));
  root.append(body);
  ctx.config.then((config) => {
    if (!ctx.current()) return;
    clear(body);
    if (!config.writes_enabled) {
      // The nav has no link here on such a server; a bookmarked URL gets this instead of a page
      // whose every button would answer 401.
      body.append(h('div', { class: 'message message-empty', role: 'status', 'data-review': 'disabled' },
        h('h2', {}, 'Reviewing is not enabled on this server'),
        h('p', {}, 'Decisions are writes, and this server has no API token configured (TRADEGRAPH_API_TOKEN), so it takes none. ',
          'The queue itself is open to read: ', h('a', { href: apiPath('v1/review', {}) }, h('code', {}, 'GET /v1/review')), '.')));
      return;
    }
    reviewPage(body, state, ctx);
  });
  return null;
}

function reviewPage(root, state, ctx) {
  const token = sessionValue(TOKEN_KEY);
  const name = sessionValue(NAME_KEY);
  const threshold = state.threshold || '0.5';
  const queuePath = apiPath('v1/review', { threshold, limit: LIMIT });

  // Said once a decision is recorded (or refused before sending); focus moves here so keyboard
  // users land on the result, not at the top of the page.
  const result = h('p', { class: 'review-result', role: 'status', 'aria-live': 'polite', tabindex: '-1' });
  const sections = h('div', { class: 'review-sections' }, loading('Reading the review queue…'));
  let busy = false;

  // --- the token, once per tab -------------------------------------------------------------
  // The input has no `name`: even a form submitted without this script could not put the token in
  // a URL. Submitting only stores it; the server says whether it is right at the first decision.
  const tokenInput = h('input', { type: 'password', id: 'review-token', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'review-token-hint' });
  const nameInput = h('input', { type: 'text', id: 'review-by', autocomplete: 'name', maxlength: String(MAX_BY), value: name.get(), placeholder: 'reviewer' });
  const tokenState = h('p', { class: 'token-state', id: 'review-token-state' });
  const forget = h('button', { type: 'button', class: 'btn btn-small btn-quiet' }, 'Forget the token');
  const showTokenState = () => {
    const set = Boolean(token.get());
    clear(tokenState).append(set ? h('strong', {}, 'A token is set for this tab.') : h('strong', {}, 'No token yet: enter it to decide.'));
    tokenState.dataset.token = set ? 'set' : 'unset';
    forget.hidden = !set;
  };
  forget.addEventListener('click', () => {
    token.clear();
    showTokenState();
    announce('The token is forgotten.');
    tokenInput.focus();
  });
  const tokenForm = h('form', { class: 'query-form token-form', 'aria-label': 'API token for decisions', autocomplete: 'off' },
    h('div', { class: 'field field-token' },
      h('label', { for: 'review-token', class: 'field-label' }, 'API token'),
      tokenInput,
      h('span', { class: 'field-hint', id: 'review-token-hint' }, 'TRADEGRAPH_API_TOKEN. Kept in this tab only (sessionStorage), sent only with decisions.')),
    h('div', { class: 'field' },
      h('label', { for: 'review-by', class: 'field-label' }, 'Your name ', h('span', { class: 'field-hint' }, '(recorded with each decision)')),
      nameInput),
    h('div', { class: 'field field-submit' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Use this token')),
    h('div', { class: 'field token-status' }, tokenState, forget));
  tokenForm.addEventListener('submit', (event) => {
    event.preventDefault();
    name.set(nameInput.value);
    if (tokenInput.value.trim()) token.set(tokenInput.value);
    tokenInput.value = '';
    showTokenState();
    announce(token.get() ? 'Token set for this tab.' : 'No token entered.');
  });
  nameInput.addEventListener('change', () => name.set(nameInput.value));
  showTokenState();

  // --- which facts count as doubtful (in the URL, as the API's `threshold`) -------------------
  const thresholdInput = h('input', { type: 'number', id: 'review-threshold', min: '0', max: '1', step: '0.05', value: threshold });
  const thresholdForm = h('form', { class: 'query-form', 'aria-label': 'Review queue' },
    h('div', { class: 'field field-narrow-number' },
      h('label', { for: 'review-threshold', class: 'field-label' }, 'List facts with confidence below'), thresholdInput),
    h('div', { class: 'field field-submit' }, h('button', { type: 'submit', class: 'btn' }, 'Show')));
  thresholdForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = Number(thresholdInput.value);
    if (!(value >= 0 && value <= 1)) return thresholdInput.focus();
    ctx.navigate({ view: 'review', threshold: String(Math.round(value * 1000) / 1000) });
  });

  root.append(tokenForm, thresholdForm, apiBox([queuePath]), result, sections);

  /** POST one decision; then say what happened and read the queue again. */
  async function decide(decision, { item, reasonInput }) {
    const slot = item.querySelector('.decision-error');
    clear(slot);
    if (decision.problem) {
      slot.append(problemBox('The decision was not sent', decision.problem));
      reasonInput?.focus();
      return;
    }
    if (!token.get()) {
      slot.append(problemBox('The decision was not sent', 'Enter the API token above first.', focusButton('Go to the token field', tokenInput)));
      return;
    }
    if (busy) return;
    busy = true;
    root.querySelectorAll('button[data-decide]').forEach((b) => { b.disabled = true; });
    sections.setAttribute('aria-busy', 'true');
    try {
      const answer = await postJson('v1/review/decisions', decision.body, { token: token.get() });
      if (!ctx.current()) return;
      result.textContent = recordedText(answer.decision, answer.summary?.changed !== false);
      result.dataset.decision = answer.decision.id;
      await load();
      if (!ctx.current()) return;
      result.focus();
    } catch (error) {
      if (!ctx.current()) return;
      root.querySelectorAll('button[data-decide]').forEach((b) => { b.disabled = false; });
      slot.append(decisionError(error, tokenInput));
    } finally {
      busy = false;
      sections.removeAttribute('aria-busy');
    }
  }

  /** Read the queue and draw its three lists. */
  async function load() {
    let queue;
    try {
      queue = await getJson(queuePath);
    } catch (error) {
      if (!ctx.current()) return;
      clear(sections).append(errorBox(error));
      return;
    }
    if (!ctx.current()) return;
    clear(sections).append(
      candidatesSection(queue.candidates, decide, name),
      factsSection(queue.low_confidence, threshold, decide, name),
      decisionsSection(queue.decisions, decide, name));
    sections.dataset.loaded = String(Date.now());
  }
  load().then(() => {
    if (!ctx.current()) return;
    const q = sections.querySelectorAll('.review-pair, .review-fact').length;
    announce(q ? `${q} item${q === 1 ? '' : 's'} to review` : 'Nothing to review');
  });
}

// --- the three lists ---------------------------------------------------------------------------

function candidatesSection(candidates, decide, name) {
  const section = h('section', { class: 'panel review-candidates', 'aria-labelledby': 'review-candidates-title' },
    h('div', { class: 'panel-head' },
      h('h2', { id: 'review-candidates-title' }, `Possible duplicates (${candidates.length})`),
      h('p', { class: 'hint' }, 'Two entities that may be one, best match first. Merging keeps one id; the other answers with a redirect to it. “Not the same” stops the pair being proposed again.')));
  if (!candidates.length) {
    section.append(h('p', { class: 'muted' }, 'No pair is proposed.'));
    return section;
  }
  section.append(h('ol', { class: 'review-list' }, candidates.map((c, i) => pairItem(c, i, decide, name))));
  return section;
}

function pairItem(candidate, index, decide, name) {
  const id = `pair-${index}`;
  const reasonInput = h('input', { type: 'text', id: `${id}-reason`, class: 'reason-input', maxlength: String(MAX_REASON), value: defaultPairReason(candidate) });
  const item = h('li', { class: 'review-pair', 'data-a': candidate.a.id, 'data-b': candidate.b.id, 'data-type': candidate.type, 'aria-labelledby': `${id}-title` });
  const button = (action, text, body) => {
    const b = h('button', { type: 'button', class: action === 'distinct' ? 'btn' : 'btn btn-primary', 'data-decide': action }, text);
    b.addEventListener('click', () => decide(body(), { item, reasonInput }));
    return b;
  };
  const pairName = `${displayName(candidate.a)} and ${displayName(candidate.b)}`;
  item.append(
    h('h3', { id: `${id}-title`, class: 'pair-title' },
      h('span', { class: 'visually-hidden' }, `${pairName}: `),
      h('span', { class: 'pair-score', 'data-score': String(candidate.score) }, `Match ${formatNumber(candidate.score * 100, 0)}%`), ' ', typeBadge(candidate.type)),
    h('ul', { class: 'pair-reasons', 'aria-label': 'Why they are proposed' }, candidate.reasons.map((r) => h('li', { 'data-signal': r.signal, class: r.weight < 0 ? 'reason-against' : null },
      reasonText(r), h('span', { class: 'muted small' }, ` ${r.weight > 0 ? '+' : '−'}${formatNumber(Math.abs(r.weight), 2)}`)))),
    h('div', { class: 'pair-cards' }, entityCard(candidate.a, 'A'), entityCard(candidate.b, 'B')),
    h('div', { class: 'decide' },
      h('div', { class: 'field field-reason' }, h('label', { for: reasonInput.id, class: 'field-label' }, 'Reason'), reasonInput),
      h('div', { class: 'actions', role: 'group', 'aria-label': `Decide: ${pairName}` },
        button('merge-b-into-a', 'Same entity: merge B into A', () => mergeBody(candidate, 'a', reasonInput.value, name.get())),
        button('merge-a-into-b', 'Same entity: merge A into B', () => mergeBody(candidate, 'b', reasonInput.value, name.get())),
        button('distinct', 'Not the same', () => distinctBody(candidate, reasonInput.value, name.get())))),
    h('div', { class: 'decision-error' }));
  return item;
}

/** One side of a pair: its names in each language, its id, and the quotes it rests on (fetched
 * from /v1/entities/{id}: the queue gives references only). */
function entityCard(ref, letter) {
  const quotes = h('div', { class: 'card-quotes' }, h('p', { class: 'muted small' }, 'Loading its quotes…'));
  const names = [['en', ref.names?.en || ref.name], ...otherNames(ref).map((n) => [n.lang, n.text])].filter(([, text]) => text);
  const card = h('article', { class: 'review-card', 'data-id': ref.id, 'data-side': letter.toLowerCase(), 'aria-label': `${letter}: ${displayName(ref)}` },
    h('p', { class: 'kicker' }, h('span', { class: 'card-letter', 'aria-hidden': 'true' }, letter), ' ', typeBadge(ref.type), ' ', h('code', { class: 'id' }, ref.id)),
    h('h4', {}, h('a', { href: entityHref(ref) }, nameParts(ref, { native: false }))),
    h('ul', { class: 'card-names', 'aria-label': 'Names' }, names.map(([lang, text]) => h('li', { 'data-lang': lang },
      h('span', { lang }, text), h('span', { class: 'muted small' }, ` ${LANGUAGE_LABELS[lang] || lang}`)))),
    quotes);
  getJson(`v1/entities/${seg(ref.id)}`).then((detail) => {
    const entity = detail.entity;
    const all = uniqueEvidence(entity.evidence);
    clear(quotes);
    if (entity.aliases?.length) {
      quotes.before(h('p', { class: 'card-aliases small' }, h('span', { class: 'muted' }, 'Aliases: '),
        entity.aliases.map((a, i) => [i ? ', ' : '', h('span', { lang: /[\u2e80-\u9fff]/.test(a) ? 'zh' : 'en' }, a)])));
    }
    const counts = Object.values(detail.relations?.out || {}).concat(Object.values(detail.relations?.in || {})).reduce((n, k) => n + k, 0);
    quotes.append(h('p', { class: 'muted small' }, `${all.length} quote${all.length === 1 ? '' : 's'}, ${counts} relation${counts === 1 ? '' : 's'}`));
    quotes.append(quoteList(all.slice(0, QUOTES_SHOWN)));
    if (all.length > QUOTES_SHOWN) quotes.append(h('p', { class: 'small' }, h('a', { href: entityHref(ref) }, `All ${all.length} quotes in the entity view`)));
    card.dataset.quotes = String(all.length);
  }).catch((error) => {
    clear(quotes).append(h('p', { class: 'muted small' }, `Its quotes could not be loaded (${error.message}).`));
  });
  return card;
}

function factsSection(facts, threshold, decide, name) {
  const section = h('section', { class: 'panel review-facts', 'aria-labelledby': 'review-facts-title' },
    h('div', { class: 'panel-head' },
      h('h2', { id: 'review-facts-title' }, `Facts read with little confidence (${facts.length})`),
      h('p', { class: 'hint' }, `Best evidence below ${formatNumber(Number(threshold) * 100, 0)}% confidence, lowest first. Rejecting a fact takes it out of every answer; an undo brings it back.`)));
  if (!facts.length) {
    section.append(h('p', { class: 'muted' }, 'No fact is below the threshold.'));
    return section;
  }
  section.append(h('ol', { class: 'review-list' }, facts.map((fact, i) => {
    const id = `fact-${i}`;
    const reasonInput = h('input', { type: 'text', id: `${id}-reason`, class: 'reason-input', maxlength: String(MAX_REASON), value: DEFAULT_REJECT_REASON });
    const item = h('li', { class: 'review-fact', 'data-subject': fact.subject, 'data-kind': fact.kind, 'aria-labelledby': `${id}-title` });
    const reject = h('button', { type: 'button', class: 'btn btn-danger', 'data-decide': 'reject', 'aria-describedby': `${id}-title` }, 'Reject');
    reject.addEventListener('click', () => decide(rejectBody(fact, reasonInput.value, name.get()), { item, reasonInput }));
    item.append(
      h('h3', { id: `${id}-title`, class: 'fact-title' }, factLabel(fact), ' ', typeBadge(fact.type),
        h('span', { class: 'fact-confidence', 'data-confidence': String(fact.confidence) }, ` confidence ${formatNumber(fact.confidence * 100, 0)}%`)),
      h('p', { class: 'muted small' }, h('code', { class: 'id' }, fact.subject)),
      quoteList(uniqueEvidence(fact.evidence)),
      h('div', { class: 'decide' },
        h('div', { class: 'field field-reason' }, h('label', { for: reasonInput.id, class: 'field-label' }, 'Reason'), reasonInput),
        h('div', { class: 'actions' }, reject)),
      h('div', { class: 'decision-error' }));
    return item;
  })));
  return section;
}

/** "Boeing supplies aircraft parts": the API's label, its relation word made readable. */
function factLabel(fact) {
  if (fact.kind !== 'relation') return fact.label;
  return fact.label.replace(` ${fact.type} `, ` ${relationLabel(fact.type)} `);
}

function decisionsSection(states, decide, name) {
  const section = h('section', { class: 'panel review-decisions', 'aria-labelledby': 'review-decisions-title' },
    h('div', { class: 'panel-head' },
      h('h2', { id: 'review-decisions-title' }, `Decisions (${states.length})`),
      h('p', { class: 'hint' }, 'Newest first. Undo takes a decision back (an undo of an undo puts it back); nothing is ever deleted.'),
      states.length ? h('p', { class: 'actions' }, csvDownload(csvFileName('review-decisions', []), () => ({
        header: ['id', 'at', 'kind', 'subject', 'into', 'reason', 'by', 'in_force'],
        rows: newestFirst(states).map(({ decision: d, in_force: inForce }) => [d.id, d.at, d.kind, d.subject, d.into, d.reason, d.by, inForce]),
      }))) : null));
  if (!states.length) {
    section.append(h('p', { class: 'muted' }, 'No decision yet.'));
    return section;
  }
  // One reason for the undos, above the table: a field in every row would crowd it.
  const reasonInput = h('input', { type: 'text', id: 'undo-reason', class: 'reason-input', maxlength: String(MAX_REASON), value: DEFAULT_UNDO_REASON });
  const error = h('div', { class: 'decision-error' });
  const holder = h('div', { class: 'decide' }, h('div', { class: 'field field-reason' }, h('label', { for: 'undo-reason', class: 'field-label' }, 'Reason given with an undo'), reasonInput), error);
  section.append(holder, h('div', { class: 'table-scroll' }, h('table', { class: 'data-table decisions-table' },
    h('caption', {}, 'Every decision recorded, with who made it, when and why, and whether it stands'),
    h('thead', {}, h('tr', {}, ['When', 'Decision', 'Reason', 'By', 'Stands', ''].map((t) => h('th', { scope: 'col' }, t || h('span', { class: 'visually-hidden' }, 'Action'))))),
    h('tbody', {}, newestFirst(states).map(({ decision, in_force: inForce }) => {
      let undo = null;
      if (inForce) {
        undo = h('button', { type: 'button', class: 'btn btn-small', 'data-decide': 'undo', 'aria-label': `Undo: ${decisionText(decision)}` }, 'Undo');
        undo.addEventListener('click', () => decide(undoBody(decision, reasonInput.value, name.get()), { item: holder, reasonInput }));
      }
      return h('tr', { class: 'review-decision', 'data-id': decision.id, 'data-kind': decision.kind, 'data-subject': decision.subject, 'data-in-force': String(inForce) },
        h('td', { class: 'nowrap' }, decision.at ? h('time', { datetime: decision.at, title: decision.at }, `${formatDate(decision.at)} ${decision.at.slice(11, 16)}`) : '–'),
        h('th', { scope: 'row' }, h('span', { class: `decision-kind kind-${decision.kind}` }, DECISION_LABELS[decision.kind] || decision.kind), ' ', subjectText(decision)),
        h('td', {}, decision.reason),
        h('td', {}, decision.by),
        h('td', {}, inForce ? 'yes' : h('span', { class: 'muted' }, 'taken back')),
        h('td', {}, undo));
    })))));
  return section;
}

/** What a decision is about, with links to the entities it names. */
function subjectText(decision) {
  const link = (id) => (/^[a-z]+:/.test(id) && !id.includes('|') && !id.startsWith('decision:') ? h('a', { href: entityHref(id) }, h('code', {}, id)) : h('code', {}, id));
  if (decision.kind === 'merge') return [link(decision.subject), ' into ', link(decision.into)];
  if (decision.kind === 'distinct') return [link(decision.subject), ' and ', link(decision.into)];
  return link(decision.subject);
}

// --- pieces ------------------------------------------------------------------------------------

/** Quotes with their document (title, date, language), each linking to the span in the document. */
function quoteList(evidence) {
  if (!evidence.length) return h('p', { class: 'muted small' }, 'No quote is recorded for this.');
  return h('ul', { class: 'review-quotes' }, evidence.map((e) => {
    const quote = h('blockquote', { class: 'quote quote-small' }, e.quote);
    const where = h('a', { href: href({ view: 'document', id: e.document_id, start: e.start, end: e.end }) }, e.document_id);
    const meta = h('p', { class: 'evidence-meta' }, where,
      e.extractor === 'curated' ? ' · curated' : ` · extractor ${e.extractor}`,
      e.confidence < 1 ? ` · confidence ${formatNumber(e.confidence * 100, 0)}%` : '');
    fetchDocument(e.document_id).then((doc) => {
      if (doc.language) quote.setAttribute('lang', doc.language);
      where.textContent = doc.title || doc.id;
      if (doc.title && doc.language) where.setAttribute('lang', doc.language);
      if (doc.published) where.after(` · ${formatDate(doc.published)}`);
    }).catch(() => {});
    return h('li', { 'data-document': e.document_id }, quote, meta);
  }));
}

function problemBox(heading, text, ...more) {
  return h('div', { class: 'message message-error', role: 'alert' }, h('h4', {}, heading), h('p', {}, text), more);
}

function focusButton(text, target) {
  const b = h('button', { type: 'button', class: 'btn btn-small' }, text);
  b.addEventListener('click', () => target.focus());
  return b;
}

/** A refused decision, said where the reviewer clicked: a wrong token (401) points to the token
 * field; a decision the API does not accept (422) gives its reason. */
function decisionError(error, tokenInput) {
  if (!(error instanceof ApiError)) return problemBox('The decision failed', String(error?.message || error));
  const detail = error.problem?.detail || error.problem?.title || `HTTP ${error.status}`;
  let box;
  if (error.status === 401) {
    box = problemBox('The token was not accepted (401)', `The API says: ${detail}. Enter the token again above; nothing was recorded.`, focusButton('Go to the token field', tokenInput));
  } else if (error.status === 422) {
    box = problemBox('The API did not accept this decision (422)', `${detail}${error.problem?.field ? ` (${error.problem.field})` : ''}. Nothing was recorded.`);
  } else {
    box = errorBox(error);
  }
  box.dataset.status = String(error.status);
  return box;
}
