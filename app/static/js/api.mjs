// Same-origin calls to the API. Errors come back as RFC 9457 problem details; they become ApiError.
import { apiPath } from './state.mjs';

export class ApiError extends Error {
  constructor(status, problem, path) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.path = path;
  }
}

const cache = new Map();

/** GET a JSON answer from this server. `path` is relative ("v1/search?q=..."). */
export async function getJson(path, { signal, cached = false } = {}) {
  if (cached && cache.has(path)) return cache.get(path);
  let response;
  try {
    response = await fetch(new URL(path, document.baseURI), { headers: { Accept: 'application/json' }, signal, credentials: 'same-origin' });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, { title: 'No answer', detail: `the API did not answer (${error.message})` }, path);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) throw new ApiError(response.status, body, path);
  if (cached) cache.set(path, body);
  return body;
}

/**
 * POST a JSON body to this server with a bearer token (the writes: review decisions). The token
 * goes in the Authorization header only, never in the URL, so it stays out of logs and history.
 * Answers that are not 2xx become ApiError like a GET's.
 */
export async function postJson(path, body, { token, signal } = {}) {
  const headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(new URL(path, document.baseURI), {
      method: 'POST', headers, body: JSON.stringify(body), signal, credentials: 'same-origin', cache: 'no-store',
    });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, { title: 'No answer', detail: `the API did not answer (${error.message})` }, path);
  }
  let answer = null;
  try {
    answer = await response.json();
  } catch {
    answer = null;
  }
  if (!response.ok) throw new ApiError(response.status, answer, path);
  return answer;
}

export const call = (endpoint, params, options) => {
  const path = apiPath(endpoint, params);
  return { path, promise: getJson(path, options) };
};

/** A path segment for an id or name ("country:CN" stays readable). */
export const seg = (value) => encodeURIComponent(value).replaceAll('%3A', ':');

let configPromise = null;
export function explorerConfig() {
  configPromise ??= getJson('explorer/config').catch(() => ({ backend: null, neo4j_browser_url: null, writes_enabled: false }));
  return configPromise;
}
