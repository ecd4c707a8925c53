// smokewatch dashboard: small glue only (no inline scripts: the CSP forbids them).
// Every htmx request carries the page's CSRF token.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) { event.detail.headers["X-CSRF-Token"] = meta.content; }
});
