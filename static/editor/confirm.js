// Forms whose POST cannot be undone (revoking an API key, removing a member, leaving a
// team…) carry data-confirm: the browser asks that question first, and Cancel sends nothing.
(function () {
  'use strict';
  document.addEventListener('submit', function (event) {
    const question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
