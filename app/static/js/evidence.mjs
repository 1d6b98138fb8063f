// The evidence dialog: a relation (or an entity) with every quote that supports it, the document
// each quote came from (GET /v1/documents/{id}) and the quoted span highlighted in its context.
import { h, clear } from './dom.mjs';
import { getJson, seg } from './api.mjs';
import { displayName, formatDate, formatShare, locateSpan, relationLabel, LANGUAGE_LABELS } from './format.mjs';
import { href, nameParts, entityHref } from './ui.mjs';

const documents = new Map();

export function fetchDocument(id) {
  if (!documents.has(id)) {
    const promise = getJson(`v1/documents/${seg(id)}`);
    promise.catch(() => documents.delete(id));
    documents.set(id, promise);
  }
  return documents.get(id);
}

/** Unique evidence items (the same quote from the same place once). */
export function uniqueEvidence(evidence) {
  const seen = new Set();
  return (evidence || []).filter((e) => {
    const key = `${e.document_id}|${e.start}|${e.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Open the dialog for a relation {source, type, target, share, origin, evidence}.
 * `entities` maps ids to entity references, for names.
 */
export function openRelationEvidence(relation, entities = new Map()) {
  const name = (id) => entities.get(id) || { id, name: id };
  const facts = [];
  if (relation.share !== null && relation.share !== undefined) facts.push(['Share', formatShare(relation.share)]);
  if (relation.origin) facts.push(['Origin', h('a', { href: entityHref(relation.origin) }, nameParts(name(relation.origin)))]);
  if (relation.valid_from) facts.push(['From', formatDate(relation.valid_from)]);
  if (relation.valid_to) facts.push(['Until', formatDate(relation.valid_to)]);
  for (const [k, v] of Object.entries(relation.attributes || {})) facts.push([k.replaceAll('_', ' '), String(v)]);
  openDialog({
    kicker: 'Evidence for a relation',
    title: [
      h('a', { href: entityHref(relation.source) }, displayName(name(relation.source))),
      h('span', { class: 'rel-word' }, ` ${relationLabel(relation.type)} `),
      h('a', { href: entityHref(relation.target) }, displayName(name(relation.target))),
    ],
    facts,
    evidence: relation.evidence,
    label: `${displayName(name(relation.source))} ${relationLabel(relation.type)} ${displayName(name(relation.target))}`,
  });
}

/** Open the dialog for an entity's (or a measure's) own evidence. */
export function openEntityEvidence(entity, evidence, facts = []) {
  openDialog({ kicker: 'Evidence', title: nameParts(entity), facts, evidence, label: displayName(entity) });
}

function openDialog({ kicker, title, facts, evidence, label }) {
  const dialog = document.getElementById('evidence-dialog');
  clear(dialog);
  const items = uniqueEvidence(evidence);
  const closeButton = h('button', { type: 'button', class: 'btn btn-quiet dialog-close', 'aria-label': 'Close' }, '✕');
  closeButton.addEventListener('click', () => dialog.close());
  dialog.append(
    h('div', { class: 'dialog-head' },
      h('div', {}, h('p', { class: 'kicker' }, kicker), h('h2', { id: 'evidence-title' }, title)),
      closeButton),
    facts.length ? h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])) : null,
    items.length
      ? h('ol', { class: 'evidence-list', 'aria-label': `${items.length} supporting ${items.length === 1 ? 'quote' : 'quotes'}` }, items.map(evidenceItem))
      : h('p', { class: 'muted' }, 'No quote is recorded for this.'),
  );
  dialog.dataset.label = label;
  if (!dialog.open) dialog.showModal();
  closeButton.focus();
}

function evidenceItem(e) {
  const quote = h('blockquote', { class: 'quote' }, e.quote);
  const meta = h('p', { class: 'evidence-meta' }, h('span', { class: 'muted' }, 'Loading the document…'));
  const context = h('div', { class: 'evidence-context' });
  const li = h('li', { class: 'evidence-item', dataset: { document: e.document_id } }, quote, meta, context);
  fetchDocument(e.document_id).then((doc) => {
    const lang = doc.language || undefined;
    if (lang) quote.setAttribute('lang', lang);
    const where = locateSpan(doc.text, e.start, e.end, e.quote);
    clear(meta).append(
      h('span', { class: 'doc-title', lang }, doc.title || doc.id),
      doc.published ? ` · ${formatDate(doc.published)}` : '',
      lang ? ` · ${LANGUAGE_LABELS[lang] || lang}` : '',
      ` · characters ${where.start}–${where.end}`,
      ` · ${e.extractor === 'curated' ? 'curated' : `extractor ${e.extractor}`}`,
      e.confidence < 1 ? ` · confidence ${Math.round(e.confidence * 100)}%` : '',
    );
    context.append(
      h('p', { class: 'context-label' }, 'In the document'),
      h('p', { class: 'context-text', lang }, where.before, h('mark', {}, where.match), where.after),
      h('a', { class: 'btn btn-small', href: href({ view: 'document', id: doc.id, start: where.start, end: where.end }) }, 'Open the whole document'),
    );
  }).catch((error) => {
    clear(meta).append(h('span', { class: 'muted' }, `${e.document_id}: the document could not be loaded (${error.message}).`));
  });
  return li;
}

export function setupDialog() {
  const dialog = document.getElementById('evidence-dialog');
  // A click on the backdrop (outside the dialog's box) closes it.
  dialog.addEventListener('click', (event) => {
    if (event.target !== dialog) return;
    const r = dialog.getBoundingClientRect();
    const inside = event.clientX >= r.left && event.clientX <= r.right && event.clientY >= r.top && event.clientY <= r.bottom;
    if (!inside) dialog.close();
  });
  // Links inside the dialog navigate within the page: close it first.
  dialog.addEventListener('click', (event) => {
    if (event.target.closest('a[href]')) dialog.close();
  });
}
