// Nothing typed is lost. Served from static (no inline scripts, for the CSP).
//
// Every form that takes typing (a POST form with a text field, or one marked
// data-dirty-guard) is guarded: leaving the page with unsaved input asks
// first (the browser's beforeunload prompt; an in-page confirm for the racer
// switcher and htmx navigation). Better than asking, what is typed is kept as
// a draft in localStorage, per racer and per form, restored when the form is
// shown again and cleared once it is saved. A save the server refuses (409:
// the page's racer is not the active one) keeps the draft for that racer.
(function () {
  "use strict";

  var PREFIX = "apex:draft:";
  var PENDING = "apex:draft-pending";  // sessionStorage: the draft of the form being sent
  var MAX_AGE_MS = 30 * 24 * 3600 * 1000;
  var NOT_TYPED = ["submit", "button", "reset", "image", "file", "password"];

  function store(kind) {
    try { return window[kind]; } catch (e) { return null; }  // storage off: the guard still works
  }
  var local = store("localStorage");
  var session = store("sessionStorage");

  function racer() { return document.body.getAttribute("data-racer") || ""; }

  function isTyping(el) {
    var type = (el.type || "").toLowerCase();
    return el.tagName === "TEXTAREA" ||
      (el.tagName === "INPUT" && NOT_TYPED.indexOf(type) < 0 && ["hidden", "checkbox", "radio"].indexOf(type) < 0);
  }

  function isGuarded(form) {
    if (!form || form.tagName !== "FORM" || form.hasAttribute("data-no-guard")) { return false; }
    if (form.querySelector("input[type=password]")) { return false; }  // log in, sign up: nothing to keep
    if (form.hasAttribute("data-dirty-guard")) { return true; }
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post" && !form.hasAttribute("hx-post") && !form.hasAttribute("data-hx-post")) { return false; }
    return Array.prototype.some.call(form.elements, isTyping);
  }

  function guardedForms(root) {
    var forms = Array.prototype.slice.call((root || document).querySelectorAll("form"));
    if (root && root.tagName === "FORM") { forms.unshift(root); }
    return forms.filter(isGuarded);
  }

  // The fields a draft keeps: what a person fills in, never a password or a
  // file; hidden ones only when the form names them (data-draft-hidden).
  function draftFields(form) {
    var hidden = (form.getAttribute("data-draft-hidden") || "").split(/\s+/);
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || NOT_TYPED.indexOf((el.type || "").toLowerCase()) >= 0) { return false; }
      if ((el.type || "").toLowerCase() === "hidden") { return hidden.indexOf(el.name) >= 0; }
      return ["INPUT", "TEXTAREA", "SELECT"].indexOf(el.tagName) >= 0;
    });
  }

  function changed(el) {
    if (el.type === "checkbox" || el.type === "radio") { return el.checked !== el.defaultChecked; }
    if (el.tagName === "SELECT") {
      return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return el.value !== el.defaultValue;
  }

  function hasErrors(form) {
    return form.querySelector(".errorlist li, .has-error, [aria-invalid=true]") !== null;
  }

  // Unsaved: typed since the page showed it, or sent back by the server with errors.
  function isDirty(form) {
    if (form.dataset.draftSending === "1" || form.closest("fieldset[disabled]")) { return false; }
    return form.dataset.draftUnsaved === "1" || draftFields(form).some(changed);
  }

  function dirtyForms() { return guardedForms().filter(isDirty); }

  function formKey(form, racerId) {
    var action = new URL(form.getAttribute("action") || window.location.pathname, window.location.href);
    return PREFIX + racerId + ":" + action.pathname + (form.id ? "#" + form.id : "");
  }

  function snapshot(form) {
    return draftFields(form).map(function (el) {
      if (el.type === "checkbox" || el.type === "radio") { return [el.name, el.value, el.checked]; }
      if (el.tagName === "SELECT" && el.multiple) {
        return [el.name, Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; }), true];
      }
      return [el.name, el.value, true];
    });
  }

  function save(form) {
    if (!local || !racer()) { return; }
    var key = formKey(form, racer());
    try {
      if (isDirty(form)) {
        local.setItem(key, JSON.stringify({ at: Date.now(), fields: snapshot(form) }));
      } else {
        local.removeItem(key);
      }
    } catch (e) { /* storage full or off: the beforeunload guard still asks */ }
  }

  function read(key) {
    try { return JSON.parse(local.getItem(key) || "null"); } catch (e) { return null; }
  }

  function apply(form, fields) {
    var byName = {};
    fields.forEach(function (f) { (byName[f[0]] = byName[f[0]] || []).push(f); });
    draftFields(form).forEach(function (el) {
      var saved = byName[el.name];
      if (!saved) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        var match = saved.filter(function (f) { return f[1] === el.value; })[0];
        if (match) { el.checked = match[2]; }
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = saved[0][1].indexOf(o.value) >= 0; });
      } else {
        el.value = saved.shift()[1];
      }
    });
  }

  function noteRestored(form, key) {
    var note = document.createElement("div");
    note.className = "draft-note";
    note.setAttribute("role", "status");
    note.setAttribute("data-draft-note", "");
    var text = document.createElement("p");
    text.textContent = "Restored what you typed here before. It is not saved yet.";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "secondary";
    discard.textContent = "Discard draft";
    discard.addEventListener("click", function () {
      form.reset();
      delete form.dataset.draftUnsaved;
      try { local.removeItem(key); } catch (e) { /* nothing kept */ }
      note.remove();
    });
    note.appendChild(text);
    note.appendChild(discard);
    form.insertBefore(note, form.firstChild);
  }

  function restore(form) {
    if (!local || !racer() || form.closest("fieldset[disabled]") || form.querySelector("[data-draft-note]")) { return; }
    var key = formKey(form, racer());
    var draft = read(key);
    if (!draft || !Array.isArray(draft.fields)) { return; }
    apply(form, draft.fields);
    if (isDirty(form)) { noteRestored(form, key); } else { local.removeItem(key); }
  }

  // A form the server sent back with errors holds what was typed: keep it as a draft.
  function setUp(root) {
    guardedForms(root).forEach(function (form) {
      if (hasErrors(form)) {
        form.dataset.draftUnsaved = "1";
        save(form);
      } else {
        restore(form);
      }
    });
  }

  function prune() {
    if (!local) { return; }
    try {
      for (var i = local.length - 1; i >= 0; i--) {
        var key = local.key(i);
        if (key && key.indexOf(PREFIX) === 0) {
          var draft = read(key);
          if (!draft || Date.now() - draft.at > MAX_AGE_MS) { local.removeItem(key); }
        }
      }
    } catch (e) { /* storage off */ }
  }

  // The page after a send: a refusal (the racer is not the active one) keeps
  // the draft for the racer it was typed for; anything else was saved, or came
  // back with errors (setUp keeps those).
  function settlePending() {
    if (!session || !local) { return; }
    var pending = null;
    try { pending = JSON.parse(session.getItem(PENDING) || "null"); session.removeItem(PENDING); } catch (e) { return; }
    if (pending && document.querySelector("[data-not-saved], .message.not-saved")) {
      try { local.setItem(pending.key, JSON.stringify(pending.draft)); } catch (e) { /* storage full */ }
    }
  }

  function keepPending(form) {
    if (!session || !local || !racer()) { return; }
    var key = formKey(form, racer());
    try {
      session.setItem(PENDING, JSON.stringify({ key: key, draft: { at: Date.now(), fields: snapshot(form) } }));
      local.removeItem(key);
    } catch (e) { /* storage off */ }
  }

  function putBackPending() {
    if (!session || !local) { return; }
    try {
      var pending = JSON.parse(session.getItem(PENDING) || "null");
      session.removeItem(PENDING);
      if (pending) { local.setItem(pending.key, JSON.stringify(pending.draft)); }
    } catch (e) { /* storage off */ }
  }

  document.addEventListener("input", function (event) {
    var form = event.target.form || (event.target.closest && event.target.closest("form"));
    if (isGuarded(form)) { save(form); }
  });
  document.addEventListener("change", function (event) {
    var form = event.target.form || (event.target.closest && event.target.closest("form"));
    if (isGuarded(form)) { save(form); }
  });

  // Sending: the draft waits in sessionStorage until the answer says what became of it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!isGuarded(form)) { return; }
    keepPending(form);
    form.dataset.draftSending = "1";
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || form.tagName !== "FORM" || form.dataset.draftSending !== "1") { return; }
    var xhr = event.detail.xhr;
    var leaving = xhr && xhr.getResponseHeader && xhr.getResponseHeader("HX-Redirect");
    if (event.detail.successful && !leaving) {
      try { session.removeItem(PENDING); } catch (e) { /* storage off */ }
      delete form.dataset.draftSending;
    } else {
      putBackPending();  // refused or not sent: the typing stays, in the form and as a draft
      if (!leaving) { delete form.dataset.draftSending; }
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt;
    if (form && form.dataset && form.dataset.draftSending === "1") { putBackPending(); delete form.dataset.draftSending; }
  });
  // New content (a swapped-in form): its errors kept, else its draft restored.
  document.addEventListener("htmx:load", function (event) { setUp(event.detail.elt); });

  // Leaving with unsaved input asks first.
  var leaving = false;
  window.addEventListener("beforeunload", function (event) {
    if (!leaving && dirtyForms().length > 0) { event.preventDefault(); event.returnValue = ""; }
  });

  function confirmLeaving(switching) {
    var dirty = dirtyForms();
    if (dirty.length === 0) { return true; }
    var kept = racer() && local
      ? " What you typed is kept as a draft for this racer and comes back when you return."
      : " What you typed will be lost.";
    var question = (switching ? "Switch racer? " : "Leave this page? ") + "You have unsaved input here." + kept;
    if (!window.confirm(question)) { return false; }
    dirty.forEach(save);
    leaving = true;
    return true;
  }

  // The racer switcher (plain form or htmx) and htmx navigation ask in the page.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-switch-form]") && !form.hasAttribute("hx-post") && !form.hasAttribute("data-hx-post") &&
        !confirmLeaving(true)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.closest) { return; }
    var own = elt.closest("form");
    if (own && isGuarded(own) && isDirty(own)) { return; }  // sending the form itself
    var switching = elt.closest("form[data-switch-form]") !== null;
    var navigating = switching || elt.closest("[hx-push-url=true], [hx-boost=true], [data-hx-push-url=true], [data-hx-boost=true]") !== null;
    var target = event.detail.target;
    // A swap that replaces a dirty form loses nothing when a draft brings it back.
    var replacing = target && dirtyForms().some(function (f) { return target.contains(f); }) && !(racer() && local);
    if ((navigating || replacing) && !confirmLeaving(switching)) { event.preventDefault(); }
  });

  settlePending();
  prune();
  setUp(document);
})();
