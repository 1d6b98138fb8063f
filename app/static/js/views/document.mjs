// One document's text with a quoted span highlighted: where every evidence link ends.
import { h, clear } from '../dom.mjs';
import { seg, call } from '../api.mjs';
import { formatDate, LANGUAGE_LABELS } from '../format.mjs';
import { apiBox, errorBox, loading, viewHead } from '../ui.mjs';

export const title = 'Document';

export function render(root, state, ctx) {
  root.append(viewHead('A source document', 'The text the graph was built from; the highlighted span is the quote you followed.'));
  const out = h('div', { class: 'view-body' });
  root.append(out);
  if (!state.id) {
    out.append(h('p', { class: 'muted' }, 'Open a document from a quote in any view.'));
    return null;
  }
  const main = call(`v1/documents/${seg(state.id)}`, {});
  out.append(loading('Loading the document…'));
  main.promise.then((doc) => {
    if (!ctx.current()) return;
    ctx.setTitle(doc.title || doc.id);
    clear(out);
    out.append(apiBox([main.path]));
    const text = doc.text || '';
    const start = state.start !== undefined ? Math.min(text.length, Number(state.start)) : null;
    const end = state.end !== undefined ? Math.min(text.length, Math.max(start ?? 0, Number(state.end))) : null;
    const body = h('div', { class: 'document-text', lang: doc.language || null });
    if (start !== null && end !== null && end > start) {
      body.append(text.slice(0, start), h('mark', { id: 'highlight', tabindex: '-1' }, text.slice(start, end)), text.slice(end));
    } else body.append(text);
    out.append(h('article', { class: 'panel document', 'aria-labelledby': 'doc-title' },
      h('h2', { id: 'doc-title', lang: doc.language || null }, doc.title || doc.id),
      h('p', { class: 'muted' }, [
        h('code', { class: 'id' }, doc.id),
        doc.published ? ` · published ${formatDate(doc.published)}` : '',
        doc.language ? ` · ${LANGUAGE_LABELS[doc.language] || doc.language}` : '',
        doc.source ? ` · ${doc.source}` : '',
        doc.url ? [' · ', h('a', { href: doc.url, rel: 'noopener noreferrer' }, 'original')] : '',
        start !== null ? ` · characters ${start}–${end} highlighted` : '',
      ]),
      body));
    const mark = out.querySelector('#highlight');
    if (mark) requestAnimationFrame(() => mark.scrollIntoView({ block: 'center' }));
  }).catch((error) => {
    if (!ctx.current()) return;
    clear(out);
    out.append(apiBox([main.path]), errorBox(error));
  });
  return null;
}
