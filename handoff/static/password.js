// Passwords: one's own (current one first) and the one chosen through a one-time link.
"use strict";
(() => {
  const MM = window.MM;
  const error = document.getElementById("form-error");
  const ok = document.getElementById("form-ok");

  function show(el, message) {
    if (message !== undefined) el.textContent = message;
    el.hidden = false;
  }

  async function submit(form, action) {
    const button = form.querySelector("button[type=submit]");
    error.hidden = true;
    if (form.elements.password.value !== form.elements.password2.value) {
      show(error, MM.t("password_mismatch"));
      return;
    }
    button.disabled = true;
    try {
      await action(form.elements.password.value);
      form.reset();
      return true;
    } catch (err) {
      if (!(err instanceof MM.ApiError)) throw err;
      show(error, err.message);
      return false;
    } finally {
      button.disabled = false;
    }
  }

  const own = document.getElementById("password-form");
  if (own) {
    own.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      ok.hidden = true;
      const current = own.elements.current.value;
      const done = await submit(own, (password) =>
        MM.api("POST", "/api/me/password", { current_password: current, password }));
      if (done) show(ok, own.dataset.done);
    });
  }

  const reset = document.getElementById("reset-form");
  if (reset && reset.elements.password) {
    reset.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const done = await submit(reset, (password) =>
        MM.api("POST", "/api/password-reset", { token: reset.dataset.token, password }));
      if (done) {
        for (const field of reset.querySelectorAll(".field, button[type=submit]")) field.hidden = true;
        show(ok);
      }
    });
  }
})();
