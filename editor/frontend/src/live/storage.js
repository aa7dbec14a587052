// What survives a reload: the test execution being watched (sessionStorage, per tab and
// flow) and the last trigger form (localStorage, per flow).

function read(storage, key) {
  try {
    return JSON.parse(storage.getItem(key) || 'null');
  } catch (error) {
    return null;
  }
}

function write(storage, key, value) {
  try {
    if (value == null) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(value));
  } catch (error) {
    // Private browsing or a full quota: the panel works, a reload just forgets.
  }
}

const runKey = (flowSid) => `studio.test.run.${flowSid}`;
const formKey = (flowSid) => `studio.test.form.${flowSid}`;
const openKey = (flowSid) => `studio.test.open.${flowSid}`;

/** The SID of the execution the panel watches. */
export const savedRun = (flowSid) => read(window.sessionStorage, runKey(flowSid));
export const saveRun = (flowSid, sid) => write(window.sessionStorage, runKey(flowSid), sid);
/** Whether the test panel was open, so a reload opens it again. */
export const savedOpen = (flowSid) => Boolean(read(window.sessionStorage, openKey(flowSid)));
export const saveOpen = (flowSid, open) => write(window.sessionStorage, openKey(flowSid), open || null);
export const savedForm = (flowSid) => read(window.localStorage, formKey(flowSid));
export const saveForm = (flowSid, value) => write(window.localStorage, formKey(flowSid), value);

/** `?execution=FN…` on the page URL: the executions page's "Show on canvas". */
export function executionInUrl() {
  const sid = new URLSearchParams(window.location.search).get('execution');
  return sid && /^FN[0-9a-f]{32}$/.test(sid) ? sid : null;
}

/** Forgets `?execution=` once the tester starts a run of their own, so a reload shows theirs. */
export function dropExecutionFromUrl() {
  const url = new URL(window.location.href);
  if (!url.searchParams.has('execution')) return;
  url.searchParams.delete('execution');
  window.history.replaceState(window.history.state, '', url);
}
