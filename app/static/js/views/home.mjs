// The start page: the three questions, one click each, and what the graph holds.
import { h, clear } from '../dom.mjs';
import { call } from '../api.mjs';
import { displayName, formatDate, measureTypeLabel, statusLabel, TYPE_LABELS } from '../format.mjs';
import { href, nameParts } from '../ui.mjs';

export const title = '';

const QUESTIONS = [
  {
    view: 'dependents', title: 'What depends on Chinese rare earths?', state: { view: 'dependents', commodity: '稀土', origin: '中国' },
    text: 'Every product, firm and country relying on a commodity, directly or through its inputs, with the share and the path.',
  },
  {
    view: 'escalation', title: 'How is the US–China dispute escalating?', state: { view: 'escalation', a: '美国', b: '中国' },
    text: 'Each side’s measures by date, which answered which, and a running escalation index.',
  },
  {
    view: 'measure', title: 'What does a measure hit?', state: { view: 'measure', id: 'rare-earth export controls' },
    text: 'The goods a measure covers and everyone downstream who depends on them, in the targeted country first.',
  },
];

export function render(root, state, ctx) {
  root.append(h('div', { class: 'hero' },
    h('h1', { tabindex: '-1' }, 'Who depends on what, and how trade disputes escalate'),
    h('p', { class: 'lede' }, 'A knowledge graph of trade measures, supply dependencies and retaliation, built from news and official texts in Chinese and English. Every fact links to the sentence that supports it.')));
  root.append(h('ul', { class: 'question-cards' }, QUESTIONS.map((q) => h('li', { class: `question-card card-${q.view}` },
    h('h2', {}, h('a', { href: href(q.state) }, q.title)),
    h('p', {}, q.text),
    h('p', { class: 'card-foot' }, h('span', { class: 'muted small' }, 'Or choose your own in the '), h('a', { href: href({ view: q.view }), class: 'small' }, `${q.view} view`))))));
  const stats = h('section', { class: 'panel home-stats', 'aria-labelledby': 'stats-title' }, h('h2', { id: 'stats-title' }, 'In the graph'), h('p', { class: 'muted' }, 'Counting…'));
  const recent = h('section', { class: 'panel home-recent', 'aria-labelledby': 'recent-title' }, h('h2', { id: 'recent-title' }, 'Latest measures'), h('p', { class: 'muted' }, 'Loading…'));
  root.append(h('div', { class: 'home-grid' }, stats, recent));
  const counts = call('v1/stats', {});
  counts.promise.then((answer) => {
    if (!ctx.current()) return;
    const c = answer.counts;
    clear(stats).append(h('h2', { id: 'stats-title' }, 'In the graph'),
      h('ul', { class: 'stat-cards' },
        h('li', {}, h('span', { class: 'stat-value' }, String(c.entities)), h('span', { class: 'stat-label' }, 'entities')),
        h('li', {}, h('span', { class: 'stat-value' }, String(c.relations)), h('span', { class: 'stat-label' }, 'relations')),
        h('li', {}, h('span', { class: 'stat-value' }, String(c.documents)), h('span', { class: 'stat-label' }, 'documents')),
        h('li', {}, h('span', { class: 'stat-value' }, String(c.evidence)), h('span', { class: 'stat-label' }, 'quotes'))),
      h('p', { class: 'by-type' }, Object.entries(c.entities_by_type || {}).map(([t, n], i) => [i ? ' · ' : '', h('span', {}, plural(t, n))])),
      h('p', { class: 'muted small' }, `Store: ${answer.backend} · data version ${answer.data_version} · `, h('a', { href: counts.path }, 'GET /v1/stats')));
  }).catch(() => { clear(stats).append(h('h2', { id: 'stats-title' }, 'In the graph'), h('p', { class: 'muted' }, 'The statistics are not available.')); });
  const measures = call('v1/measures', { limit: 200 });
  measures.promise.then((answer) => {
    if (!ctx.current()) return;
    const dated = answer.data.filter((m) => m.date).sort((p, q) => (p.date < q.date ? 1 : -1)).slice(0, 6);
    clear(recent).append(h('h2', { id: 'recent-title' }, 'Latest measures'));
    if (!dated.length) {
      recent.append(h('p', { class: 'muted' }, 'No dated measures yet.'));
      return;
    }
    recent.append(h('ol', { class: 'recent-list' }, dated.map((m) => h('li', {},
      h('span', { class: 'recent-date' }, formatDate(m.date)),
      h('a', { href: href({ view: 'measure', id: m.entity.id }) }, nameParts(m.entity)),
      h('span', { class: 'muted small' }, ` ${measureTypeLabel(m.measure?.measure_type)} · ${statusLabel(m.measure?.status).toLowerCase()} · by ${m.imposers.filter((e) => e.type === 'Country').map(displayName).join(', ') || m.imposers.map(displayName).join(', ')}`)))));
  }).catch(() => { clear(recent).append(h('h2', { id: 'recent-title' }, 'Latest measures'), h('p', { class: 'muted' }, 'Not available.')); });
  return null;
}

const PLURALS = { Country: 'countries', Person: 'people', Commodity: 'commodities' };
function plural(type, n) {
  const word = (TYPE_LABELS[type] || type).toLowerCase();
  return `${n} ${n === 1 ? word : PLURALS[type] || word + 's'}`;
}
