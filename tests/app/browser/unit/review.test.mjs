// The review page's logic (app/static/js/review.mjs): what each decision button posts, when the
// page refuses to send, and where the token is kept. Run by `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decisionBody, defaultPairReason, distinctBody, mergeBody, newestFirst, reasonText, recordedText, rejectBody, sessionValue, undoBody, MAX_REASON,
} from '../../../../app/static/js/review.mjs';

const pair = {
  type: 'Firm',
  a: { id: 'firm:huawei', type: 'Firm', name: 'Huawei' },
  b: { id: 'firm:huawei-technologies', type: 'Firm', name: 'Huawei Technologies Co., Ltd.' },
  score: 0.84,
  reasons: [
    { signal: 'name_is_alias', weight: 0.8, detail: '华为' },
    { signal: 'same_home_country', weight: 0.2, detail: 'country:CN' },
    { signal: 'different_home_country', weight: -0.5, detail: 'x' },
  ],
};

test('merge keeps the side asked for and merges the other into it', () => {
  assert.deepEqual(mergeBody(pair, 'a', ' same firm ', 'ana').body, { kind: 'merge', subject: 'firm:huawei-technologies', into: 'firm:huawei', reason: 'same firm', by: 'ana' });
  assert.deepEqual(mergeBody(pair, 'b', 'same firm', '').body, { kind: 'merge', subject: 'firm:huawei', into: 'firm:huawei-technologies', reason: 'same firm' });
  assert.deepEqual(distinctBody(pair, 'two firms').body, { kind: 'distinct', subject: 'firm:huawei', into: 'firm:huawei-technologies', reason: 'two firms' });
});

test('reject names the fact, undo the decision; neither names another entity', () => {
  const fact = { kind: 'relation', subject: 'firm:boeing|SUPPLIES|commodity:aircraft-parts|' };
  assert.deepEqual(rejectBody(fact, 'rumour').body, { kind: 'reject', subject: fact.subject, reason: 'rumour' });
  assert.deepEqual(undoBody({ id: 'decision:0123456789abcdef', kind: 'reject' }, 'wrong').body, { kind: 'undo', subject: 'decision:0123456789abcdef', reason: 'wrong' });
  assert.equal('into' in decisionBody('reject', { subject: 'x:y', into: 'x:z', reason: 'r' }).body, false);
});

test('no reason, or one the API would refuse, is said before anything is sent', () => {
  for (const reason of ['', '   ', undefined, null]) {
    const { body, problem } = rejectBody({ subject: 'firm:x' }, reason);
    assert.equal(body, undefined);
    assert.match(problem, /reason/);
  }
  assert.match(rejectBody({ subject: 'firm:x' }, 'x'.repeat(MAX_REASON + 1)).problem, /too long/);
  assert.ok(rejectBody({ subject: 'firm:x' }, 'x'.repeat(MAX_REASON)).body);
  assert.match(rejectBody({ subject: 'firm:x' }, 'ok', 'n'.repeat(201)).problem, /name is too long/);
});

test('the reason offered fits either answer and names the positive signals only', () => {
  const reason = defaultPairReason(pair);
  assert.match(reason, /^Compared both entities and their quotes/);
  assert.ok(reason.includes('a name of one is an alias of the other (华为)') && reason.includes('same home country (country:CN)'));
  assert.ok(!reason.includes('different home'));
  assert.equal(defaultPairReason({ ...pair, reasons: [] }), 'Compared both entities and their quotes');
  assert.equal(reasonText({ signal: 'a_new_signal', weight: 0.1 }), 'a new signal');
});

test('the page says what was recorded, and when nothing changed why', () => {
  assert.equal(recordedText({ kind: 'merge', subject: 'firm:b', into: 'firm:a' }, true), 'Recorded: merge firm:b into firm:a.');
  assert.match(recordedText({ kind: 'reject', subject: 'firm:b' }, false), /^Nothing changed/);
});

test('decisions are listed newest first', () => {
  const states = [
    { decision: { id: 'decision:1', at: '2025-10-01T10:00:00Z' } },
    { decision: { id: 'decision:3', at: '2025-10-03T10:00:00Z' } },
    { decision: { id: 'decision:2', at: '2025-10-02T10:00:00Z' } },
  ];
  assert.deepEqual(newestFirst(states).map((s) => s.decision.id), ['decision:3', 'decision:2', 'decision:1']);
  assert.equal(states[0].decision.id, 'decision:1', 'the answer is not reordered in place');
});

test('the token is kept in the storage given (sessionStorage in the page), trimmed, and forgotten', () => {
  const data = new Map();
  const storage = { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => data.set(k, v), removeItem: (k) => data.delete(k) };
  const token = sessionValue('t', storage);
  assert.equal(token.get(), '');
  token.set('  s3cret ');
  assert.equal(data.get('t'), 's3cret');
  assert.equal(sessionValue('t', storage).get(), 's3cret', 'another page of the tab reads it');
  token.set('');
  assert.equal(data.has('t'), false, 'an empty token is no token');
  token.set('s3cret');
  token.clear();
  assert.equal(data.has('t'), false);
  // A storage the browser refuses: the value lives in memory for this page only.
  const refusing = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('denied'); }, removeItem() { throw new Error('denied'); } };
  const kept = sessionValue('t', refusing);
  kept.set('s3cret');
  assert.equal(kept.get(), 's3cret');
});
