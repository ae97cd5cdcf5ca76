// Apex's small helpers. Served from static (no inline scripts, for the CSP).
(function () {
  "use strict";

  // Unsaved input and drafts: static/js/drafts.js.

  // Escape closes the racer switcher and returns focus to it. With the
  // switcher closed, Escape on a confirmation page (role=alertdialog) cancels
  // it: it follows the dialog's cancel link (data-dialog-cancel, or the
  // autofocused link, which every confirm page makes its Cancel).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelectorAll("details[data-switcher][open]");
    open.forEach(function (details) {
      details.open = false;
      var summary = details.querySelector("summary");
      if (summary) { summary.focus(); }
    });
    if (open.length > 0 || event.defaultPrevented) { return; }
    var dialog = document.querySelector("[role=alertdialog]");
    var cancel = dialog && dialog.querySelector("[data-dialog-cancel], a[autofocus]");
    if (cancel) { cancel.click(); }
  });

  // Buttons with data-confirm ask before a destructive action (htmx or plain).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); event.stopImmediatePropagation(); }
  }, true);

  // Keep the switcher open after an htmx swap replaced it (star / new racer).
  // The swap is outerHTML: event.detail.target is the old, detached panel and
  // the event fires on its replacement. The replacement arrives closed, so
  // htmx cannot put focus back inside it: the pressed control (by id) gets it
  // here, else the new-racer name field.
  var switcherFocusId = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.matches && target.matches("details[data-switcher]")) {
      var active = document.activeElement;
      switcherFocusId = active && active.id && target.contains(active) ? active.id : null;
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var details = event.target;
    if (details && details.matches && details.matches("details[data-switcher]")) {
      details.open = true;
      var again = switcherFocusId && document.getElementById(switcherFocusId);
      var input = details.querySelector("input[name=name]");
      if (again) { again.focus(); } else if (input && document.activeElement === document.body) { input.focus(); }
    }
  });
})();
