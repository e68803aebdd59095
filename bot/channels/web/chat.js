// Website chat client: one WebSocket, the conversation id kept in this origin's storage (also
// when framed by a partner's site through widget.js: the frame keeps its own storage).
"use strict";
(() => {
  const KEY = "milomouv.conversation";
  const chat = document.getElementById("chat");
  const log = document.getElementById("log");
  const buttons = document.getElementById("buttons");
  const hint = document.getElementById("hint");
  const status = document.getElementById("status");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  const forget = document.getElementById("forget");
  const query = new URLSearchParams(location.search);
  const source = query.get("src");
  if (query.get("embed") === "1") document.documentElement.classList.add("embedded");
  let ws = null;
  let retry = 0;
  let idle = false;  // the server closed a silent socket: reconnect when the youth acts again
  const pending = [];  // sent or not, kept until the server says it saved them

  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/[^A-Za-z0-9-]/g, "");

  function add(author, text, media) {
    const li = document.createElement("li");
    li.className = author === "youth" ? "youth" : author === "counsellor" ? "counsellor" : "bot";
    li.textContent = text;  // always inert text, never HTML
    if (media && /^\/chat\/media\/[A-Za-z0-9_-]+$/.test(media.url)) li.appendChild(file(media));
    log.appendChild(li);
    hint.hidden = true;
    toBottom();
  }

  function file(media) {
    const a = document.createElement("a");
    a.className = "file";
    a.href = media.url;
    if (media.kind === "image") {
      a.target = "_blank";
      const img = document.createElement("img");
      img.src = media.url;
      img.alt = media.label;
      img.addEventListener("load", toBottom);
      a.appendChild(img);
    } else {
      a.download = "";
      a.textContent = media.label;
    }
    return a;
  }

  function toBottom() {
    chat.scrollTop = chat.scrollHeight;  // the newest message and its buttons in view
  }

  function showButtons(list) {
    buttons.replaceChildren();
    for (const b of list || []) {
      const el = document.createElement("button");
      el.type = "button";
      el.textContent = b.title;
      el.addEventListener("click", () => {
        add("youth", b.title);
        showButtons([]);
        send({ type: "button", payload: b.payload, id: newId() });
      });
      buttons.appendChild(el);
    }
    toBottom();
  }

  // Where the conversation id is kept. Standalone: localStorage. Framed on a partner's site,
  // browsers refuse third-party storage, so the frame keeps it in a partitioned cookie: its
  // own, readable only by this frame under that one site, sent nowhere else. Refused both ways,
  // the conversation lasts as long as the page.
  const framed = window.top !== window;
  const COOKIE = "milomouv_chat";
  const cookieTail = "; Path=/; SameSite=None; Secure; Partitioned";
  let memory = null;
  const store = framed ? {
    get() {
      const found = document.cookie.match(/(?:^|; )milomouv_chat=([A-Za-z0-9_-]+)/);
      return found ? found[1] : memory;
    },
    set(v) { memory = v; document.cookie = `${COOKIE}=${v}; Max-Age=31536000${cookieTail}`; },
    clear() { memory = null; document.cookie = `${COOKIE}=; Max-Age=0${cookieTail}`; },
  } : {
    get() { try { return localStorage.getItem(KEY); } catch { return memory; } },
    set(v) { memory = v; try { localStorage.setItem(KEY, v); } catch { /* memory only */ } },
    clear() { memory = null; try { localStorage.removeItem(KEY); } catch { /* nothing kept */ } },
  };

  function send(frame) {
    pending.push(frame);  // resent with the same id after a reconnection: never twice
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
    else if (idle) { idle = false; connect(); }
  }

  function connect() {
    const params = new URLSearchParams();
    const known = store.get();
    if (known) params.set("conversation", known);
    if (source) params.set("src", source);
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = ws = new WebSocket(`${proto}//${location.host}/chat/ws?${params}`);
    ws.addEventListener("open", () => {
      retry = 0;
      status.textContent = "";
      for (const frame of pending) ws.send(JSON.stringify(frame));
    });
    ws.addEventListener("message", (ev) => {
      const data = JSON.parse(ev.data);
      if (data.type === "ack") {
        const i = pending.findIndex((f) => f.id === data.id);
        if (i >= 0) pending.splice(i, 1);
      } else if (data.type === "session") {
        store.set(data.conversation);
      } else if (data.type === "history") {
        log.replaceChildren();
        let last = null;
        for (const m of data.messages) { add(m.from, m.text, m.media); last = m; }
        showButtons(last && last.from !== "youth" ? last.buttons : []);
      } else if (data.type === "message") {
        add(data.from || "bot", data.text, data.media);
        showButtons(data.buttons);
      } else if (data.type === "error") {
        if (data.error === "too_many_conversations") pending.length = 0;
        status.textContent = data.text || (data.error === "too_fast"
          ? "Doucement 🙂 attends un peu avant d'écrire encore."
          : "Petit souci de connexion, on réessaie…");
      }
    });
    ws.addEventListener("close", (ev) => {
      if (socket !== ws) return;  // replaced on purpose (the youth asked to forget)
      if (ev.reason === "idle") { idle = true; return; }
      status.textContent = "Connexion perdue, on se reconnecte…";
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 500 * 2 ** retry);
    });
  }

  // Framed by widget.js: Escape closes the bubble's panel too (only a message, no data).
  if (framed) {
    document.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") window.parent.postMessage({ milomouv: "close" }, "*");
    });
  }

  // A shared device (library, youth centre): nothing of this conversation stays on it.
  forget.addEventListener("click", () => {
    store.clear();
    pending.length = 0;
    log.replaceChildren();
    showButtons([]);
    hint.hidden = false;
    status.textContent = "Conversation oubliée sur cet appareil.";
    const old = ws;
    ws = null;
    if (old) old.close();
    idle = false;
    connect();
  });

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    add("youth", text);
    showButtons([]);
    send({ type: "message", text, id: newId() });
    input.value = "";
    input.focus();
  });

  connect();
})();
