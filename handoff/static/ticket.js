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
  const isCoordinator = main.dataset.coordinator === "yes";
  const base = `/api/tickets/${ticketId}`;
  const $ = (id) => document.getElementById(id);
  const replyForm = $("reply-form");
  const replyText = $("reply-text");
  let status = main.dataset.status;
  let holderId = Number(main.dataset.holderId) || null;

  // --- the thread ----------------------------------------------------------------------
  // Dates in the service's time zone, as the server renders them, whatever the device's.
  const timeZone = document.body.dataset.tz || undefined;
  const dayFormat = new Intl.DateTimeFormat("fr-FR", { weekday: "long", day: "numeric", month: "long", timeZone });
  const timeFormat = new Intl.DateTimeFormat("fr-FR", { hour: "2-digit", minute: "2-digit", timeZone });
  const fullFormat = new Intl.DateTimeFormat("fr-FR", { dateStyle: "full", timeStyle: "short", timeZone });
  const isoDay = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone });
  const dayKey = (d) => isoDay.format(d);

  function dayLabel(d) {
    const today = new Date(MM.now() * 1000);
    const yesterday = new Date(today.getTime() - 86400000);
    if (dayKey(d) === dayKey(today)) return t("today");
    if (dayKey(d) === dayKey(yesterday)) return t("yesterday");
    const text = dayFormat.format(d);
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function failureText(code) {
    if (!code) return t("failure_other", { code: "?" });
    const aliases = { invalid_token: "bad_token", timeout: "network", temporary: "network" };
    const key = aliases[code] || (code.startsWith("http_5") ? "network" : code);
    return `${t("delivery_failed")} : ` + (MM.has(`failure_${key}`) ? t(`failure_${key}`) : t("failure_other", { code }));
  }

  function lineView(m) {
    const kind = ["youth", "bot", "counsellor", "system"].includes(m.author) ? m.author : "system";
    const who = {
      youth: firstName,
      bot: t("who_bot"),
      counsellor: m.staff_id && m.staff_id === MM.staffId ? t("who_you") : (m.staff_name || t("who_team")),
      system: t("who_system"),
    }[kind];
    const failed = m.status === "failed";
    const pending = m.direction === "out" && m.status === "pending";
    let state = "";
    if (kind === "counsellor") state = failed ? t("delivery_failed") : pending ? t("sending") : t("sent");
    else if (failed) state = t("delivery_failed");
    return {
      id: String(m.id), kind, who, text: m.text || "", failed, pending, state,
      failure: failed ? failureText(m.error) : "",
      buttons: (m.buttons || []).map((b) => b.title),
      date: new Date((m.created_at || MM.now()) * 1000),
    };
  }

  function fillLine(node, v) {
    node.className = `msg msg-${v.kind}` + (v.failed ? " is-failed" : "") + (v.pending ? " is-pending" : "");
    node.dataset.id = v.id;
    node.dataset.day = dayKey(v.date);
    node.querySelector(".msg-who").textContent = v.who;
    node.querySelector(".msg-text").textContent = v.text;
    const chips = node.querySelector(".msg-chips");
    chips.replaceChildren(...v.buttons.map((title) => {
      const span = document.createElement("span");
      span.textContent = title;
      return span;
    }));
    chips.hidden = v.buttons.length === 0;
    const time = node.querySelector(".msg-time");
    time.textContent = timeFormat.format(v.date);
    time.dateTime = v.date.toISOString();
    time.title = fullFormat.format(v.date);
    node.querySelector(".msg-status").textContent = v.state;
    const error = node.querySelector(".msg-error");
    error.textContent = v.failure;
    error.hidden = !v.failure;
  }

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

  function renderThread(lines, forceScroll) {
    const atEnd = forceScroll || scrolledToEnd();
    const existing = new Map([...thread.querySelectorAll(".msg")].map((li) => [li.dataset.id, li]));
    let added = false;
    for (const m of lines) {
      const v = lineView(m);
      const node = existing.get(v.id);
      if (node) { fillLine(node, v); continue; }
      const fresh = MM.fromTemplate("msg-template");
      fillLine(fresh, v);
      const last = [...thread.querySelectorAll(".msg")].pop();
      if (!last || last.dataset.day !== fresh.dataset.day) {
        const day = document.createElement("li");
        day.className = "day";
        day.textContent = dayLabel(v.date);
        thread.insertBefore(day, $("thread-empty"));
      }
      thread.insertBefore(fresh, $("thread-empty"));
      added = true;
    }
    $("thread-empty").hidden = thread.querySelector(".msg") !== null;
    if (added && atEnd) scrollToEnd();
  }

  // --- status: who holds it, what this counsellor may do ------------------------------------
  function applyTicket(ticket, conversation) {
    status = ticket.status;
    holderId = MM.holderId(ticket);
    const mine = status === "assigned" && holderId === MM.staffId;
    const pill = $("status-pill");
    if (status === "waiting") {
      pill.className = "pill pill-waiting";
      pill.textContent = t("status_waiting");
    } else if (status === "assigned") {
      pill.className = "pill " + (mine ? "pill-mine" : "pill-assigned");
      pill.textContent = mine ? t("status_assigned_you") : t("status_assigned", { name: ticket.holder || t("who_team") });
    } else {
      pill.className = "pill pill-closed";
      pill.textContent = ticket.outcome
        ? t("status_closed_outcome", { outcome: MM.label("outcome_", ticket.outcome) })
        : t("status_closed");
    }
    $("claim-banner").hidden = status !== "waiting";
    const canReply = mine;
    replyForm.hidden = !canReply;
    const note = $("composer-note");
    note.hidden = canReply;
    note.textContent = status === "waiting" ? t("reply_claim_first")
      : status === "assigned" ? t("reply_not_yours", { name: ticket.holder || t("who_team") })
      : t("reply_closed");
    $("actions").hidden = !(status !== "closed" && (mine || isCoordinator));
    $("meeting").hidden = !canReply;
    $("release").hidden = status !== "assigned";
    const warning = $("window-warning");
    if (warning && conversation) {
      const w = conversation.reply_window;
      warning.hidden = !canReply || !w || w === "open";
      warning.textContent = w === "closed" ? t("window_closed") : t("window_human_agent");
    }
  }

  let refreshTimer = null;
  let refreshing = null;
  async function refresh(forceScroll) {
    if (refreshing) { await refreshing; }
    refreshing = (async () => {
      try {
        const detail = await MM.api("GET", base);
        const ticket = detail.ticket || detail;
        renderThread(detail.thread || detail.messages || [], forceScroll);
        applyTicket(ticket, detail.conversation);
        renderNotes(detail.notes || []);
        renderMeetings(detail.meetings || []);
        return ticket;
      } catch (err) {
        if (!(err instanceof MM.ApiError)) throw err;
        MM.toast(err.message, true);
        return null;
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

  // --- notes and meetings ---------------------------------------------------------------
  function renderNotes(notes) {
    const list = $("notes");
    const known = new Set([...list.children].map((li) => li.dataset.id));
    for (const n of notes) {
      if (known.has(String(n.id))) continue;
      const li = MM.fromTemplate("note-template");
      li.dataset.id = String(n.id);
      li.querySelector(".note-text").textContent = n.text;
      li.querySelector(".note-author").textContent = n.staff_id === MM.staffId ? t("who_you") : (n.staff_name || t("who_team"));
      const d = new Date(n.created_at * 1000);
      li.querySelector(".note-time").textContent = `${dayLabel(d)} ${timeFormat.format(d)}`;
      list.appendChild(li);
    }
    $("notes-empty").hidden = list.children.length > 0;
  }

  function renderMeetings(meetings) {
    const list = $("meetings");
    const lines = meetings.map((m) => t("meeting_line", { date: dateText(m.date), time: m.time, place: m.place }));
    if (lines.length === list.children.length) return;
    list.replaceChildren(...lines.map((text) => {
      const li = document.createElement("li");
      li.textContent = text;
      return li;
    }));
    $("meetings-panel").hidden = lines.length === 0;
  }

  function dateText(iso) {
    const [y, m, d] = String(iso).split("-").map(Number);
    if (!y) return String(iso);
    const text = new Intl.DateTimeFormat("fr-FR", { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" })
      .format(new Date(Date.UTC(y, m - 1, d, 12)));
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

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
        if (ticket && MM.holderId(ticket) !== MM.staffId) {
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
