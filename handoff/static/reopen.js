// Reopen a closed ticket from its page: one API call, then the page is read again.
(function () {
  "use strict";
  const button = document.getElementById("reopen");
  const main = document.getElementById("main");
  if (!button || !main) return;
  button.addEventListener("click", async function () {
    button.disabled = true;
    const meta = document.querySelector('meta[name="csrf-token"]');
    const id = encodeURIComponent(main.dataset.ticketId);
    const resp = await fetch("/api/tickets/" + id + "/reopen", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": meta ? meta.content : "" },
      body: "{}",
    });
    if (resp.ok) {
      window.location.reload();
      return;
    }
    const answer = await resp.json().catch(function () { return {}; });
    const lost = document.getElementById("lost");
    if (lost) {
      lost.textContent = answer.error || "";
      lost.hidden = false;
    }
    button.disabled = false;
  });
})();
