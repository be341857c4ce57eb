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
  // GOV.UK Frontend marks a radio that opens a question with aria-expanded, which ARIA does not
  // allow on a radio (alphagov/govuk-frontend#979: kept there on purpose, flagged by axe). The
  // question opens right after the radio in reading order, so the attribute goes, each time it
  // is set.
  var openers = document.querySelectorAll('input[type="radio"][aria-controls]');
  var unexpand = function () {
    openers.forEach(function (radio) {
      radio.removeAttribute("aria-expanded");
    });
  };
  if (openers.length) {
    unexpand();
    new MutationObserver(unexpand).observe(document.body, {
      subtree: true,
      attributeFilter: ["aria-expanded"]
    });
  }
  // A follow-up held hidden under its option now opens as soon as the option is chosen, so it is
  // answered on this page: count it as shown, but only where the reveal was really wired up.
  document.querySelectorAll("input[data-revealed-by]").forEach(function (marker) {
    var id = marker.getAttribute("data-revealed-by");
    if (document.querySelector('[aria-controls="' + id + '"]')) {
      marker.disabled = false;
    }
  });
})();
