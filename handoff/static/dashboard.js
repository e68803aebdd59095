// MiloMouv' team dashboard, shared by every page: texts, JSON API calls, clocks, live events.
// Data from youths is only ever written with textContent, never parsed as HTML.
"use strict";
window.MM = (() => {
  const body = document.body;
  const texts = JSON.parse(document.getElementById("mm-texts").textContent);
  const serverOffset = Number(body.dataset.serverNow || 0) * 1000 - Date.now();
  const staffId = Number(body.dataset.staffId || 0) || null;

  /** A catalogue text with its {placeholders} filled in. */
  function t(key, values) {
    const text = texts[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name) =>
      values && values[name] !== undefined && values[name] !== null ? String(values[name]) : whole);
  }

  const has = (key) => key in texts;

  /** Seconds since the epoch on the server's clock. */
  const now = () => (Date.now() + serverOffset) / 1000;

  // --- JSON API -------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, data) {
      super((data && data.error) || t(status === 0 ? "error_network" : "error_generic"));
      this.status = status;
      this.data = data || {};
    }
  }

  function loginUrl() {
    const next = location.pathname + location.search;
    return "/handoff/login?next=" + encodeURIComponent(next) + "&expired=1";
  }

  async function api(method, path, payload) {
    const headers = { Accept: "application/json" };
    if (method !== "GET") {
      const meta = document.querySelector('meta[name="csrf-token"]');
      headers["X-CSRF-Token"] = meta ? meta.content : "";
    }
    if (payload !== undefined) headers["Content-Type"] = "application/json";
    let resp;
    try {
      resp = await fetch(path, {
        method, headers, credentials: "same-origin", cache: "no-store",
        body: payload === undefined ? undefined : JSON.stringify(payload),
      });
    } catch (err) {
      throw new ApiError(0, null);
    }
    let data = null;
    try { data = await resp.json(); } catch (err) { data = null; }
    if (resp.status === 401 && staffId) {
      location.assign(loginUrl());
    }
    if (!resp.ok) throw new ApiError(resp.status, data);
    return data;
  }

  // --- small UI helpers -------------------------------------------------------------
  let toastTimer = null;
  function toast(message, isError) {
    const el = document.getElementById("toast");
    if (!el) return;
    el.textContent = message;
    el.classList.toggle("is-error", !!isError);
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { el.hidden = true; }, isError ? 7000 : 4000);
  }

  /** Run an API action from a form or button: disabled while in flight, errors shown. */
  async function busy(control, action) {
    if (control) control.disabled = true;
    try {
      return await action();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      toast(err.message, true);
      return undefined;
    } finally {
      if (control) control.disabled = false;
    }
  }

  // --- server-rendered fragments ---------------------------------------------------
  /** A fragment of the dashboard, parsed (our own autoescaped HTML); null when unavailable. */
  async function fragment(path) {
    let resp;
    try {
      resp = await fetch("/handoff/fragments/" + path, { credentials: "same-origin", cache: "no-store" });
    } catch (err) {
      return null;
    }
    if (resp.status === 401 && staffId) location.assign(loginUrl());
    if (!resp.ok) return null;
    return new DOMParser().parseFromString(await resp.text(), "text/html");
  }

  // A new ticket: a browser notification when the counsellor allowed them (any page).
  async function announce(ticketId) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    const doc = await fragment(`cards/${encodeURIComponent(ticketId)}`);
    const card = doc && doc.getElementById("card");
    if (card) notify(card.dataset.notifyTitle, card.dataset.notifyBody, card.dataset.url);
  }

  // --- live events -------------------------------------------------------------------
  const LIVE_KINDS = [
    "ticket_opened", "ticket_updated", "ticket_claimed", "ticket_released", "ticket_transferred",
    "ticket_closed", "ticket_alert", "message", "delivered", "delivery_failed", "note_added",
    "meeting_proposed", "seen", "media",
  ];
  const listeners = [];
  function onLive(fn) { listeners.push(fn); }
  function dispatch(kind, data) {
    for (const fn of listeners) {
      try { fn(kind, data || {}); } catch (err) { console.error(err); }
    }
  }

  function connectLive() {
    const badge = document.getElementById("live");
    if (!staffId || !window.EventSource) return;
    const source = new EventSource("/api/events");
    let wasDown = false;
    const setState = (on) => {
      if (!badge) return;
      badge.classList.toggle("is-off", !on);
      badge.textContent = on ? badge.dataset.on : badge.dataset.off;
    };
    source.addEventListener("open", () => {
      setState(true);
      if (wasDown) dispatch("resync", {});  // events may have been missed meanwhile
      wasDown = false;
    });
    source.addEventListener("error", () => {
      setState(false);
      wasDown = true;
      if (source.readyState === EventSource.CLOSED) {
        // Refused outright (session over, server restarting): check the session, then retry.
        setTimeout(async () => {
          try { await api("GET", "/api/me"); } catch (err) { /* 401 redirects to sign-in */ }
          connectLive();
          dispatch("resync", {});
        }, 5000);
      }
    });
    const handle = (kind) => (ev) => {
      let data = {};
      try { data = JSON.parse(ev.data); } catch (err) { return; }
      dispatch(kind || data.kind || data.type || "message", data);
    };
    for (const kind of LIVE_KINDS) source.addEventListener(kind, handle(kind));
    source.onmessage = handle(null);
    window.addEventListener("pagehide", () => source.close());
  }

  // --- counts in the top bar ----------------------------------------------------------
  let countsTimer = null;
  const countWatchers = [];
  function onLists(fn) { countWatchers.push(fn); }

  async function refreshLists() {
    if (!staffId) return;
    const list = document.getElementById("tickets");
    const name = list && list.dataset.list === "mine" ? "mine" : "queue";
    const scope = new URLSearchParams(location.search).get("structure");  // "all": arrival order
    const extra = scope ? `&structure=${encodeURIComponent(scope)}` : "";
    const doc = await fragment(`cards?list=${name}${extra}`);
    const fresh = doc && doc.getElementById("tickets");
    if (!fresh) return;
    setCount("count-waiting", Number(fresh.dataset.countWaiting), true);
    setCount("count-mine", Number(fresh.dataset.countMine), false);
    for (const fn of countWatchers) fn(fresh, name);
  }
  function refreshListsSoon() {
    clearTimeout(countsTimer);
    countsTimer = setTimeout(refreshLists, 150);
  }

  function setCount(id, n, hot) {
    const el = document.getElementById(id);
    if (!el) return;
    el.textContent = String(n);
    if (hot) el.classList.toggle("is-hot", n > 0);
    if (hot) {
      const base = document.title.replace(/^\(\d+\)\s*/, "");
      document.title = n > 0 ? `(${n}) ${base}` : base;
    }
  }

  // --- browser notifications: asked on a click, never on load ----------------------------
  function setupNotifications() {
    const button = document.getElementById("notify");
    if (!button || !("Notification" in window)) return;
    const update = () => { button.hidden = Notification.permission !== "default"; };
    update();
    button.addEventListener("click", async () => {
      const answer = await Notification.requestPermission();
      update();
      toast(answer === "granted" ? t("notify_enabled") : t("notify_denied"), answer !== "granted");
    });
  }

  function notify(title, text, url) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    try {
      const n = new Notification(title, { body: text, tag: url, lang: "fr" });
      n.addEventListener("click", () => { window.focus(); location.assign(url); n.close(); });
    } catch (err) {
      // Some mobile browsers only notify from a service worker: the highlight is enough there.
    }
  }

  function setupLogout() {
    const button = document.getElementById("logout");
    if (!button) return;
    button.addEventListener("click", async () => {
      button.disabled = true;
      try { await api("DELETE", "/api/session"); } catch (err) { /* gone anyway */ }
      location.assign("/handoff/login?bye=1");
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    setupLogout();
    setupNotifications();
    setInterval(refreshListsSoon, 60000);  // the server's "waiting for …" labels move on
    onLive((kind) => {
      if (kind.startsWith("ticket_") || kind === "resync") refreshListsSoon();
    });
    onLive((kind, data) => { if (kind === "ticket_opened" && data.ticket_id) announce(data.ticket_id); });
    connectLive();
  });

  return {
    t, has, now, api, ApiError, toast, busy, fragment, onLive, onLists, refreshLists,
    refreshListsSoon, notify, staffId, loginUrl,
  };
})();
