// The import page: a file or pasted JSON over the request size limit is refused here, before
// it is uploaded, with the limit the server enforces (the file input's data-max-bytes).
(function () {
  'use strict';
  const file = document.querySelector('input[type="file"][data-max-bytes]');
  if (!file) return;
  const limit = Number(file.dataset.maxBytes);
  const label = file.dataset.maxLabel;
  const text = file.form.querySelector('textarea[name="text"]');

  function megabytes(size) {
    return (size / (1024 * 1024)).toFixed(1) + ' MB';
  }

  // The message names the fix: a Studio flow's JSON is far smaller than the limit, so a file
  // over it is almost always the wrong file.
  function check(input, size, what, fix) {
    input.setCustomValidity(
      size > limit ? `${what} ${megabytes(size)}; the limit is ${label}. ${fix}` : ''
    );
  }

  file.addEventListener('change', function () {
    check(file, file.files.length ? file.files[0].size : 0, 'This file is',
      "Choose the flow's JSON export: Studio flows are far smaller.");
    file.reportValidity();
  });
  if (text) {
    text.addEventListener('change', function () {
      check(text, new Blob([text.value]).size, 'The pasted JSON is',
        "Paste only the flow's JSON export: Studio flows are far smaller.");
    });
  }
})();
