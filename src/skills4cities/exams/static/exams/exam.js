// The exam countdown: decorates the server's deadline (the server refuses late answers on its own).
(function () {
  "use strict";
  var clock = document.getElementById("countdown");
  if (!clock) { return; }
  var remaining = parseInt(clock.getAttribute("data-remaining"), 10);
  if (isNaN(remaining)) { return; }
  var end = Date.now() + remaining * 1000;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    clock.textContent = h + ":" + pad(m) + ":" + pad(s);
    if (left <= 0) {
      window.location.assign(clock.getAttribute("data-expired-url"));
      return;
    }
    window.setTimeout(tick, 1000);
  }
  tick();
})();
