/* The live tally (templates/theme_days/tally.html): progressive enhancement. Without this
   script the page shows the counts as drawn and is brought up to date by reloading. With it,
   the counts are fetched from the page's JSON every few seconds and the bars, numbers and
   words are updated in place; once the vote is ended the page says so and stops asking. */
(function () {
  "use strict";
  var root = document.getElementById("tally");
  if (!root || !window.fetch) { return; }
  var source = root.getAttribute("data-source");
  var every = parseInt(root.getAttribute("data-every"), 10) || 3000;
  var one = root.getAttribute("data-one");
  var many = root.getAttribute("data-many");
  var timer = null;

  function setText(el, text) { if (el && el.textContent !== text) { el.textContent = text; } }

  function apply(data) {
    var themes = root.querySelectorAll("[data-theme]");
    for (var t = 0; t < themes.length; t++) {
      var theme = themes[t];
      var rows = theme.querySelectorAll("[data-item]");
      var top = 0, r, n;
      for (r = 0; r < rows.length; r++) {
        n = data.items[rows[r].getAttribute("data-item")] || 0;
        if (n > top) { top = n; }
      }
      for (r = 0; r < rows.length; r++) {
        n = data.items[rows[r].getAttribute("data-item")] || 0;
        var fill = rows[r].querySelector(".tally-fill");
        if (fill) { fill.setAttribute("width", String(top ? Math.round(100 * n / top) : 0)); }
        setText(rows[r].querySelector(".tally-n"), String(n));
        setText(rows[r].querySelector(".tally-word"), n === 1 ? one : many);
      }
      setText(theme.querySelector(".tally-voters"),
              String(data.voters[theme.getAttribute("data-theme")] || 0));
    }
    setText(document.getElementById("tally-total"), String(data.total_voters));
    if (data.ended) {
      document.getElementById("tally-ended").hidden = false;
      document.getElementById("tally-live").hidden = true;
      root.setAttribute("data-state", "ended");
      if (timer) { clearInterval(timer); timer = null; }
    }
  }

  function poll() {
    fetch(source, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { apply(data); } })
      .catch(function () { /* the next round tries again */ });
  }

  if (root.getAttribute("data-state") === "ended") { return; }
  var hints = root.querySelectorAll(".no-script-hint");
  for (var h = 0; h < hints.length; h++) { hints[h].hidden = true; }
  document.getElementById("tally-live").hidden = false;
  timer = setInterval(poll, every);
})();
