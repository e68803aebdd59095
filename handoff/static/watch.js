// MiloMouv' dashboard, every page: alerts on held tickets left unanswered, the "absent" toggle,
// and Web Push on this device (opt-in). Texts come with /api/watch; data only via textContent.
"use strict";
(() => {
  if (!window.MM || !MM.staffId) return;
  let texts = {};
  let absent = false;
  let pushKey = null;
  let timer = null;
  const t = (key, values) => (texts[key] || key).replace(/\{(\w+)\}/g, (whole, name) =>
    values && values[name] !== undefined ? String(values[name]) : whole);
  let textsLoaded;
  // Other scripts of the page (links.js) wait for the texts and share `t`.
  window.MMWatch = { ready: new Promise((resolve) => { textsLoaded = resolve; }), t };

  function place(el) {
    const tools = document.querySelector(".bar-tools");
    const logout = document.getElementById("logout");
    if (tools && logout) tools.insertBefore(el, logout);
  }

  function button(id) {
    let el = document.getElementById(id);
    if (!el) {
      el = document.createElement("button");
      el.type = "button";
      el.className = "btn";
      el.id = id;
      place(el);
    }
    return el;
  }

  // --- alerts ---------------------------------------------------------------------------
  function showAlerts(alerts) {
    let box = document.getElementById("watch-alerts");
    if (!box) {
      box = document.createElement("div");
      box.id = "watch-alerts";
      box.className = "watch-alerts";
      box.setAttribute("role", "alert");
      const bar = document.querySelector("header.bar");
      if (bar) bar.after(box); else document.body.prepend(box);
    }
    box.replaceChildren();
    for (const a of alerts) {
      const line = document.createElement("p");
      line.className = "banner banner-lost watch-alert";
      line.dataset.ticketId = a.ticket_id;
      line.dataset.step = a.step;
      const text = document.createElement("span");
      text.textContent = a.text;
      const open = document.createElement("a");
      open.className = "btn";
      open.href = a.url;
      open.textContent = t("watch.open");
      line.append(text, " ", open);
      box.append(line);
    }
    box.hidden = alerts.length === 0;
  }

  // --- absent toggle ----------------------------------------------------------------------
  function showAbsence(minutes) {
    const el = button("absence");
    el.textContent = absent ? t("watch.absent_unmark") : t("watch.absent_mark");
    el.setAttribute("aria-pressed", absent ? "true" : "false");
    el.dataset.minutes = String(minutes);
    if (!el.dataset.ready) {
      el.dataset.ready = "yes";
      el.addEventListener("click", () => MM.busy(el, async () => {
        const data = await MM.api("PUT", "/api/me/absence", { absent: !absent });
        absent = data.absent;
        showAbsence(minutes);
        MM.toast(absent ? t("watch.absent_on", { minutes }) : t("watch.absent_off"));
      }));
    }
  }

  // --- Web Push on this device ------------------------------------------------------------
  const pushable = () => "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

  function keyBytes(key) {
    const b64 = (key + "=".repeat((4 - key.length % 4) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  }

  async function currentSubscription() {
    const reg = await navigator.serviceWorker.getRegistration("/handoff/");
    return reg ? reg.pushManager.getSubscription() : null;
  }

  async function showPush() {
    if (!pushKey || !pushable()) return;
    const el = button("push");
    const sub = await currentSubscription();
    el.textContent = sub ? t("push.disable") : t("push.enable");
    el.setAttribute("aria-pressed", sub ? "true" : "false");
    if (el.dataset.ready) return;
    el.dataset.ready = "yes";
    el.addEventListener("click", () => MM.busy(el, async () => {
      const existing = await currentSubscription();
      if (existing) {
        await MM.api("DELETE", "/api/push/subscriptions", { endpoint: existing.endpoint });
        await existing.unsubscribe();
        MM.toast(t("push.disabled"));
      } else {
        if (await Notification.requestPermission() !== "granted") { MM.toast(t("push.denied"), true); return; }
        const reg = await navigator.serviceWorker.register("/handoff/push-worker.js", { scope: "/handoff/" });
        await navigator.serviceWorker.ready;
        let sub;
        try {
          sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(pushKey) });
        } catch (err) {
          MM.toast(t("push.unsupported"), true);
          return;
        }
        await MM.api("POST", "/api/push/subscriptions", sub.toJSON());
        MM.toast(t("push.enabled"));
      }
      await showPush();
    }));
  }

  async function refresh() {
    try {
      const data = await MM.api("GET", "/api/watch");
      texts = data.texts || {};
      textsLoaded();
      absent = Boolean(data.absent);
      pushKey = data.push_key;
      showAlerts(data.alerts || []);
      showAbsence(data.absent_minutes);
      await showPush();
    } catch (err) {
      if (!(err instanceof MM.ApiError)) throw err;
    }
  }
  const refreshSoon = () => { clearTimeout(timer); timer = setTimeout(refresh, 200); };

  document.addEventListener("DOMContentLoaded", () => {
    MM.onLive((kind) => {
      if (kind === "ticket_alert" || kind === "message" || kind === "resync" || kind.startsWith("ticket_")) refreshSoon();
    });
    refresh();
  });
})();
