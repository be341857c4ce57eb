// Start GOV.UK Frontend's own components (static/vendor/govuk-frontend, docs/adr/0067): conditional
// reveal of follow-up questions, character count and error summary focus. Without JavaScript, or
// in a browser GOV.UK Frontend does not support, nothing here runs and every page works as plain
// HTML: a follow-up question is then asked after Continue, with a notice.
(function () {
  "use strict";
  var frontend = window.GOVUKFrontend;
  if (!frontend || !("noModule" in HTMLScriptElement.prototype)) {
    return;
  }
  // What GOV.UK's page template does with an inline script (our CSP allows none).
  document.body.classList.add("govuk-frontend-supported");
  [frontend.Radios, frontend.Checkboxes, frontend.ErrorSummary, frontend.CharacterCount].forEach(
    function (Component) {
      frontend.createAll(Component);
    }
  );
  // A follow-up held hidden under its option now opens as soon as the option is chosen, so it is
  // answered on this page: count it as shown, but only where the reveal was really wired up.
  document.querySelectorAll("input[data-revealed-by]").forEach(function (marker) {
    var id = marker.getAttribute("data-revealed-by");
    if (document.querySelector('[aria-controls="' + id + '"]')) {
      marker.disabled = false;
    }
  });
})();
