// The canned replies page: add, edit, move up or down (buttons, so the keyboard works), delete.
"use strict";
(() => {
  const MM = window.MM;
  const list = document.getElementById("canned-items");

  function items() {
    return list ? Array.from(list.querySelectorAll(".canned-item")) : [];
  }

  /** The first reply cannot go up, the last cannot go down. */
  function markEnds() {
    const all = items();
    all.forEach((item, index) => {
      item.querySelector(".canned-up").disabled = index === 0;
      item.querySelector(".canned-down").disabled = index === all.length - 1;
    });
  }

  async function move(item, button, step) {
    const all = items();
    const position = all.indexOf(item) + step;
    if (position < 0 || position >= all.length) return;
    const path = "/api/canned-replies/" + encodeURIComponent(item.dataset.id);
    const done = await MM.busy(button, () => MM.api("PATCH", path, { position }));
    if (!done) return;
    const others = items().filter((other) => other !== item);
    list.insertBefore(item, others[position] || null);
    markEnds();
    MM.toast(list.dataset.moved);
    if (button.disabled) {
      // At an end now: keep the keyboard focus on the reply, on the button that still works.
      item.querySelector(step < 0 ? ".canned-down" : ".canned-up").focus();
    } else {
      button.focus();
    }
  }

  for (const item of items()) {
    const path = () => "/api/canned-replies/" + encodeURIComponent(item.dataset.id);
    const form = item.querySelector(".canned-edit");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = { title: form.elements.title.value.trim(), text: form.elements.text.value };
      if (await MM.busy(form.querySelector("button[type=submit]"), () => MM.api("PATCH", path(), body))) {
        MM.toast(list.dataset.saved);
      }
    });
    const up = item.querySelector(".canned-up");
    const down = item.querySelector(".canned-down");
    up.addEventListener("click", () => move(item, up, -1));
    down.addEventListener("click", () => move(item, down, 1));
    const remove = item.querySelector(".canned-delete");
    remove.addEventListener("click", async () => {
      if (!window.confirm(remove.dataset.confirm)) return;
      if (await MM.busy(remove, () => MM.api("DELETE", path()))) {
        item.remove();
        markEnds();
        MM.toast(list.dataset.deleted);
      }
    });
  }
  markEnds();

  const create = document.getElementById("canned-form");
  create.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { title: create.elements.title.value.trim(), text: create.elements.text.value };
    if (await MM.busy(create.querySelector("button"), () => MM.api("POST", "/api/canned-replies", body))) {
      MM.toast(create.dataset.done);
      location.reload();
    }
  });
})();
