// The world map of the Measures view: each country shaded by how many measures of the filter it
// imposed, or received, from GET /v1/measures/counts?by=imposer|target (every month added up:
// the whole filter, not a page). Shapes are Natural Earth's at 1:110m (world-atlas, TopoJSON, each
// country's id its ISO 3166-1 numeric code), drawn with d3-geo; the graph names countries by ISO
// alpha-2 (country:CN), joined to the shapes through the vendored ISO code table. A shaded country
// is an SVG link to its jurisdiction page, so Tab reaches it and Enter opens it, with an accessible
// name that says its count. Blocs (the EU) have no shape: they are listed, not drawn.
import { s } from './dom.mjs';
import { stateToQuery } from './state.mjs';
import { detachedPlot, PLOT_CLASS } from './charts.mjs';

// `map` in the URL: whose measures the map counts ('' — left out of the URL — is the default).
export const MAP_SIDES = { '': 'Imposed', target: 'Received' };

const WIDTH = 720;
const HEIGHT = 370;

let shapes = null;

/** The atlas and the code table, fetched once (same origin: app/static/vendor). */
export function worldShapes() {
  const get = (file) => fetch(new URL(`../vendor/${file}`, import.meta.url)).then((r) => {
    if (!r.ok) throw new Error(`Could not load ${file} (${r.status})`);
    return r.json();
  });
  shapes ??= Promise.all([get('countries-110m.json'), get('iso3166-codes.json')]).then(([atlas, codes]) => ({ atlas, codes }));
  shapes.catch(() => { shapes = null; });
  return shapes;
}

/** The page of a country or a bloc (the jurisdiction view, `?view=country&id=…`). */
export const countryHref = (id) => stateToQuery({ view: 'country', id });

/** "country:CN" → "CN"; null for anything that is not a country (a bloc, a firm). */
export const alpha2 = (id) => (/^country:[A-Z]{2}$/.test(id || '') ? id.slice(8) : null);

/**
 * A /v1/measures/counts answer by imposer or target as one row per side, its months added up,
 * most measures first (the unnamed side, null, after the others of its count): {id, count, numeric} (numeric: the ISO code of a country, else null).
 * `codes` are the rows of iso3166-codes.json ([alpha-2, alpha-3, numeric, …]).
 */
export function sideTotals(answer, codes) {
  const numericOf = new Map(codes.map((row) => [row[0], row[2]]));
  const totals = new Map();
  for (const { group, count } of answer.data) totals.set(group ?? null, (totals.get(group ?? null) || 0) + count);
  return [...totals].map(([id, count]) => ({ id, count, numeric: numericOf.get(alpha2(id)) ?? null }))
    .sort((a, b) => b.count - a.count || (a.id === null) - (b.id === null) || String(a.id).localeCompare(String(b.id)));
}

/** The ids of the atlas's shapes (ISO numeric codes). */
export function shapeIds(atlas) {
  return new Set(atlas.objects.countries.geometries.map((g) => g.id).filter(Boolean));
}

/** The colour scale's options, shared by the shading and its legend. */
function colourOptions(max, label) {
  return { type: 'sqrt', domain: [0, Math.max(1, max)], range: [0.15, 1], scheme: 'blues', label };
}

/**
 * The map as an SVG: every shape, the shaded ones links. `rows` are sideTotals; `name(id)` names
 * a side; `what` says what is counted ("measures imposed").
 */
export function worldMap({ d3, Plot, topojson }, atlas, rows, { name, what }) {
  const byNumeric = new Map(rows.filter((r) => r.numeric).map((r) => [r.numeric, r]));
  const max = Math.max(0, ...rows.filter((r) => r.numeric).map((r) => r.count));
  const colour = Plot.scale({ color: colourOptions(max, what) });
  const projection = d3.geoEqualEarth().fitExtent([[4, 4], [WIDTH - 4, HEIGHT - 4]], { type: 'Sphere' });
  const path = d3.geoPath(projection);
  const svg = s('svg', {
    class: 'world-map', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'group',
    'aria-label': `World map of ${what} per country; each shaded country is a link to its page. The list beside it gives the same numbers.`,
  }, s('path', { class: 'map-sphere', d: path({ type: 'Sphere' }), 'aria-hidden': 'true' }));
  const plain = s('g', { class: 'map-plain', 'aria-hidden': 'true' });
  const shaded = s('g', { class: 'map-shaded' });
  for (const feature of topojson.feature(atlas, atlas.objects.countries).features) {
    const row = byNumeric.get(feature.id);
    const d = path(feature);
    if (!row) {
      plain.append(s('path', { d, class: 'map-country' }));
      continue;
    }
    const label = `${name(row.id)}: ${row.count} ${what}`;
    shaded.append(s('a', { href: countryHref(row.id), class: 'map-link', 'aria-label': label, 'data-country': row.id, 'data-count': row.count },
      s('title', {}, label), s('path', { d, class: 'map-shaded-country', fill: colour.apply(row.count) })));
  }
  svg.append(plain, shaded);
  const legend = detachedPlot(Plot.legend({ color: colourOptions(max, `${what[0].toUpperCase()}${what.slice(1)}`), className: PLOT_CLASS, width: 260, tickFormat: 'd', ticks: Math.min(max, 5) }),
    `Colour scale: darker is more ${what}, from 0 to ${max}`);
  return { svg, legend };
}
