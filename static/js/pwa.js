// Installing Apex: register the service worker (static/js/sw.js, served at /sw.js
// so it looks after every page). Logging out forgets the pages kept offline.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext) { return; }
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
    // No service worker (a private window, an old browser): pages still work online.
  });

  document.addEventListener("submit", function (event) {
    var action = event.target.getAttribute && event.target.getAttribute("action") || "";
    if (action.indexOf("/accounts/logout/") !== -1 && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "forget" });
    }
  }, true);
})();
