// MiloMouv' ticket page: the youth's other conversations, linked by a counsellor (never
// automatically), with their threads; likely ones (same phone or e-mail) offered to link.
"use strict";
(() => {
  const main = document.getElementById("main");
  const side = document.querySelector("aside.side");
  if (!window.MM || !window.MMWatch || !main || !side) return;
  const ticketId = main.dataset.ticketId;
  const t = window.MMWatch.t;
  let panel = null;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function title(card) {
    const key = "channel_" + card.channel;  // the dashboard's channel names, as the cards say them
    const channel = MM.has(key) ? MM.t(key) : card.channel;
    return t("links.thread", { channel, first_name: card.first_name || "" });
  }

  function linkedCard(card) {
    const box = el("div", "linked-conversation");
    box.dataset.conversationId = card.conversation_id;
    const head = el("h3", null, title(card));
    box.append(head);
    if (card.url) {
      const open = el("a", "btn", t("watch.open"));
      open.href = card.url;
      box.append(open);
    }
    const unlink = el("button", "btn", t("links.unlink"));
    unlink.type = "button";
    unlink.addEventListener("click", () => MM.busy(unlink, async () => {
      render(await MM.api("DELETE", `/api/tickets/${ticketId}/links`, { conversation_id: card.conversation_id }));
      MM.toast(t("links.unlinked"));
    }));
    box.append(unlink);
    const thread = el("ol", "thread linked-thread");
    for (const line of card.thread || []) {
      const item = el("li", `msg msg-${["youth", "bot", "counsellor"].includes(line.author) ? line.author : "system"}`);
      item.append(el("p", null, line.text));
      thread.append(item);
    }
    box.append(thread);
    return box;
  }

  function candidateCard(card) {
    const box = el("div", "link-candidate");
    box.dataset.conversationId = card.conversation_id;
    const why = card.same.map((s) => t(`links.same_${s}`)).join(", ");
    box.append(el("p", null, `${title(card)} (${why})`));
    const link = el("button", "btn btn-primary", t("links.link"));
    link.type = "button";
    link.addEventListener("click", () => {
      if (!window.confirm(t("links.confirm"))) return;
      MM.busy(link, async () => {
        render(await MM.api("POST", `/api/tickets/${ticketId}/links`, { conversation_id: card.conversation_id }));
        MM.toast(t("links.linked"));
      });
    });
    box.append(link);
    return box;
  }

  function render(view) {
    if (!panel) {
      panel = el("section", "panel");
      panel.id = "links";
      side.append(panel);
    }
    panel.replaceChildren(el("h2", null, t("links.title")));
    for (const card of view.linked) panel.append(linkedCard(card));
    panel.append(el("h3", null, t("links.candidates")));
    if (!view.candidates.length) panel.append(el("p", "hint", t("links.candidates_none")));
    for (const card of view.candidates) panel.append(candidateCard(card));
  }

  async function load() {
    try {
      await window.MMWatch.ready;
      render(await MM.api("GET", `/api/tickets/${ticketId}/links`));
    } catch (err) {
      if (!(err instanceof MM.ApiError)) throw err;
    }
  }

  document.addEventListener("DOMContentLoaded", load);
})();
