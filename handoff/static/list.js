// The queue and "my conversations": kept up to date from live events, new tickets highlighted.
"use strict";
(() => {
  const MM = window.MM;
  const list = document.getElementById("tickets");
  if (!list) return;
  const empty = document.getElementById("empty");
  const isQueue = list.dataset.list === "queue";
  const first = list.dataset.first || "";  // the counsellor's structure, shown first
  const own = (view) => (first && view.structure === first ? 1 : 0);
  const seen = new Set([...list.children].map((li) => li.dataset.ticketId));

  function update(node, view, fresh) {
    node.dataset.ticketId = String(view.id);
    node.dataset.since = String(view.since);
    node.classList.toggle("is-urgent", view.urgent);
    node.classList.toggle("is-alert", view.alert);
    for (const link of node.querySelectorAll("a")) link.href = view.url;
    MM.fill(node, {
      "card-name": view.firstName,
      "card-age": view.age,
      "card-need-text": view.need,
      "meta-commune": view.commune,
      "meta-territory": view.territory,
      "meta-channel": view.channel,
      "meta-source": view.source,
      "badge-reason": view.reason,
    });
    node.querySelector(".badge-urgent").hidden = !view.urgent;
    node.querySelector(".badge-alert").hidden = !view.alert;
    const clock = node.querySelector("time.since");
    clock.dataset.since = String(view.since);
    clock.textContent = MM.since(view.since);
    const claim = node.querySelector("[data-claim]");
    if (claim) claim.dataset.claim = String(view.id);
    if (fresh) {
      node.classList.remove("is-fresh");
      void node.offsetWidth;  // restart the highlight animation
      node.classList.add("is-fresh");
      const badge = node.querySelector(".badge-new");
      badge.hidden = false;
      setTimeout(() => { badge.hidden = true; }, 60000);
    }
  }

  function render(tickets) {
    const views = tickets.map(MM.cardView);
    if (isQueue) views.sort((a, b) => (own(b) - own(a)) || (b.urgent - a.urgent) || (a.since - b.since));
    const nodes = new Map([...list.children].map((li) => [li.dataset.ticketId, li]));
    const keep = new Set();
    views.forEach((view, index) => {
      const id = String(view.id);
      keep.add(id);
      let node = nodes.get(id);
      const fresh = !seen.has(id);
      if (!node) node = MM.fromTemplate("card-template");
      update(node, view, fresh);
      seen.add(id);
      if (list.children[index] !== node) list.insertBefore(node, list.children[index] || null);
    });
    for (const [id, node] of nodes) if (!keep.has(id)) node.remove();
    empty.hidden = views.length > 0;
  }

  MM.onLists(({ waiting, mine }) => render(isQueue ? waiting : mine));

  list.addEventListener("click", async (ev) => {
    const button = ev.target.closest("[data-claim]");
    if (!button) return;
    const id = button.dataset.claim;
    const done = await MM.busy(button, () => MM.api("POST", `/api/tickets/${id}/claim`));
    if (done !== undefined) {
      location.assign(`/handoff/tickets/${id}`);
    } else {
      MM.refreshListsSoon();
    }
  });
})();
