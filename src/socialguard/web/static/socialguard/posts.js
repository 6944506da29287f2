/* The posts pages: a live length counter on the compose page, and the copy button for posting by
 * hand. A static file because the Content-Security-Policy allows no inline script; without
 * JavaScript the check still runs on saving and the text can be selected and copied.
 */
(function () {
  "use strict";

  // Bluesky counts graphemes (a flag or an emoji with a skin tone is one), as the server does.
  var GRAPHEMES = { bluesky: true };

  function count(text, graphemes) {
    if (graphemes && typeof Intl !== "undefined" && Intl.Segmenter) {
      var n = 0;
      var it = new Intl.Segmenter("en", { granularity: "grapheme" }).segment(text)[Symbol.iterator]();
      while (!it.next().done) n += 1;
      return n;
    }
    return Array.from(text).length; // code points, like Python's len()
  }

  function limits(form) {
    var map = {};
    (form.getAttribute("data-limits") || "").trim().split(/\s+/).forEach(function (pair) {
      var parts = pair.split(":");
      if (parts.length === 2) map[parts[0]] = parseInt(parts[1], 10) || 0;
    });
    return map;
  }

  function counter(form) {
    var text = form.querySelector("textarea[name=text]");
    var out = document.getElementById("counter");
    if (!text || !out) return;
    var map = limits(form);
    var select = form.querySelector("select[name=account]");
    function update() {
      var account = select ? select.value : form.getAttribute("data-account");
      var platform = form.getAttribute("data-platform") || "";
      if (select && select.selectedOptions.length) {
        platform = (select.selectedOptions[0].textContent.match(/\(([^)]+)\)\s*$/) || ["", ""])[1].toLowerCase();
      }
      var limit = map[account] || 0;
      var used = count(text.value, GRAPHEMES[platform]);
      out.hidden = false;
      out.textContent = limit ? used + " of " + limit + " characters" + (used > limit ? ": " + (used - limit) + " too many" : "") : used + " characters";
      out.classList.toggle("over", limit > 0 && used > limit);
    }
    form.classList.add("counting"); // the live counter replaces the check's own length line
    text.addEventListener("input", update);
    if (select) select.addEventListener("change", update);
    update();
  }

  function copyButtons() {
    document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var status = button.parentNode.querySelector(".copy-status");
      if (!source || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.innerText).then(function () {
          if (status) status.textContent = "Copied: paste it into the platform.";
        }, function () {
          if (status) status.textContent = "Could not copy: select the text and copy it.";
        });
      });
    });
  }

  function init() {
    var form = document.getElementById("compose");
    if (form) counter(form);
    copyButtons();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
