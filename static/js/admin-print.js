// Print buttons on letters, digest and meeting QR pages (no inline scripts: the CSP forbids them).
// The buttons start hidden, so without JavaScript there is no button that does nothing.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
