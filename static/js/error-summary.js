// Move focus to the error summary when a page shows one, so screen reader and keyboard users
// hear what went wrong first (GOV.UK pattern). Without JavaScript the summary is still first.
(function () {
  "use strict";
  var summary = document.querySelector("[data-module='error-summary']");
  if (summary) {
    summary.focus();
  }
})();
