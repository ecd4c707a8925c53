// smokewatch dashboard: small glue only (no inline scripts: the CSP forbids them).
// Every htmx request carries the page's CSRF token.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) { event.detail.headers["X-CSRF-Token"] = meta.content; }
});

// A refused htmx action (403/409/422) shows the server's message instead of failing silently.
document.addEventListener("htmx:responseError", function (event) {
  var box = document.getElementById("flash");
  if (!box) {
    box = document.createElement("p");
    box.id = "flash";
    box.className = "error";
    box.setAttribute("role", "alert");
    document.querySelector("main").prepend(box);
  }
  var doc = new DOMParser().parseFromString(event.detail.xhr.responseText, "text/html");
  var message = doc.querySelector(".error");
  box.textContent = message ? message.textContent : event.detail.xhr.statusText;
});
