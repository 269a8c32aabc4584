// Registration questions shown only when another answer matches (data-show-if / data-show-value).
// The server applies the same rule, so this only spares people questions that do not concern them.
(function () {
  function update(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (input) {
      var source = form.querySelector("[name='" + input.dataset.showIf + "']");
      var wrapper = input.closest(".cf-question");
      var shown = source && source.value.trim() === input.dataset.showValue.trim() && !(source.closest(".cf-question") || {}).hidden;
      if (wrapper) wrapper.hidden = !shown;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("registration-form");
    if (!form) return;
    form.addEventListener("input", function () { update(form); });
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
