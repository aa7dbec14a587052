// The pop-up menus built on <details> (the account menu in templates/base.html, a flow's
// More menu in templates/editor/flow_list.html) behave like menus for the keyboard: Escape
// closes the open one and puts the keyboard back on its summary, and opening one closes
// the others. A <details> alone stays open on Escape.
(function () {
  'use strict';

  const MENUS = 'details.account, details.row-menu';

  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    const open = Array.from(document.querySelectorAll(MENUS)).filter(function (menu) {
      return menu.open;
    });
    if (!open.length) return;
    const holding = open.find(function (menu) {
      return menu.contains(document.activeElement);
    });
    open.forEach(function (menu) {
      menu.open = false;
    });
    if (holding) {
      holding.querySelector('summary').focus();
      event.stopPropagation();
    }
  });

  document.addEventListener(
    'toggle',
    function (event) {
      const opened = event.target;
      if (!opened.matches || !opened.matches(MENUS) || !opened.open) return;
      document.querySelectorAll(MENUS).forEach(function (menu) {
        if (menu !== opened) menu.open = false;
      });
    },
    true,
  );
})();
