// Assign form: the second assessor cannot be the first one (the form refuses it too).
(function () {
  "use strict";
  function sync(first, second) {
    Array.prototype.forEach.call(second.options, function (option) {
      var same = option.value !== "" && option.value === first.value;
      option.disabled = same;
      option.hidden = same;
      if (same && option.selected) {
        second.value = "";
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var first = document.querySelector("[data-testid='assign-assessor']");
    var second = document.querySelector("[data-testid='assign-second-assessor']");
    if (!first || !second) {
      return;
    }
    first.addEventListener("change", function () { sync(first, second); });
    sync(first, second);
  });
})();
