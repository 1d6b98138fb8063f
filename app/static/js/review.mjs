// The review page's logic without the DOM: what each button posts, the reasons offered, labels for
// the API's signals and decisions, and where the token is kept. Unit-tested under node
// (tests/app/browser/unit/review.test.mjs); views/review.mjs draws the page from these.

/** What each duplicate signal means (graph/queries/candidates.py, docs/review.md). */
export const SIGNAL_LABELS = {
  same_name: 'same name',
  name_is_alias: 'a name of one is an alias of the other',
  same_name_but_suffix: 'same name once corporate suffixes are dropped',
  shared_alias: 'an alias in common',
  same_hs_code: 'same HS code',
  same_home_country: 'same home country',
  different_home_country: 'different home countries',
  same_imposer_and_type: 'same imposer and measure type',
  shared_goods: 'goods in common',
  shared_targets: 'targets in common',
  close_dates: 'dates close together',
  same_rate: 'same rate',
};

export const DECISION_LABELS = { merge: 'Merge', distinct: 'Not the same', reject: 'Reject', undo: 'Undo' };

// The API's limits on a decision (app/api/routes/review.py DecisionCreate).
export const MAX_REASON = 2000;
export const MAX_BY = 200;

export function signalLabel(signal) {
  return SIGNAL_LABELS[signal] || String(signal || '').replaceAll('_', ' ');
}

/** "same name (华为)", "dates close together (5 days)": one reason of a candidate pair. */
export function reasonText(reason) {
  return reason.detail ? `${signalLabel(reason.signal)} (${reason.detail})` : signalLabel(reason.signal);
}

/**
 * The reason offered for a pair before the reviewer edits it. It fits either answer (merge or
 * "not the same"), since one field serves the three buttons: it says what was looked at.
 */
export function defaultPairReason(candidate) {
  const why = (candidate.reasons || []).filter((r) => r.weight > 0).map(reasonText);
  return `Compared both entities and their quotes${why.length ? `; proposed for ${why.join(', ')}` : ''}`;
}

export const DEFAULT_REJECT_REASON = 'The quotes do not support this fact';
export const DEFAULT_UNDO_REASON = 'Taken back after another look';

/**
 * The body of POST /v1/review/decisions, or the problem that keeps it from being sent (said to the
 * reviewer before any request): the reason is required and bounded, as the API has it.
 */
export function decisionBody(kind, { subject, into, reason, by } = {}) {
  const why = String(reason ?? '').trim();
  if (!why) return { problem: 'Give a short reason: it is recorded with the decision.' };
  if (why.length > MAX_REASON) return { problem: `The reason is too long (${why.length} characters; at most ${MAX_REASON}).` };
  const who = String(by ?? '').trim();
  if (who.length > MAX_BY) return { problem: `The name is too long (at most ${MAX_BY} characters).` };
  const body = { kind, subject, reason: why };
  if (kind === 'merge' || kind === 'distinct') body.into = into;
  // No name: the API records its default ("reviewer").
  if (who) body.by = who;
  return { body };
}

/** Merge a pair: `keep` ('a' or 'b') is the entity kept, the other is merged into it. */
export function mergeBody(candidate, keep, reason, by) {
  const [kept, gone] = keep === 'a' ? [candidate.a, candidate.b] : [candidate.b, candidate.a];
  return decisionBody('merge', { subject: gone.id, into: kept.id, reason, by });
}

/** "Not the same": the pair is not proposed again; nothing else changes. */
export function distinctBody(candidate, reason, by) {
  return decisionBody('distinct', { subject: candidate.a.id, into: candidate.b.id, reason, by });
}

export function rejectBody(fact, reason, by) {
  return decisionBody('reject', { subject: fact.subject, reason, by });
}

export function undoBody(decision, reason, by) {
  return decisionBody('undo', { subject: decision.id, reason, by });
}

/** A decision in words, with ids: "merge firm:a into firm:b", "reject firm:x|SUPPLIES|y|". */
export function decisionText(decision) {
  switch (decision.kind) {
    case 'merge': return `merge ${decision.subject} into ${decision.into}`;
    case 'distinct': return `${decision.subject} and ${decision.into} are not the same`;
    case 'reject': return `reject ${decision.subject}`;
    case 'undo': return `undo ${decision.subject}`;
    default: return `${decision.kind} ${decision.subject}`;
  }
}

/** What the page says once a decision is recorded (or was already). */
export function recordedText(decision, changed) {
  if (!changed) {
    return 'Nothing changed: this decision was the last one recorded (the same one sent twice).';
  }
  return `Recorded: ${decisionText(decision)}.`;
}

/** The decisions newest first: a reviewer looks for what was just done. */
export function newestFirst(states) {
  return [...(states || [])].sort((p, q) => String(q.decision.at || '').localeCompare(String(p.decision.at || '')) || String(q.decision.id).localeCompare(String(p.decision.id)));
}

// Where the review page keeps the API token and the reviewer's name, in sessionStorage.
export const TOKEN_KEY = 'tradegraph.review.token';
export const NAME_KEY = 'tradegraph.review.by';

/**
 * A value kept for this tab (the API token, the reviewer's name). sessionStorage, never
 * localStorage, cookies or the URL: it is gone when the tab closes and the token never leaves this
 * origin except in the Authorization header. A storage the browser refuses (private modes) keeps
 * it in memory for this page only.
 */
export function sessionValue(key, storage = globalThis.sessionStorage) {
  let memory = '';
  const safe = (fn, fallback) => {
    try {
      return fn();
    } catch {
      return fallback;
    }
  };
  return {
    get: () => (storage ? safe(() => storage.getItem(key) || '', memory) : memory),
    set(value) {
      memory = String(value || '').trim();
      if (storage) safe(() => (memory ? storage.setItem(key, memory) : storage.removeItem(key)));
    },
    clear() {
      memory = '';
      if (storage) safe(() => storage.removeItem(key));
    },
  };
}
