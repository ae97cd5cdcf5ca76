// The race day at the track: the parameter picker and −/+ steppers, the
// service worker, and the offline queue. Served from static (strict CSP).
// Without JavaScript every form still posts and the server fills the old value.
(function () {
  "use strict";

  // --- picker and steppers ----------------------------------------------------
  function changeForm() { return document.getElementById("add-change"); }

  function chosenOption(form) {
    var select = form.querySelector("[data-parameter-picker]");
    return select && select.selectedIndex > 0 ? select.options[select.selectedIndex] : null;
  }

  // The day's current value of a parameter, from "The day's setup" on the page
  // (it is swapped in after every status tap, so it is always the car as it is).
  function currentValue(field) {
    var cell = document.querySelector('#day-setup [data-param="' + field + '"]');
    return cell ? cell.getAttribute("data-value") : "";
  }

  function decimals(text) {
    var dot = String(text).indexOf(".");
    return dot < 0 ? 0 : String(text).length - dot - 1;
  }

  function showSteppers(form) {
    var option = chosenOption(form);
    var steppers = form.querySelector("[data-steppers]");
    if (!steppers) { return; }
    var step = option && option.getAttribute("data-step");
    steppers.hidden = !step;
    var size = steppers.querySelector("[data-step-size]");
    if (size && step) {
      var unit = option.getAttribute("data-unit");
      size.textContent = "Each tap: " + step + (unit ? " " + unit : "");
    }
  }

  function pickParameter(form) {
    var option = chosenOption(form);
    var old = form.querySelector("[name=old_value]");
    var fresh = form.querySelector("[data-new-value]");
    if (option && old) { old.value = currentValue(option.value); }
    if (fresh) { fresh.placeholder = old && old.value ? old.value : ""; }
    showSteppers(form);
  }

  function stepBy(form, direction) {
    var option = chosenOption(form);
    var input = form.querySelector("[data-new-value]");
    var old = form.querySelector("[name=old_value]");
    if (!option || !input) { return; }
    var step = option.getAttribute("data-step");
    var start = input.value.trim() || (old && old.value.trim()) || "0";
    var base = parseFloat(start);
    if (isNaN(base)) { base = 0; }
    var places = Math.max(decimals(step), decimals(start));
    input.value = (base + direction * parseFloat(step)).toFixed(places).replace(/^-0(\.0+)?$/, "0");
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-parameter-picker]")) {
      pickParameter(event.target.form);
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-step-by]");
    if (button) { stepBy(button.form, parseInt(button.getAttribute("data-step-by"), 10)); }
  });
  // After htmx brings the form back (saved, or with errors), steppers follow its parameter.
  document.addEventListener("htmx:afterSettle", function () {
    var form = changeForm();
    if (form) { showSteppers(form); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var form = changeForm();
    if (form) { showSteppers(form); }
  });

  // --- bad signal: keep what is recorded, send it once when the signal returns -----
  // A change, a status tap, a round or the day's closing recorded without
  // signal is kept in IndexedDB with the idempotency key its form carried
  // (and, for a tap, the button tapped), and the form gets a new key for the
  // next one. Each kept item is posted (asking for JSON), oldest first, until
  // the server answers: saved (201 for a change or round, 200 for a tap or
  // the closing, or the first answer again for a key it has seen), refused
  // (409 closed day, 422 bad value: shown with its text, never dropped), or
  // anything else (kept, tried again later). The closing waits while
  // something kept before it for the day was refused: closed, the day could
  // no longer take it once corrected.
  var panel = document.getElementById("offline-queue");
  if (!panel || !window.indexedDB) { return; }
  var dayUrl = panel.getAttribute("data-race-day-url");
  var closeUrl = panel.getAttribute("data-close-url");

  function newKey() {
    if (window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function store(mode, work) {
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open("apex-trackside", 1);
      open.onupgradeneeded = function () { open.result.createObjectStore("queue", { keyPath: "key" }); };
      open.onerror = function () { reject(open.error); };
      open.onsuccess = function () {
        var tx = open.result.transaction("queue", mode);
        var result = work(tx.objectStore("queue"));
        tx.oncomplete = function () { open.result.close(); resolve(result && result.result); };
        tx.onerror = function () { open.result.close(); reject(tx.error); };
      };
    });
  }
  function allItems() {
    return store("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.at - b.at; });
    });
  }
  function putItem(item) { return store("readwrite", function (s) { return s.put(item); }); }
  function dropItem(key) { return store("readwrite", function (s) { return s.delete(key); }); }

  function value(form, name) {
    var field = form.elements[name];
    if (!field) { return ""; }
    if (field.tagName === "SELECT") {
      return field.selectedIndex > 0 ? field.options[field.selectedIndex].text : "";
    }
    if (field.length !== undefined && !field.tagName) {  // radio buttons
      var checked = Array.prototype.filter.call(field, function (r) { return r.checked; })[0];
      return checked ? checked.parentNode.textContent.trim() : "";
    }
    return field.value.trim();
  }

  // What a person reads back: the change or round as they typed it, the status as they tapped it.
  function describe(form, submitter) {
    var kind = form.getAttribute("data-offline-queue");
    if (kind === "status") {
      return form.getAttribute("data-offline-text") + ": " + (submitter ? submitter.textContent.trim().toLowerCase() : "");
    }
    if (kind === "close") {
      return form.getAttribute("data-offline-text") + (value(form, "note") ? " — " + value(form, "note") : "");
    }
    if (kind === "change") {
      var text = value(form, "parameter") + ": " + (value(form, "old_value") || "not set") + " → " +
        (value(form, "new_value") || "not set");
      if (value(form, "status")) { text += " (" + value(form, "status").toLowerCase() + ")"; }
      if (value(form, "reason")) { text += " — " + value(form, "reason"); }
      return text;
    }
    var round = value(form, "kind") || "Round";
    if (value(form, "result")) { round += ": " + value(form, "result"); }
    if (value(form, "note")) { round += " — " + value(form, "note"); }
    return round;
  }

  // A tap kept on the phone shows at once on its buttons, marked as waiting (the list is
  // read again from the server once it is sent).
  function showTapped(form, submitter) {
    Array.prototype.forEach.call(form.querySelectorAll("button[name=status]"), function (button) {
      var tapped = button === submitter;
      button.setAttribute("aria-pressed", tapped ? "true" : "false");
      button.classList.toggle("secondary", !tapped);
    });
    var mark = form.querySelector("[data-waiting-mark]");
    if (!mark) {
      mark = document.createElement("p");
      mark.className = "muted waiting-mark";
      mark.setAttribute("data-waiting-mark", "");
      form.appendChild(mark);
    }
    mark.textContent = "Waiting for signal: kept on this phone.";
  }

  function keep(form, submitter) {
    var fields = [];
    new FormData(form).forEach(function (v, name) { fields.push([name, String(v)]); });
    // The tapped button's own name and value (a status), which FormData leaves out.
    if (submitter && submitter.name) { fields.push([submitter.name, submitter.value]); }
    var keyField = form.elements.idempotency_key;
    var item = {
      key: keyField.value, url: form.getAttribute("action"), day: dayUrl, at: Date.now(),
      kind: form.getAttribute("data-offline-queue"), fields: fields, text: describe(form, submitter),
      state: "waiting", message: "",
    };
    keyField.value = newKey();
    if (item.kind === "status") { showTapped(form, submitter); }
    form.reset();
    if (form.elements.new_value) { form.elements.new_value.placeholder = ""; }
    form.dataset.dirty = "0";
    Array.prototype.forEach.call(form.querySelectorAll("[data-steppers]"), function (s) { s.hidden = true; });
    return putItem(item).then(function () {
      // Closing is kept from the closing page: back to the day, which opens without signal and lists it.
      if (item.kind === "close" && location.pathname !== dayUrl) { location.assign(dayUrl); }
      return render();
    });
  }

  // No signal at all: the form is kept before htmx (or the browser) tries to send it.
  var lastSubmit = null;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-offline-queue]")) { return; }
    if (event.submitter && event.submitter.getAttribute("formmethod") === "get") { return; }
    if (!navigator.onLine) {
      event.preventDefault();
      event.stopImmediatePropagation();
      keep(form, event.submitter);
    } else {
      lastSubmit = form;
    }
  }, true);
  // Signal that looked fine but dropped: htmx could not send it, so it is kept
  // (with the button tapped, from the submit event htmx answered).
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form[data-offline-queue]");
    var submit = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    if (form && form === lastSubmit) { keep(form, submit && submit.submitter); }
  });

  function messageOf(answer) {
    if (!answer) { return ""; }
    if (answer.error) { return answer.error; }
    if (answer.errors) {
      return Object.keys(answer.errors).map(function (name) {
        return answer.errors[name].map(function (e) { return e.message; }).join(" ");
      }).join(" ");
    }
    return answer.message || "";
  }

  var HELD = "Waiting: sent once what was not saved above is dismissed (record it again first if the day should have it).";
  var sending = false;
  function send() {
    if (sending || !navigator.onLine) { return Promise.resolve(); }
    sending = true;
    var sent = 0, closedHere = false;
    return allItems().then(function (items) {
      return items.reduce(function (chain, item) {
        return chain.then(function (go) {
          if (go === false || item.state !== "waiting") { return go; }
          if (item.kind === "close" && items.some(function (i) {
            return i.day === item.day && i.at < item.at && i.state === "refused";
          })) {
            item.message = HELD;
            return putItem(item).then(function () { return true; });
          }
          return sendOne(item).then(function (done) {
            if (done && item.state === "sent") {
              sent += 1;
              if (item.kind === "close" && item.day === dayUrl) { closedHere = true; }
            }
            return done !== null;
          });
        });
      }, Promise.resolve(true));
    }).catch(function () {}).then(function () {
      sending = false;
      // The day closed: its page is a record now, read again whole (the queue stays to be read).
      if (closedHere) { location.assign(dayUrl); return; }
      render();
      if (sent > 0) { refreshDay(); }
    });
  }

  // true: answered (saved or refused), false: keep it, null: stop trying for now.
  function sendOne(item) {
    var token = (item.fields.filter(function (f) { return f[0] === "csrfmiddlewaretoken"; })[0] || [])[1] || "";
    return fetch(item.url, {
      method: "POST", credentials: "same-origin", body: new URLSearchParams(item.fields),
      headers: { "Accept": "application/json", "Idempotency-Key": item.key, "X-CSRFToken": token },
    }).then(function (response) {
      var landed = new URL(response.url, location.href).pathname;
      if (response.ok && (!response.redirected || landed === item.day)) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          item.state = "sent"; item.message = messageOf(answer) || "Saved.";
          return putItem(item).then(function () { return true; });
        });
      }
      if (response.status === 409 || response.status === 422) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          item.state = "refused"; item.message = messageOf(answer) || "The server refused it.";
          return putItem(item).then(function () { return false; });
        });
      }
      item.message = response.redirected || response.status === 403
        ? "Log in again: it is sent once you are back in."
        : "The server could not take it yet (" + response.status + "); trying again shortly.";
      return putItem(item).then(function () { return null; });
    }, function () { return null; });  // still no signal
  }

  // After sending, the day's lists show what was saved (the forms and what they hold stay).
  function refreshDay() {
    fetch(dayUrl, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html");
      ["changes-list", "day-setup", "rounds-list"].forEach(function (id) {
        var now = document.getElementById(id);
        var then = fresh.getElementById(id);
        if (now && then) {
          now.innerHTML = then.innerHTML;
          if (window.htmx) { window.htmx.process(now); }
        }
      });
      keepThisPage();
    }).catch(function () {});
  }

  var LABELS = { waiting: "Waiting to be sent", sent: "Sent", refused: "Not saved" };
  function render() {
    return allItems().then(function (items) {
      var mine = items.filter(function (i) { return i.day === dayUrl; });
      var list = panel.querySelector("[data-queue-list]");
      list.textContent = "";
      mine.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "is-" + item.state;
        li.setAttribute("data-queue-item", item.state);
        var state = document.createElement("span");
        state.className = "queue-state";
        state.textContent = LABELS[item.state];
        li.appendChild(state);
        li.appendChild(document.createTextNode("(" + item.kind + ") "));
        if (item.state === "refused") {
          li.appendChild(document.createTextNode(item.message));
          var text = document.createElement("pre");
          text.textContent = item.text;
          li.appendChild(text);
        } else {
          li.appendChild(document.createTextNode(item.text));
          if (item.message && item.state === "waiting") {
            li.appendChild(document.createElement("br"));
            li.appendChild(document.createTextNode(item.message));
          }
        }
        if (item.state !== "waiting") {
          var dismiss = document.createElement("button");
          dismiss.type = "button";
          dismiss.className = "secondary";
          dismiss.textContent = item.state === "sent" ? "OK" : "Dismiss (I have copied it)";
          dismiss.addEventListener("click", function () { dropItem(item.key).then(render); });
          li.appendChild(document.createElement("br"));
          li.appendChild(dismiss);
        }
        list.appendChild(li);
      });
      panel.querySelector("[data-offline-note]").hidden = navigator.onLine;
      panel.hidden = navigator.onLine && mine.length === 0;
      // A closing kept on the phone: the day closes when it is sent, not a second time.
      var closing = mine.some(function (i) { return i.kind === "close" && i.state === "waiting"; });
      Array.prototype.forEach.call(document.querySelectorAll("[data-close-link]"), function (a) { a.hidden = closing; });
    }).catch(function () {});
  }

  // Ask the service worker to keep pages: "url" fetched afresh, the day's closing page only
  // when it is not kept yet (not on every visit), and the static files named.
  function askToKeep(url, assets) {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) {
        registration.active.postMessage({ type: "keep", url: url, missing: closeUrl ? [closeUrl] : [], assets: assets });
      }
    });
  }

  // This page with its styles and scripts, so it opens without signal from the first visit on.
  function keepThisPage() {
    askToKeep(dayUrl, Array.prototype.map.call(
      document.querySelectorAll("link[rel=stylesheet][href], script[src]"),
      function (el) { return el.getAttribute("href") || el.getAttribute("src"); }
    ));
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && event.detail.requestConfig && event.detail.requestConfig.verb === "post") {
      keepThisPage();
    }
  });
  window.addEventListener("online", send);
  window.addEventListener("offline", render);
  render().then(send);
  // A page the worker served is kept already (its closing page perhaps not); the first visit,
  // before it took over, is not.
  if ("serviceWorker" in navigator && navigator.serviceWorker.controller) { askToKeep("", []); } else { keepThisPage(); }
  setInterval(send, 20000);
})();
