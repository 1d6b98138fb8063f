// Labels and number formats. Pure functions: no DOM, unit-tested under node (tests/app/browser/unit).

export const ENTITY_TYPES = ['Country', 'Organization', 'Firm', 'Person', 'Measure', 'Commodity', 'Product'];

export const TYPE_LABELS = {
  Country: 'Country',
  Organization: 'Organization',
  Firm: 'Firm',
  Person: 'Person',
  Measure: 'Measure',
  Commodity: 'Commodity',
  Product: 'Product',
};

export const RELATION_LABELS = {
  IMPOSES: 'imposes',
  TARGETS: 'targets',
  COVERS: 'covers',
  RETALIATES_AGAINST: 'retaliates against',
  DEPENDS_ON: 'depends on',
  SELLS_TO: 'sells to',
  SUPPLIES: 'supplies',
  IS_A: 'is a',
  MADE_FROM: 'made from',
  MEMBER_OF: 'member of',
  BASED_IN: 'based in',
  OPPOSES: 'opposes',
  SUPPORTS: 'supports',
  NEGOTIATES_WITH: 'negotiates with',
};

// Read backwards, for neighbour lists ("X is imposed by Y").
export const RELATION_LABELS_IN = {
  IMPOSES: 'imposed by',
  TARGETS: 'targeted by',
  COVERS: 'covered by',
  RETALIATES_AGAINST: 'answered by',
  DEPENDS_ON: 'depended on by',
  SELLS_TO: 'buys from',
  SUPPLIES: 'supplied by',
  IS_A: 'includes',
  MADE_FROM: 'input to',
  MEMBER_OF: 'has member',
  BASED_IN: 'home of',
  OPPOSES: 'opposed by',
  SUPPORTS: 'supported by',
  NEGOTIATES_WITH: 'negotiates with',
};

export const MEASURE_TYPE_LABELS = {
  tariff: 'Tariff',
  export_control: 'Export control',
  import_ban: 'Import ban',
  purchase_suspension: 'Purchase suspension',
  port_fee: 'Port fee',
  sanction: 'Sanction',
  entity_list: 'Entity list',
  supply_cutoff: 'Supply cut-off',
  anti_dumping: 'Anti-dumping',
  countervailing_duty: 'Countervailing duty',
  safeguard: 'Safeguard',
  investment_restriction: 'Investment restriction',
  other: 'Other measure',
};

export const STATUS_LABELS = {
  threatened: 'Threatened',
  announced: 'Announced',
  in_force: 'In force',
  suspended: 'Suspended',
  lifted: 'Lifted',
};

// What can happen to a measure on one day (its lifecycle events), in the order they fall on one
// day: graph/model/enums.py LifecycleStage.
export const STAGE_LABELS = {
  threatened: 'Threatened',
  announced: 'Announced',
  in_force: 'In force',
  extended: 'Extended',
  suspended: 'Suspended',
  lifted: 'Lifted',
  expired: 'Expired',
};

export const LANGUAGE_LABELS = { en: 'English', zh: 'Chinese', ja: 'Japanese', ko: 'Korean', fr: 'French', de: 'German', es: 'Spanish', ru: 'Russian' };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The English name of an entity reference ({id, name, names}), else any name, else its id. */
export function displayName(entity) {
  if (!entity) return '';
  return entity.names?.en || entity.name || Object.values(entity.names || {})[0] || entity.id || '';
}

/** The entity's names in other languages, each once, not repeating the display name. */
export function otherNames(entity) {
  const main = displayName(entity);
  const seen = new Set([main]);
  const out = [];
  for (const [lang, text] of Object.entries(entity?.names || {})) {
    if (lang === 'en' || !text || seen.has(text)) continue;
    seen.add(text);
    out.push({ lang, text });
  }
  return out;
}

/** "F-35 fighter / F-35 战斗机": a one-line label with every name. */
export function fullLabel(entity) {
  return [displayName(entity), ...otherNames(entity).map((n) => n.text)].join(' / ');
}

export function relationLabel(type, incoming = false) {
  const table = incoming ? RELATION_LABELS_IN : RELATION_LABELS;
  return table[type] || String(type || '').toLowerCase().replaceAll('_', ' ');
}

export function measureTypeLabel(type) {
  return MEASURE_TYPE_LABELS[type] || String(type || 'measure').replaceAll('_', ' ');
}

