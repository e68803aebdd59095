// The bot text editor: a live preview from the server as the coordinator types, save, rollback.
"use strict";
(() => {
  const MM = window.MM;
  const form = document.getElementById("text-form");
  if (!form) return;
  const key = form.dataset.key;
  const field = document.getElementById("text-value");
  const preview = document.getElementById("text-preview");
  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  let timer = null;
  let asked = 0;

  // The server renders the fragment (the same template as the page); it is parsed, not run.
  async function refresh() {
    const mine = ++asked;
    let resp;
    try {
      resp = await fetch(`/handoff/texts/${key}/preview`, {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
        body: JSON.stringify({ text: field.value }),
      });
    } catch (err) {
      return;
    }
    if (!resp.ok || mine !== asked) return;
    const doc = new DOMParser().parseFromString(await resp.text(), "text/html");
    preview.replaceChildren(...doc.body.childNodes);
    preview.dataset.version = String(mine);
  }

  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const done = await MM.busy(document.getElementById("text-save"),
      () => MM.api("PUT", `/api/texts/${key}`, { text: field.value }));
    if (done) {
      MM.toast(form.dataset.saved);
      location.reload();
    } else {
      refresh();  // shows every reason the text was refused
    }
  });

  const history = document.getElementById("text-history");
  for (const button of document.querySelectorAll(".text-rollback")) {
    button.addEventListener("click", async () => {
      const version = Number(button.dataset.version);
      const done = await MM.busy(button, () => MM.api("POST", `/api/texts/${key}/rollback`, { version }));
      if (done) {
        MM.toast(history.dataset.done);
        location.reload();
      }
    });
  }
})();
