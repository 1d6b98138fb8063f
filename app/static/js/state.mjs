// The page's state lives in the query string, so every view has a URL to share. Pure functions.

// `as_of` (YYYY-MM-DD) asks for the graph as it stood on that day, on the views whose API calls
// take it; it has the API's own name, so a shared link reads like the call behind it.
export const VIEWS = {
  home: [],
  dependents: ['commodity', 'origin', 'depth', 'as_of'],
  escalation: ['a', 'b', 'since', 'until', 'as_of', 'offset', 'limit'],
  measure: ['id', 'depth', 'as_of'],
  // Every measure (GET /v1/measures): its filters (`mast`: a MAST chapter letter; `q`: text in a
  // name), its order (`sort`) and the page; `by` splits the month counts (GET /v1/measures/counts)
  // by type or imposer; `map=target` shades the map by measures received.
  measures: ['imposer', 'target', 'type', 'mast', 'status', 'since', 'until', 'covers', 'q', 'sort', 'as_of', 'offset', 'limit', 'by', 'map'],
  entity: ['id'],
  // A country's or a bloc's page (GET /v1/countries/{id}/profile); `members=true` counts a bloc's
  // member states in with it; `as_of` reads the graph as it stood that day.
  country: ['id', 'members', 'as_of'],
  document: ['id', 'start', 'end'],
  // The review queue: only the confidence below which facts are listed. The bearer token is never
  // part of the state (it would end up in the address bar, history and shared links): the review
  // view keeps it in sessionStorage.
  review: ['threshold'],
};

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const INT = /^\d{1,9}$/;
// How the measures view splits its month counts ("none" is the default and left out of the URL).
const BY = ['type', 'imposer'];
// The measure list's orders (GET /v1/measures' `sort`); "date" is the default and left out.
export const SORTS = ['-date', 'rate', '-rate', 'name'];
// A MAST chapter is one capital letter; which ones exist the server says (/explorer/config).
const MAST = /^[A-Z]$/;
// A confidence between 0 and 1, as the API's `threshold` takes it ("0.5", "0.75", "1").
const SHARE = /^(0(\.\d{1,3})?|1(\.0{1,3})?)$/;

/** "?view=dependents&commodity=稀土&origin=中国" → {view: 'dependents', commodity: '稀土', origin: '中国'}. */
export function parseState(search) {
  const params = new URLSearchParams(search || '');
  const view = params.get('view') || 'home';
  if (!(view in VIEWS)) return { view: 'home', unknownView: view };
  const state = { view };
  for (const key of VIEWS[view]) {
    let value = params.get(key);
    if (value === null) continue;
    value = value.trim();
    if (!value) continue;
    if (['since', 'until', 'as_of'].includes(key) && !ISO.test(value)) continue;
    if (['depth', 'start', 'end', 'offset', 'limit'].includes(key) && !INT.test(value)) continue;
    if (key === 'threshold' && !SHARE.test(value)) continue;
    if (key === 'by' && !BY.includes(value)) continue;
    if (key === 'map' && value !== 'target') continue; // imposed (the default, left out) or received
    if (key === 'sort' && !SORTS.includes(value)) continue;
    if (key === 'mast' && !MAST.test(value)) continue;
    if (key === 'members' && value !== 'true') continue;
    state[key] = value;
  }
  return state;
}

/** The inverse of parseState, with parameters in a fixed order so equal states give equal URLs. */
export function stateToQuery(state) {
  const params = new URLSearchParams();
  const view = state?.view || 'home';
  if (view === 'home') return '';
  params.set('view', view);
  for (const key of VIEWS[view] || []) {
    const value = state[key];
    if (value !== undefined && value !== null && String(value).trim() !== '') params.set(key, String(value).trim());
  }
  // Keep ":" readable in shared links ("commodity=commodity:rare-earths"); it is legal in a query.
  return '?' + params.toString().replaceAll('%3A', ':');
}

export function sameState(a, b) {
  return stateToQuery(a) === stateToQuery(b);
}

/** A path under the API with its query, relative to the page ("v1/dependents?commodity=..."). */
export function apiPath(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) query.append(key, String(v));
  }
  const qs = query.toString().replaceAll('%3A', ':').replaceAll('%2C', ',');
  return path.replace(/^\//, '') + (qs ? '?' + qs : '');
}

/** The same call as a person reads it: "/v1/dependents?commodity=稀土&origin=中国". */
export function readableCall(path) {
  const [base, query] = path.split('?', 2);
  let text = '/' + base;
  try {
    text = '/' + decodeURI(base);
  } catch {
    // keep it encoded
  }
  if (query) {
    text += '?' + query.split('&').map((pair) => {
      const [k, v = ''] = pair.split('=', 2);
      try {
        return `${decodeURIComponent(k)}=${decodeURIComponent(v.replaceAll('+', ' '))}`;
      } catch {
        return pair;
      }
    }).join('&');
  }
  return text;
}
