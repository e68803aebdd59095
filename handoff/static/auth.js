// Sign-in and first-start pages: the forms post JSON to the API, then go to the queue.
"use strict";
(() => {
  const MM = window.MM;
  const error = document.getElementById("form-error");

  function showError(message) {
    error.textContent = message;
    error.hidden = false;
  }

  /** Only a path of this dashboard: never send someone to another site after login. */
  function safeNext(value) {
    return /^\/handoff\/[A-Za-z0-9/_?=&%.-]*$/.test(value || "") && !value.startsWith("//") ? value : "/handoff/";
  }

  async function submit(form, action) {
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await action();
      location.assign(safeNext(form.dataset.next));
    } catch (err) {
      if (!(err instanceof MM.ApiError)) throw err;
      showError(err.message);
      button.disabled = false;
    }
  }

  const login = document.getElementById("login-form");
  if (login) {
    login.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const email = login.elements.email.value.trim();
      const password = login.elements.password.value;
      if (!email || !password) { showError(MM.t("login_failed")); return; }
      submit(login, () => MM.api("POST", "/api/session", { email, password }));
    });
  }

  const setup = document.getElementById("setup-form");
  if (setup && setup.elements.email) {
    setup.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const email = setup.elements.email.value.trim();
      const password = setup.elements.password.value;
      if (password !== setup.elements.password2.value) { showError(MM.t("password_mismatch")); return; }
      submit(setup, async () => {
        await MM.api("POST", "/api/setup", { token: setup.dataset.token, email, password });
        await MM.api("POST", "/api/session", { email, password });
      });
    });
  }
})();
