// The sources page (create, archive through the API) and the poster's print button.
"use strict";
(() => {
  const MM = window.MM;
  const form = document.getElementById("source-form");
  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const body = {
        label: data.get("label"),
        kind: data.get("kind"),
        commune: data.get("commune"),
      };
      const contact = String(data.get("contact") || "").trim();
      if (contact) body.contact = contact;
      const done = await MM.busy(form.querySelector("button"), () => MM.api("POST", "/api/sources", body));
      if (done) {
        MM.toast(form.dataset.done);
        location.reload();
      }
    });
  }
  for (const button of document.querySelectorAll(".source-archive")) {
    button.addEventListener("click", async () => {
      const code = encodeURIComponent(button.dataset.code);
      const done = await MM.busy(button, () => MM.api("POST", `/api/sources/${code}/archive`));
      if (done) {
        MM.toast(button.dataset.done);
        location.reload();
      }
    });
  }
  const print = document.getElementById("poster-print");
  if (print) print.addEventListener("click", () => window.print());
})();
