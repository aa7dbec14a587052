// A secret shown once (an API key's secret, an invitation link: templates/teams/) gets a
// Copy button under it. Without JavaScript the text is still selected whole by one click
// (.copyable's user-select: all). Where the clipboard is refused (plain http on a host
// other than localhost) the text is selected and the button says to press Ctrl+C.
(function () {
  'use strict';

  function select(element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function addButton(secret) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button-small copy-button';
    button.textContent = 'Copy';
    button.setAttribute('aria-live', 'polite');
    button.addEventListener('click', function () {
      const text = secret.textContent.trim();
      const copied = navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject();
      copied.then(
        function () {
          button.textContent = 'Copied';
        },
        function () {
          select(secret);
          button.textContent = 'Selected: press Ctrl+C';
        },
      );
    });
    secret.insertAdjacentElement('afterend', button);
  }

  document.querySelectorAll('code.copyable.secret').forEach(addButton);
})();
