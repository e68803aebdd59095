// The territories page: every change goes through the JSON API, then the page reloads.
"use strict";
(() => {
  const MM = window.MM;
  const main = document.getElementById("main");
  if (!main) return;

  async function change(button, method, path, body) {
    const done = await MM.busy(button, () => MM.api(method, path, body));
    if (done) {
      MM.toast(main.dataset.saved);
      location.reload();
    }
  }

  for (const section of document.querySelectorAll("section.structure")) {
    const base = `/api/structures/${encodeURIComponent(section.dataset.structure)}`;
    for (const form of section.querySelectorAll("form.area-form")) {
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const area = String(new FormData(form).get("area") || "").trim();
        change(form.querySelector("button"), "POST", `${base}/areas`, { kind: form.dataset.kind, area });
      });
    }
    for (const button of section.querySelectorAll(".area-remove")) {
      button.addEventListener("click", () => {
        change(button, "POST", `${base}/areas/remove`, { kind: button.dataset.kind, code: button.dataset.code });
      });
    }
    const member = section.querySelector("form.member-form");
    member.addEventListener("submit", (event) => {
      event.preventDefault();
      const id = Number(new FormData(member).get("staff"));
      change(member.querySelector("button"), "PUT", `${base}/members`, { staff_id: id });
    });
    for (const button of section.querySelectorAll(".member-remove")) {
      button.addEventListener("click", () => {
        change(button, "POST", `${base}/members/remove`, { staff_id: Number(button.dataset.staff) });
      });
    }
  }
})();
