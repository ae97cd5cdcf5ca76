// Copy buttons: <button data-copy="#element-id" hidden> copies that element's text.
// Hidden without JavaScript (the code is there to select by hand); the button
// says "Copied" for a moment and the page's status region announces it.
(function () {
  "use strict";
  function show() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      if (navigator.clipboard) button.hidden = false;
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var label = button.textContent;
      button.textContent = "Copied";
      button.setAttribute("aria-live", "polite");
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  });
  document.addEventListener("DOMContentLoaded", show);
  document.addEventListener("htmx:afterSettle", show);
})();
