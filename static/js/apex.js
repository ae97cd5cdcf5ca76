// Apex's small helpers. Served from static (no inline scripts, for the CSP).
(function () {
  "use strict";

  // Unsaved input and drafts: static/js/drafts.js.

  // The header's panels (the racer switcher and, on phones, the Menu) are
  // <details>: they work without JavaScript; with it they also close on an
  // outside click, and on Escape with focus back on their summary. With no
  // panel open, Escape on a confirmation page (role=alertdialog) cancels it:
  // it follows the dialog's cancel link (data-dialog-cancel, or the
  // autofocused link, which every confirm page makes its Cancel).
  var PANELS = "details[data-switcher][open], details.menu[open]";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelectorAll(PANELS);
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
  document.addEventListener("click", function (event) {
    document.querySelectorAll(PANELS).forEach(function (details) {
      if (event.target instanceof Node && !details.contains(event.target)) { details.open = false; }
    });
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

  // Focus after an htmx swap. When the swap replaced the focused element,
  // focus would drop to the body: it goes to the first invalid field the
  // answer brings, else to the counterpart of what was pressed (same form,
  // same name and value, e.g. a change's status button), else to the
  // swapped-in region's heading. Focus that survived the swap (a search box
  // outside its results) stays where it is. What happened is announced in a
  // polite live region that is on the page before anything changes (no
  // role=status: the page's messages are its one status region).
  var announcer = null;
  function announce(text) {
    if (!text) { return; }
    if (!announcer) {
      announcer = document.createElement("div");
      announcer.id = "announcer";
      announcer.className = "visually-hidden";
      announcer.setAttribute("aria-live", "polite");
      document.body.appendChild(announcer);
    }
    // Cleared first, so the same words twice are announced twice.
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }
  document.addEventListener("DOMContentLoaded", function () { announce(" "); });

  function formKey(element) {
    var form = element.form || (element.closest && element.closest("form"));
    if (!form) { return null; }
    return form.id || form.getAttribute("action") || form.getAttribute("hx-post") || form.getAttribute("data-hx-post");
  }
  function words(element) { return (element.textContent || "").replace(/\s+/g, " ").trim(); }

  var pending = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement;
    var target = event.detail.target;
    pending = {
      xhr: event.detail.xhr,
      targetId: target && target.id,
      target: target,
      active: active && active !== document.body ? active : null,
      form: active ? formKey(active) : null,
      tag: active ? active.tagName : null,
      name: active ? active.getAttribute("name") : null,
      value: active ? active.getAttribute("value") : null,
      text: active ? words(active) : null,
    };
  });

  // In the swapped region first; a control of a named form may also have come out of band.
  function counterpart(before, region) {
    return counterpartIn(before, region) || (before.form ? counterpartIn(before, document) : null);
  }
  function counterpartIn(before, scope) {
    if (!before.active) { return null; }
    var candidates = scope.querySelectorAll(before.tag.toLowerCase());
    for (var i = 0; i < candidates.length; i += 1) {
      var el = candidates[i];
      if (formKey(el) !== before.form) { continue; }
      if (before.name ? el.getAttribute("name") === before.name && el.getAttribute("value") === before.value
                      : words(el) === before.text) { return el; }
    }
    return null;
  }
  function focusRegion(region) {
    var spot = region.querySelector("h1, h2, h3, [role=heading]") || region;
    if (!spot.hasAttribute("tabindex")) { spot.setAttribute("tabindex", "-1"); }
    spot.focus();
    return spot;
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var before = pending;
    if (!before || before.xhr !== event.detail.xhr) { return; }
    pending = null;
    var region = (before.targetId && document.getElementById(before.targetId)) || event.target;
    if (!(region instanceof Element) || !document.body.contains(region)) { return; }
    var invalid = region.querySelector("[aria-invalid=true], .has-error input, .has-error select, .has-error textarea");
    var active = document.activeElement;
    // htmx itself puts focus back on an element with the same id; this is for the rest.
    var lost = !active || active === document.body || !document.body.contains(active);
    if (invalid) {
      var errors = region.querySelectorAll(".has-error").length || region.querySelectorAll("[aria-invalid=true]").length;
      if (lost || region.contains(active)) { invalid.focus(); }
      var message = region.querySelector(".errorlist");
      announce("Not saved: " + (message ? words(message) : "check the marked fields") +
        (errors > 1 ? " (" + errors + " fields)" : ""));
      return;
    }
    var focused = active;
    if (lost) {
      focused = counterpart(before, region) || focusRegion(region);
      focused.focus();
    }
    // A status set with one tap: "Status of Ride height: Kept".
    var group = focused && focused.closest && focused.closest("[role=group][aria-label]");
    if (lost && group && focused.getAttribute("aria-pressed") === "true") {
      announce(group.getAttribute("aria-label") + ": " + words(focused));
      return;
    }
    var status = region.querySelector("[role=status], .message");
    if (status) { announce(words(status)); return; }
    // Results swapped in whole: a new live region is not announced by every
    // screen reader, so its count line (data-announce) is said here.
    var summary = region.querySelector("[data-announce]");
    if (summary) { announce(words(summary)); return; }
    // A write that came back without errors: say it was saved, and where.
    var config = event.detail.requestConfig;
    if (config && config.verb && config.verb.toLowerCase() === "post") {
      var heading = region.querySelector("h1, h2, h3");
      announce("Saved" + (heading ? ": " + words(heading) : "."));
    }
  });
})();
