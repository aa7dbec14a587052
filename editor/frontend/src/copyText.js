// Text to the clipboard from a button: the Clipboard API where the page is a secure context,
// else (a self-hosted site on plain http, which has no Clipboard API) the older way, a
// selected text area and the copy command. Rejects when the browser refuses both.
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  document.body.appendChild(area);
  area.select();
  const done = document.execCommand('copy');
  area.remove();
  if (!done) throw new Error('copy refused');
}
