// Talking to the editor API: session cookie auth, CSRF header on every POST, JSON bodies.
// Errors come back as {code, message, status, details}; they are thrown as ApiError, whose
// message is the server's own or, when the answer has none (a proxy, a CSRF refusal, the
// size limit), says what happened and what to do in words.

const STATUS_MESSAGES = {
  0: 'The server could not be reached. Check your connection, then try again.',
  401: 'You are signed out. Sign in again in another tab, then try again here.',
  403: 'The server refused this: you may have been signed out or lost edit access. Reload the page.',
  404: 'Not found: the flow may have been deleted, or you no longer have access to it.',
  413: 'This is larger than the server accepts in one request.',
  429: 'The server is busy with too many requests. Wait a moment, then try again.',
};

export function readableError(status, body) {
  if (body && typeof body.message === 'string' && body.message) return body.message;
  if (STATUS_MESSAGES[status]) return STATUS_MESSAGES[status];
  if (status >= 500) return `The server failed (error ${status}). Try again; if it keeps failing, tell your administrator.`;
  return `The server refused the request (error ${status}).`;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(readableError(status, body));
    this.status = status;
    this.body = body || {};
  }
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : '';
}

async function request(method, url, data) {
  const options = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (method !== 'GET') {
    options.headers['Content-Type'] = 'application/json';
    options.headers['X-CSRFToken'] = csrfToken();
    options.body = JSON.stringify(data ?? {});
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch (error) {
    throw new ApiError(0, null);
  }
  let body = null;
  try {
    body = await response.json();
  } catch (error) {
    body = null;
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export const getJson = (url) => request('GET', url);
export const postJson = (url, data) => request('POST', url, data);
export const deleteJson = (url) => request('DELETE', url);

export function flowUrls(documentUrl) {
  return {
    document: documentUrl,
    edits: documentUrl + '/edits',
    publish: documentUrl + '/publish',
    lint: documentUrl + '/lint',
    save: documentUrl + '/save',
    import: documentUrl + '/import',
    settings: documentUrl + '/settings',
    revisions: documentUrl + '/revisions',
    diff: (from, to) => `${documentUrl}/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    revision: (n) => `${documentUrl}/revisions/${n}`,
    restore: (n) => `${documentUrl}/revisions/${n}/restore`,
    tests: documentUrl + '/tests',
    test: (id) => `${documentUrl}/tests/${id}`,
    testsRun: documentUrl + '/tests/run',
    testsPolicy: documentUrl + '/tests/policy',
    testsFromExecution: documentUrl + '/tests/from-execution',
    replay: documentUrl + '/replay',
  };
}
