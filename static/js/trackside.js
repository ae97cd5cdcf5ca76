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
})();
