import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiPath, parseState, readableCall, sameState, stateToQuery } from '../../../../app/static/js/state.mjs';

test('the query string holds the whole state, and round-trips', () => {
  const state = parseState('?view=dependents&commodity=稀土&origin=中国&depth=3');
  assert.deepEqual(state, { view: 'dependents', commodity: '稀土', origin: '中国', depth: '3' });
  assert.deepEqual(parseState(stateToQuery(state)), state);
  assert.equal(stateToQuery({ view: 'entity', id: 'country:CN' }), '?view=entity&id=country:CN');
  assert.equal(stateToQuery({ view: 'home' }), '');
  assert.ok(sameState({ view: 'escalation', b: 'CN', a: 'US' }, { view: 'escalation', a: 'US', b: 'CN' }));
});

test('bad or foreign parameters are dropped, unknown views fall back to home', () => {
  assert.deepEqual(parseState('?view=escalation&a=US&b=CN&since=yesterday&evil=1'), { view: 'escalation', a: 'US', b: 'CN' });
  assert.deepEqual(parseState('?view=measure&id=%20&depth=9x'), { view: 'measure' });
  assert.deepEqual(parseState('?view=nope'), { view: 'home', unknownView: 'nope' });
  assert.deepEqual(parseState(''), { view: 'home' });
});

test('an escalation page is part of the state; offsets and limits are whole numbers', () => {
  const state = parseState('?view=escalation&a=US&b=CN&offset=200&limit=50');
  assert.deepEqual(state, { view: 'escalation', a: 'US', b: 'CN', offset: '200', limit: '50' });
  assert.equal(stateToQuery(state), '?view=escalation&a=US&b=CN&offset=200&limit=50');
  assert.deepEqual(parseState('?view=escalation&a=US&b=CN&offset=-1&limit=1e3'), { view: 'escalation', a: 'US', b: 'CN' });
});

test('API paths are relative to the page and readable', () => {
  const path = apiPath('v1/dependents', { commodity: '稀土', origin: 'country:CN', max_depth: undefined });
  assert.ok(path.startsWith('v1/dependents?commodity='));
  assert.ok(!path.startsWith('/'));
  assert.equal(readableCall(path), '/v1/dependents?commodity=稀土&origin=country:CN');
  assert.equal(readableCall('v1/entities/%E4%B8%AD%E6%96%B9'), '/v1/entities/中方');
});

test('the day a view shows (as_of) is part of its state on the dated views only, and must be a date', () => {
  const state = parseState('?view=escalation&a=US&b=CN&as_of=2025-10-24');
  assert.deepEqual(state, { view: 'escalation', a: 'US', b: 'CN', as_of: '2025-10-24' });
  assert.equal(stateToQuery(state), '?view=escalation&a=US&b=CN&as_of=2025-10-24');
  assert.deepEqual(parseState('?view=measure&as_of=2025-10-15'), { view: 'measure', as_of: '2025-10-15' });
  assert.deepEqual(parseState('?view=dependents&commodity=稀土&as_of=2025-10-15').as_of, '2025-10-15');
  assert.deepEqual(parseState('?view=escalation&a=US&b=CN&as_of=yesterday'), { view: 'escalation', a: 'US', b: 'CN' });
  assert.deepEqual(parseState('?view=entity&id=CN&as_of=2025-10-15'), { view: 'entity', id: 'CN' });
  assert.equal(stateToQuery({ view: 'entity', id: 'country:CN', as_of: '2025-10-15' }), '?view=entity&id=country:CN');
});

test('the review view keeps its threshold in the URL, and never a token', () => {
  assert.deepEqual(parseState('?view=review&threshold=0.75'), { view: 'review', threshold: '0.75' });
  assert.equal(stateToQuery({ view: 'review', threshold: '0.5', token: 's3cret' }), '?view=review&threshold=0.5');
  assert.deepEqual(parseState('?view=review&token=s3cret&threshold=2'), { view: 'review' });
  assert.deepEqual(parseState('?view=review&threshold=1'), { view: 'review', threshold: '1' });
  assert.deepEqual(parseState('?view=review&threshold=-0.1'), { view: 'review' });
});
