// The accounts page: invite someone, change a role, give a one-time password link, disable.
"use strict";
(() => {
  const MM = window.MM;
  const panel = document.getElementById("reset-link");
  const url = document.getElementById("reset-link-url");

  /** Show a reset link once, for the coordinator to pass on; it is never shown again. */
  function showLink(name, reset) {
    document.getElementById("reset-link-name").textContent = "— " + name;
    url.value = reset.link;
    panel.hidden = false;
    url.focus();
    url.select();
  }

  /** Put an account in a structure, or take it out of its current one ("" = none). */
  async function setStructure(staffId, structure, current) {
    if (structure) {
      return MM.api("PUT", `/api/structures/${encodeURIComponent(structure)}/members`, { staff_id: staffId });
    }
    if (current) {
      return MM.api("POST", `/api/structures/${encodeURIComponent(current)}/members/remove`, { staff_id: staffId });
    }
    return { ok: true };
  }

  const form = document.getElementById("account-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = {
      display_name: String(data.get("display_name") || "").trim(),
      email: String(data.get("email") || "").trim(),
      role: data.get("role"),
    };
    const structure = String(data.get("structure") || "");
    const done = await MM.busy(form.querySelector("button"), async () => {
      const made = await MM.api("POST", "/api/staff/invitations", body);
      if (made && structure) await setStructure(made.staff.id, structure, "");
      return made;
    });
    if (done) {
      MM.toast(form.dataset.done);
      form.reset();
      showLink(done.staff.display_name, done.reset);
    }
  });

  document.getElementById("reset-link-copy").addEventListener("click", async (event) => {
    url.select();
    try {
      await navigator.clipboard.writeText(url.value);
      MM.toast(event.currentTarget.dataset.done);
    } catch (err) {
      // No clipboard permission: the link stays selected for a manual copy.
    }
  });

  for (const row of document.querySelectorAll("#accounts tr[data-id]")) {
    const id = encodeURIComponent(row.dataset.id);
    const save = row.querySelector(".account-role-save");
    if (save) {
      save.addEventListener("click", async () => {
        const role = row.querySelector(".account-role").value;
        if (await MM.busy(save, () => MM.api("POST", `/api/staff/${id}/role`, { role }))) {
          MM.toast(save.dataset.done);
        }
      });
    }
    const moveTo = row.querySelector(".account-structure-save");
    if (moveTo) {
      moveTo.addEventListener("click", async () => {
        const select = row.querySelector(".account-structure");
        const staffId = Number(row.dataset.id);
        if (await MM.busy(moveTo, () => setStructure(staffId, select.value, select.dataset.current))) {
          select.dataset.current = select.value;
          MM.toast(moveTo.dataset.done);
        }
      });
    }
    const reset = row.querySelector(".account-reset");
    if (reset) {
      reset.addEventListener("click", async () => {
        const done = await MM.busy(reset, () => MM.api("POST", `/api/staff/${id}/reset-link`));
        if (done) showLink(row.dataset.name, done.reset);
      });
    }
    const disable = row.querySelector(".account-disable");
    if (disable) {
      disable.addEventListener("click", async () => {
        if (!window.confirm(disable.dataset.confirm)) return;
        if (await MM.busy(disable, () => MM.api("POST", `/api/staff/${id}/disable`))) {
          MM.toast(disable.dataset.done);
          location.reload();
        }
      });
    }
  }
})();
