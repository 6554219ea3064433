// Live preview of a split: on input, post the form to the server (debounced) and show the
// pie chart and amounts it computes. Without JavaScript the "Vis forhåndsvisning" button does
// the same by reloading the page; nothing is computed here.
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview-url]");
  var target = document.getElementById("preview");
  if (!form || !target || !window.fetch) { return; }
  var timer = null;
  var latest = 0;
  var controller = null;

  function showMethodInputs() {
    var chosen = form.querySelector("input[name=method]:checked");
    var method = chosen ? chosen.value : "";
    form.querySelectorAll("[data-method]").forEach(function (element) {
      var shown = element.getAttribute("data-method").split(" ").indexOf(method) >= 0;
      element.hidden = !shown;
    });
  }

  function refresh() {
    var request = ++latest;
    if (controller) { controller.abort(); }
    controller = new AbortController();
    target.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
      signal: controller.signal
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      if (request === latest) {
        target.innerHTML = html;
        target.setAttribute("aria-busy", "false");
      }
    }).catch(function (error) {
      if (error.name !== "AbortError" && request === latest) {
        target.setAttribute("aria-busy", "false");
        target.querySelector("[data-preview-status]") &&
          (target.querySelector("[data-preview-status]").textContent =
            "Forhåndsvisningen kunne ikke opdateres. Brug knappen \u201dVis forhåndsvisning\u201d.");
      }
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 300);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", function () { showMethodInputs(); schedule(); });
  showMethodInputs();
  form.setAttribute("data-live", "on");
})();
