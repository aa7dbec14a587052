// Talking to the editor API: session cookie auth, CSRF header on every POST, JSON bodies.
// Errors come back as {code, message, status, details}; they are thrown as ApiError.

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `The server answered ${status}`);
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
    throw new ApiError(0, { message: 'The server could not be reached' });
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

export function flowUrls(documentUrl) {
  return {
    document: documentUrl,
    edits: documentUrl + '/edits',
    publish: documentUrl + '/publish',
    save: documentUrl + '/save',
    import: documentUrl + '/import',
    settings: documentUrl + '/settings',
    revisions: documentUrl + '/revisions',
    revision: (n) => `${documentUrl}/revisions/${n}`,
    restore: (n) => `${documentUrl}/revisions/${n}/restore`,
  };
}
