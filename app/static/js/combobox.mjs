// An entity picker with suggestions as you type (GET /v1/search?q=), following the ARIA 1.2
// combobox pattern: the focus stays in the input, arrows move the active option, Enter picks it,
// Escape closes the list. Free text is kept too: the API resolves names and aliases itself.
import { h, clear } from './dom.mjs';
import { getJson } from './api.mjs';
import { apiPath } from './state.mjs';
import { displayName, otherNames, LANGUAGE_LABELS } from './format.mjs';
import { typeBadge } from './ui.mjs';

let counter = 0;

/**
 * @param {object} o
 * @param {string} o.label visible label
 * @param {string[]|null} o.types entity types offered (null: any)
 * @param {string} [o.value] initial text or id
 * @param {(picked: {id?: string, text: string, entity?: object}) => void} [o.onPick]
 * @param {boolean} [o.hideLabel] label only for screen readers
 */
export function combobox({ label, types = null, value = '', placeholder = '', onPick, hideLabel = false, name, required = false, hint }) {
  const uid = `cb${++counter}`;
  const input = h('input', {
    id: `${uid}-input`, type: 'text', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
    'aria-controls': `${uid}-list`, autocomplete: 'off', spellcheck: 'false', placeholder, name, required,
    'aria-describedby': hint ? `${uid}-hint` : null,
  });
  const list = h('ul', { id: `${uid}-list`, role: 'listbox', class: 'suggestions', 'aria-label': `${label}: suggestions`, hidden: true });
  const wrapper = h('div', { class: 'combobox' },
    h('label', { for: input.id, class: hideLabel ? 'visually-hidden' : 'field-label' }, label),
    h('div', { class: 'combobox-box' }, input, list),
    hint ? h('span', { id: `${uid}-hint`, class: 'field-hint' }, hint) : null);

  let picked = null; // {id, text, entity}
  let options = [];
  let active = -1;
  let timer = null;
  let controller = null;
  let lastQuery = null;

  const setValue = (v) => {
    if (v && typeof v === 'object') {
      picked = { id: v.id, text: displayName(v), entity: v };
      input.value = picked.text;
    } else {
      picked = null;
      input.value = v || '';
    }
  };
  setValue(value);

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const open = () => {
    if (!options.length && !list.querySelector('.suggestion-empty')) return;
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };
  const highlight = (i) => {
    const items = list.querySelectorAll('[role=option]');
    items.forEach((el, k) => el.setAttribute('aria-selected', String(k === i)));
    active = i;
    if (i >= 0 && items[i]) {
      input.setAttribute('aria-activedescendant', items[i].id);
      items[i].scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const choose = (i) => {
    const option = options[i];
    if (!option) return;
    setValue(option.entity);
    close();
    onPick?.({ id: option.entity.id, text: picked.text, entity: option.entity });
  };

  const render = (query, results) => {
    // Keep the active option when newer results still hold it (answers arrive while typing).
    const keep = active >= 0 ? options[active]?.entity.id : null;
    clear(list);
    options = results;
    active = -1;
    list.dataset.query = query;
    if (!results.length) {
      list.append(h('li', { class: 'suggestion-empty', role: 'presentation' }, `Nothing is called “${query}”`));
    }
    results.forEach((r, i) => {
      const alias = r.matched;
      const li = h('li', { id: `${uid}-opt${i}`, role: 'option', 'aria-selected': 'false', class: 'suggestion' },
        h('span', { class: 'suggestion-names' },
          h('span', { class: 'name-main' }, displayName(r.entity)),
          otherNames(r.entity).map(({ lang, text }) => [' ', h('span', { class: 'name-native', lang, title: LANGUAGE_LABELS[lang] || lang }, text)]),
          alias ? h('span', { class: 'suggestion-alias' }, ' · alias ', h('span', { lang: /[\u2e80-\u9fff]/.test(alias) ? 'zh' : 'en' }, alias)) : null),
        typeBadge(r.entity.type));
      li.addEventListener('mousedown', (e) => { e.preventDefault(); choose(i); });
      li.addEventListener('mousemove', () => { if (active !== i) highlight(i); });
      list.append(li);
    });
    open();
    const again = keep ? results.findIndex((r) => r.entity.id === keep) : -1;
    if (again >= 0) highlight(again);
  };

  const search = async (query) => {
    controller?.abort();
    controller = new AbortController();
    lastQuery = query;
    const single = types && types.length === 1 ? types[0] : null;
    try {
      const answer = await getJson(apiPath('v1/search', { q: query, type: single, limit: types && !single ? 40 : 10 }), { signal: controller.signal });
      if (query !== lastQuery) return;
      const fold = query.toLowerCase();
      const results = answer.data
        .filter((r) => !types || types.includes(r.entity.type))
        .slice(0, 10)
        .map((r) => {
          const names = [displayName(r.entity), ...Object.values(r.entity.names || {})].map((n) => n.toLowerCase());
          const matched = names.some((n) => n.includes(fold)) ? null : (r.aliases || []).find((a) => a.toLowerCase().includes(fold)) || null;
          return { entity: r.entity, matched };
        });
      if (document.activeElement === input) render(query, results);
    } catch (error) {
      if (error.name !== 'AbortError') close();
    }
  };

  const onInput = (event) => {
    // While an input method composes (pinyin → 稀土), wait for the characters it commits.
    if (event?.isComposing) return;
    picked = null;
    clearTimeout(timer);
    const query = input.value.trim();
    if (!query) {
      controller?.abort();
      options = [];
      clear(list);
      close();
      return;
    }
    timer = setTimeout(() => search(query), 120);
  };
  input.addEventListener('input', onInput);
  input.addEventListener('compositionend', () => onInput());
  input.addEventListener('keydown', (e) => {
    const expanded = !list.hidden && options.length > 0;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (list.hidden && options.length) open();
      if (options.length) highlight((active + 1) % options.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (options.length) highlight(active <= 0 ? options.length - 1 : active - 1);
    } else if (e.key === 'Enter' && expanded && active >= 0) {
      e.preventDefault();
      choose(active);
    } else if (e.key === 'Escape') {
      if (!list.hidden) {
        e.preventDefault();
        e.stopPropagation();
        close();
      }
    } else if (e.key === 'Tab') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
  input.addEventListener('focus', () => { if (options.length && input.value.trim() === lastQuery) open(); });

  return {
    el: wrapper,
    input,
    /** What the API should be asked: the picked id, else the typed text. */
    value: () => (picked && picked.text === input.value ? picked.id : input.value.trim()),
    entity: () => (picked && picked.text === input.value ? picked.entity : null),
    setValue,
  };
}
