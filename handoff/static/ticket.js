// One conversation: live thread, reply box, claim, meeting, transfer, give back, close, notes.
"use strict";
(() => {
  const MM = window.MM;
  const t = MM.t;
  const main = document.getElementById("main");
  const thread = document.getElementById("thread");
  if (!main || !thread) return;
  const ticketId = main.dataset.ticketId;
  const conversationId = main.dataset.conversationId;
  const firstName = main.dataset.firstName;
  const base = `/api/tickets/${ticketId}`;
  const $ = (id) => document.getElementById(id);
  const replyForm = $("reply-form");
  const replyText = $("reply-text");
  let status = main.dataset.status;
  let holderId = Number(main.dataset.holderId) || null;

  // --- the thread: the server's lines, merged by id ----------------------------------------
  function scrolledToEnd() {
    const scroller = thread.scrollHeight > thread.clientHeight + 2 ? thread : document.scrollingElement;
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
  }

  // Wide screens scroll the thread itself; phones scroll the page, the reply box stuck below.
  const threadScrolls = () => thread.scrollHeight > thread.clientHeight + 2;

  function scrollToEnd() {
    if (threadScrolls()) {
      thread.scrollTop = thread.scrollHeight;
      return;
    }
    const last = [...thread.querySelectorAll(".msg")].pop();
    if (last) last.scrollIntoView({ block: "end" });
  }

  // Keep the latest message in view when the reply box or the window changes size.
  let pinned = true;
  thread.addEventListener("scroll", () => { pinned = scrolledToEnd(); }, { passive: true });
  if (window.ResizeObserver) {
    new ResizeObserver(() => { if (pinned && threadScrolls()) thread.scrollTop = thread.scrollHeight; }).observe(thread);
  }

  function mergeThread(fresh, forceScroll) {
    const atEnd = forceScroll || scrolledToEnd();
    const end = $("thread-empty");
    let added = false;
    for (const item of [...fresh.children]) {
      if (item.id === "thread-empty") { end.hidden = item.hidden; continue; }
      const selector = item.classList.contains("day")
        ? `li.day[data-day-label="${item.dataset.dayLabel}"]`
        : `li.msg[data-id="${item.dataset.id}"]`;
      const old = thread.querySelector(selector);
      if (old) {
        if (!item.classList.contains("day")) old.replaceWith(item);
        continue;
      }
      thread.insertBefore(item, end);
      added = true;
    }
    if (added && atEnd) scrollToEnd();
  }

  // --- the parts that change: swapped by id, what this counsellor may do from the data -------
  const SWAPPED = ["status-pill", "claim-since", "window-warning", "composer-note", "meetings-panel", "notes", "notes-empty"];

  function apply(live) {
    for (const id of SWAPPED) {
      const fresh = live.querySelector(`#${id}`);
      const old = $(id);
      if (fresh && old) old.replaceWith(fresh);
    }
    const d = live.dataset;
    status = d.status;
    holderId = Number(d.holderId) || null;
    main.dataset.status = d.status;
    main.dataset.holderId = d.holderId;
    main.dataset.mine = d.mine;
    $("claim-banner").hidden = status !== "waiting";
    replyForm.hidden = !d.canReply;
    $("meeting").hidden = !d.canReply;
    $("actions").hidden = !d.canAct;
    $("release").hidden = !d.canRelease;
    return { status: d.status, holderId, holder: d.holderName };
  }

  let refreshTimer = null;
  let refreshing = null;
  async function refresh(forceScroll) {
    if (refreshing) { await refreshing; }
    refreshing = (async () => {
      try {
        const doc = await MM.fragment(`tickets/${encodeURIComponent(ticketId)}`);
        const live = doc && doc.getElementById("live-ticket");
        if (!live) { MM.toast(t("error_generic"), true); return null; }
        mergeThread(live.querySelector("#thread"), forceScroll);
        return apply(live);
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }
  function refreshSoon() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => refresh(false), 100);
  }
  setInterval(() => { if (status === "waiting") refreshSoon(); }, 60000);  // "waiting for …"

  // --- actions ------------------------------------------------------------------------------
  function showLost(err) {
    const holder = err.data && err.data.holder;
    const name = holder && typeof holder === "object" ? holder.display_name || holder.name : holder;
    const banner = $("lost");
    banner.textContent = name ? t("claim_lost", { name }) : err.message;
    banner.hidden = false;
    $("claim-banner").hidden = true;
  }

  $("claim").addEventListener("click", async (ev) => {
    const button = ev.currentTarget;
    button.disabled = true;
    try {
      await MM.api("POST", `${base}/claim`);
      $("lost").hidden = true;
      const info = $("info");
      info.textContent = t("claimed_ok");
      info.hidden = false;
      await refresh(true);
      replyText.focus();
      MM.refreshListsSoon();
    } catch (err) {
      if (!(err instanceof MM.ApiError)) throw err;
      if (err.status === 409) { showLost(err); refresh(false); } else MM.toast(err.message, true);
    } finally {
      button.disabled = false;
    }
  });

  function grow() {
    replyText.style.height = "auto";
    replyText.style.height = `${replyText.scrollHeight + 2}px`;
  }
  replyText.addEventListener("input", grow);
  // "typing…" on the youth's side: told to the server at most every 4 s while keys are pressed.
  let typedAt = 0;
  replyText.addEventListener("input", () => {
    if (!replyText.value.trim() || Date.now() - typedAt < 4000) return;
    typedAt = Date.now();
    MM.api("POST", `${base}/typing`).catch(() => {});  // only a hint: never in the way
  });
  replyText.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      replyForm.requestSubmit();
    }
  });

  replyForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = replyText.value.trim();
    if (!text) return;
    const button = replyForm.querySelector("button[type=submit]");
    const done = await MM.busy(button, () => MM.api("POST", `${base}/messages`, { text }));
    if (done === undefined) return;
    replyText.value = "";
    grow();
    replyText.focus();
    await refresh(true);
  });

  $("canned").addEventListener("click", (ev) => {
    const button = ev.target.closest("button[data-text]");
    if (!button) return;
    const insert = button.dataset.text;
    const start = replyText.selectionStart ?? replyText.value.length;
    const end = replyText.selectionEnd ?? replyText.value.length;
    const before = replyText.value.slice(0, start);
    const glue = before && !/\s$/.test(before) ? " " : "";
    replyText.value = before + glue + insert + replyText.value.slice(end);
    const caret = (before + glue + insert).length;
    replyText.focus();
    replyText.setSelectionRange(caret, caret);
    grow();
  });

  function formAction(formId, path, payloadOf, doneText, after) {
    const form = $(formId);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const payload = payloadOf(new FormData(form));
      if (payload === null) return;
      const done = await MM.busy(form.querySelector("button[type=submit]"), () => MM.api("POST", `${base}/${path}`, payload));
      if (done === undefined) return;
      MM.toast(doneText);
      form.reset();
      const details = form.closest("details");
      if (details) details.open = false;
      await refresh(true);
      MM.refreshListsSoon();
      if (after) after();
    });
  }

  formAction("meeting-form", "meetings", (f) => ({
    date: f.get("date"), time: f.get("time"), place: String(f.get("place") || "").trim(),
  }), t("meeting_sent"));

  formAction("transfer-form", "transfer", (f) => {
    const staff = f.get("staff_id");
    const territory = f.get("territory");
    if (staff) return { staff_id: Number(staff) };
    if (territory) return { territory };
    MM.toast(t("transfer_pick_one"), true);
    return null;
  }, t("transfer_done"));

  formAction("release-form", "release", () => ({}), t("release_done"));

  formAction("close-form", "close", (f) => {
    const outcome = f.get("outcome");
    if (!outcome) { MM.toast(t("close_pick_one"), true); return null; }
    return { outcome };
  }, t("close_done"));

  formAction("note-form", "notes", (f) => {
    const text = String(f.get("text") || "").trim();
    return text ? { text } : null;
  }, t("note_added"));

  // --- a youth's data rights (coordinators only: the server checks it too) -----------------
  const eraseButton = $("data-erase");
  if (eraseButton) {
    eraseButton.addEventListener("click", async () => {
      if (!window.confirm(t("data_erase_confirm", { name: firstName }))) return;
      const done = await MM.busy(eraseButton, () => MM.api("POST", `${base}/erase`, { confirm: true }));
      if (done === undefined) return;
      MM.toast(t("data_erased"));
      MM.refreshListsSoon();
      setTimeout(() => location.reload(), 1000);  // show what is left: anonymous counts only
    });
  }

  // --- live -------------------------------------------------------------------------------
  MM.onLive((kind, data) => {
    const ours = String(data.ticket_id) === ticketId || (conversationId && data.conversation_id === conversationId);
    if (kind === "resync") { refreshSoon(); return; }
    if (!ours) return;
    if (kind === "ticket_closed" && data.outcome === "erased" && Number(data.by_staff_id) !== MM.staffId) {
      location.reload();  // a coordinator erased it: drop the lines still on screen
      return;
    }
    if (kind === "ticket_claimed" && status === "waiting" && Number(data.staff_id) !== MM.staffId) {
      refresh(false).then((ticket) => {
        if (ticket && ticket.holderId !== MM.staffId) {
          const info = $("info");
          info.textContent = t("taken_live", { name: ticket.holder || t("who_team") });
          info.hidden = false;
        }
      });
      return;
    }
    if (kind === "ticket_closed" && Number(data.by_staff_id) !== MM.staffId) {
      const info = $("info");
      info.textContent = t("closed_live");
      info.hidden = false;
    }
    refreshSoon();
  });

  scrollToEnd();
})();
