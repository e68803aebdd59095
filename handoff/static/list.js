// The queue and "my conversations": the server's cards swapped in on live events, new ones highlighted.
"use strict";
(() => {
  const MM = window.MM;
  const list = document.getElementById("tickets");
  if (!list) return;
  const empty = document.getElementById("empty");
  const seen = new Set([...list.children].map((li) => li.dataset.ticketId));

  function highlight(node) {
    node.classList.add("is-fresh");
    const badge = node.querySelector(".badge-new");
    badge.hidden = false;
    setTimeout(() => { badge.hidden = true; }, 60000);
  }

  MM.onLists((fresh) => {
    const nodes = new Map([...list.children].map((li) => [li.dataset.ticketId, li]));
    const cards = [...fresh.children];
    cards.forEach((card, index) => {
      const id = card.dataset.ticketId;
      const old = nodes.get(id);
      if (!seen.has(id)) {
        highlight(card);
        seen.add(id);
      } else if (old && old.classList.contains("is-fresh")) {
        card.classList.add("is-fresh");  // keep a recent arrival's highlight and badge
        card.querySelector(".badge-new").hidden = old.querySelector(".badge-new").hidden;
      }
      if (old) old.replaceWith(card);
      if (list.children[index] !== card) list.insertBefore(card, list.children[index] || null);
    });
    const keep = new Set(cards.map((card) => card.dataset.ticketId));
    for (const [id, node] of nodes) if (!keep.has(id)) node.remove();
    empty.hidden = cards.length > 0;
  });

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