export function statusLabel(status) {
  return STATUS_LABELS[status] || String(status || 'unknown').replaceAll('_', ' ');
}

/** The status a stage leaves a measure in: an extension keeps it in force, an expiry ends it. */
export const STATUS_AFTER = {
  threatened: 'threatened',
  announced: 'announced',
  in_force: 'in_force',
  extended: 'in_force',
  suspended: 'suspended',
  lifted: 'lifted',
  expired: 'lifted',
};

export function stageLabel(stage) {
  return STAGE_LABELS[stage] || String(stage || 'unknown').replaceAll('_', ' ');
}

/** A share 0..1 as a percentage; null and undefined are "unknown". */
export function formatShare(share) {
  if (share === null || share === undefined || Number.isNaN(share)) return 'unknown';
  const pct = share * 100;
  if (pct === 0) return '0%';
  if (pct < 1) return `${pct.toFixed(1)}%`;
  const rounded = Math.round(pct * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded : rounded.toFixed(1)}%`;
}

/** "2025-10-09" → "9 Oct 2025" (no time zone is involved: the date is read as written). */
export function formatDate(iso, { year = true } = {}) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
  if (!m) return iso ? String(iso) : 'undated';
  const text = `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]}`;
  return year ? `${text} ${m[1]}` : text;
}

export function formatNumber(value, digits = 1) {
  if (value === null || value === undefined) return '–';
  const rounded = Number(value.toFixed(digits));
  return String(rounded);
}

/** A measure's magnitude: "100% → 155%", "25%", "US$1.5 bn", or "". */
export function formatMagnitude(measure) {
  if (!measure) return '';
  const unit = measure.unit || '';
  const show = (v) => (unit === '%' ? `${formatNumber(v, 2)}%` : `${formatNumber(v, 2)}${unit ? ' ' + unit : ''}`);
  if (measure.rate !== null && measure.rate !== undefined) {
    if (measure.previous_rate !== null && measure.previous_rate !== undefined) return `${show(measure.previous_rate)} → ${show(measure.rate)}`;
    return show(measure.rate);
  }
  if (measure.amount !== null && measure.amount !== undefined) return show(measure.amount);
  return '';
}

export function truncate(text, max) {
  const s = String(text || '');
  if (s.length <= max) return s;
  return s.slice(0, Math.max(1, max - 1)).trimEnd() + '…';
}

/** Roughly how wide a label is in px at a font size: CJK characters are square, Latin ~0.55 em. */
export function textWidth(text, fontSize = 12) {
  let w = 0;
  for (const ch of String(text || '')) {
    const code = ch.codePointAt(0);
    w += code > 0x2e80 ? fontSize : code === 32 ? fontSize * 0.3 : /[A-Z0-9%]/.test(ch) ? fontSize * 0.64 : fontSize * 0.54;
  }
  return w;
}

/** Exposure (0..1 or null) → a fill colour: pale amber to deep red; unknown is light grey. */
export function exposureColor(exposure) {
  if (exposure === null || exposure === undefined) return '#eef1f5';
  const stops = [
    [0, [254, 243, 199]],
    [0.5, [251, 146, 60]],
    [1, [185, 28, 28]],
  ];
  return interpolateColor(stops, Math.min(1, Math.max(0, exposure)));
}

/** The colour at ``t`` on a scale of [position, [r, g, b]] stops (t at or past the last: the last). */
function interpolateColor(stops, t) {
  for (let i = 1; i < stops.length; i++) {
    const [t1, c1] = stops[i];
    const [t0, c0] = stops[i - 1];
    if (t <= t1) {
      const f = (t - t0) / (t1 - t0);
      const c = c0.map((v, k) => Math.round(v + (c1[k] - v) * f));
      return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
    }
  }
  const last = stops[stops.length - 1][1];
  return `rgb(${last[0]}, ${last[1]}, ${last[2]})`;
}

/** Text colour readable on exposureColor(exposure). */
export function exposureTextColor(exposure) {
  return exposure !== null && exposure !== undefined && exposure >= 0.55 ? '#ffffff' : '#1f2937';
}

/** Intensity (about −5..10) → marker colour: de-escalation green, then yellow to dark red. */
export function intensityColor(intensity) {
  if (intensity === null || intensity === undefined) return '#9ca3af';
  if (intensity < 0) return '#15803d';
  const stops = [
    [0, [250, 204, 21]],
    [4, [249, 115, 22]],
    [7, [220, 38, 38]],
    [10, [127, 29, 29]],
  ];
  return interpolateColor(stops, Math.min(10, intensity));
}

/** Marker radius for an intensity: the area grows with the score. */
export function intensityRadius(intensity) {
  const v = Math.min(10, Math.abs(intensity ?? 0));
  return Math.round((5 + 3.4 * Math.sqrt(v)) * 10) / 10;
}

/** An id's type prefix → entity type ("country:CN" → "Country"). */
export function typeFromId(id) {
  const prefix = String(id || '').split(':', 1)[0];
  return { country: 'Country', org: 'Organization', firm: 'Firm', person: 'Person', measure: 'Measure', commodity: 'Commodity', product: 'Product' }[prefix] || null;
}

/** Cypher that shows one node and its neighbours in Neo4j Browser. */
export function neo4jCypher(id) {
  const literal = String(id).replaceAll('\\', '\\\\').replaceAll("'", "\\'");
  return `MATCH (n:Entity {id: '${literal}'}) OPTIONAL MATCH (n)-[r]-(m) RETURN n, r, m LIMIT 100`;
}

export function neo4jBrowserLink(browserUrl, id) {
  if (!browserUrl) return null;
  const url = new URL(browserUrl);
  url.searchParams.set('cmd', 'edit');
  url.searchParams.set('arg', neo4jCypher(id));
  return url.toString();
}

/**
 * Where a quote sits in a document: the span [start, end) when the text there is the quote,
 * else the first place the quote occurs, else the span as given (clamped). Returns the excerpt
 * around it too: {start, end, before, match, after, exact}.
 */
export function locateSpan(text, start, end, quote, radius = 220) {
  const t = String(text || '');
  let s = Math.max(0, Math.min(t.length, start ?? 0));
  let e = Math.max(s, Math.min(t.length, end ?? s));
  let exact = t.slice(s, e) === quote;
  if (!exact && quote) {
    const found = t.indexOf(quote);
    if (found >= 0) {
      s = found;
      e = found + quote.length;
      exact = true;
    }
  }
  let from = Math.max(0, s - radius);
  let to = Math.min(t.length, e + radius);
  // Start and end the excerpt on a line or sentence boundary when one is near.
  const cutBefore = Math.max(t.lastIndexOf('\n', s - 1), t.lastIndexOf('。', s - 1), t.lastIndexOf('. ', s - 1));
  if (cutBefore >= from) from = cutBefore + 1;
  const cutsAfter = [t.indexOf('\n', e), t.indexOf('。', e), t.indexOf('. ', e)].filter((i) => i >= 0 && i <= to);
  if (cutsAfter.length) to = Math.min(...cutsAfter) + 1;
  return {
    start: s, end: e, exact,
    before: (from > 0 ? '…' : '') + t.slice(from, s).replace(/^\s+/, ''),
    match: t.slice(s, e),
    after: t.slice(e, to).replace(/\s+$/, '') + (to < t.length ? '…' : ''),
  };
}

// The attributes sources can disagree on (graph/queries/conflicts.py): dates from lifecycle
// events, values from claims.
export const CONFLICT_FIELD_LABELS = {
  announced: 'Announced',
  effective: 'Effective',
  ended: 'Ended',
  rate: 'Rate',
  previous_rate: 'Previous rate',
  amount: 'Amount',
  unit: 'Unit',
  legal_reference: 'Legal reference',
};

const DATE_FIELDS = new Set(['announced', 'effective', 'ended']);

/** "Rate", or for a date the event sources date differently: "Ended (lifted)". */
export function conflictFieldLabel(field, stage) {
  const label = CONFLICT_FIELD_LABELS[field] || String(field || '').replaceAll('_', ' ');
  // "announced" dates the threatened and the announced event: say which one is disputed.
  return stage && stage !== field ? `${label} (${stageLabel(stage).toLowerCase()})` : label;
}

/** One disputed value as the measure's facts show it: a date, "130%", "1.5 bn USD", a text. */
export function conflictValueText(field, value, unit) {
  if (value === null || value === undefined) return 'none';
  if (DATE_FIELDS.has(field)) return formatDate(String(value));
  if (typeof value === 'number' && ['rate', 'previous_rate', 'amount'].includes(field)) {
    return unit === '%' ? `${formatNumber(value, 2)}%` : `${formatNumber(value, 2)}${unit ? ' ' + unit : ''}`;
  }
  return String(value);
}
