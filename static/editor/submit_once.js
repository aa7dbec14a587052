// A form marked data-submit-once (creating an API key, making an invitation link) is sent
// once. The server already refuses a second submit of it (editor/form_tokens.py), but the
// browser would show the refusal in place of the first answer, the only page that shows
// the new secret; so a second click while the first POST is on its way sends nothing.
(function () {
  'use strict';
  document.addEventListener('submit', function (event) {
    const form = event.target;
    if (event.defaultPrevented || !form.matches('form[data-submit-once]')) {
      return;
    }
    if (form.dataset.submitted) {
      event.preventDefault();
    } else {
      form.dataset.submitted = 'true';
    }
  });
})();
