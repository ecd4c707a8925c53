// The portal's offline challenge: find a counter so that SHA-256("<token>:<counter>") starts
// with <bits> zero bits, with WebCrypto, while the reporter fills in the form. When it is found
// the question fallback is hidden; without JavaScript (or WebCrypto) the question stays.
(function () {
  "use strict";
  function zeroBits(bytes) {
    var bits = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { bits += 8; continue; }
      var b = bytes[i];
      while ((b & 0x80) === 0) { bits += 1; b <<= 1; }
      return bits;
    }
    return bits;
  }
  async function solve(token, bits) {
    var encoder = new TextEncoder();
    for (var counter = 0; counter < 1e8; counter++) {
      var digest = await crypto.subtle.digest("SHA-256", encoder.encode(token + ":" + counter));
      if (zeroBits(new Uint8Array(digest)) >= bits) { return counter; }
    }
    return null;
  }
  function start(form) {
    var field = form.querySelector("input[data-pow-challenge]");
    if (!field || !window.crypto || !crypto.subtle) { return; }
    var button = form.querySelector("button[type=submit]");
    var question = form.querySelector("[data-challenge-question]");
    var waiting = false;
    solve(field.dataset.powChallenge, parseInt(field.dataset.powBits, 10)).then(function (counter) {
      if (counter === null) { return; }
      field.value = String(counter);
      form.dataset.powSolved = "true";
      if (question) { question.classList.add("solved"); }
      if (waiting) { if (button) { button.disabled = false; } form.requestSubmit(); }
    });
    form.addEventListener("submit", function (event) {
      var answer = form.querySelector("input[name=answer]");
      if (!field.value && !(answer && answer.value)) {
        event.preventDefault();
        waiting = true;
        if (button) { button.disabled = true; }
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-pow-form]").forEach(start);
  });
})();
