// Website chat client: one WebSocket, the conversation id kept in localStorage.
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
  const source = new URLSearchParams(location.search).get("src");
  let ws = null;
  let retry = 0;
  const pending = [];  // sent or not, kept until the server says it saved them

  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/[^A-Za-z0-9-]/g, "");

  function add(author, text) {
    const li = document.createElement("li");
    li.className = author === "youth" ? "youth" : author === "counsellor" ? "counsellor" : "bot";
    li.textContent = text;  // always inert text, never HTML
    log.appendChild(li);
    hint.hidden = true;
    toBottom();
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

  function send(frame) {
    pending.push(frame);  // resent with the same id after a reconnection: never twice
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  }

  function connect() {
    const params = new URLSearchParams();
    const known = localStorage.getItem(KEY);
    if (known) params.set("conversation", known);
    if (source) params.set("src", source);
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    ws = new WebSocket(`${proto}//${location.host}/chat/ws?${params}`);
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
        localStorage.setItem(KEY, data.conversation);
      } else if (data.type === "history") {
        log.replaceChildren();
        let last = null;
        for (const m of data.messages) { add(m.from, m.text); last = m; }
        showButtons(last && last.from !== "youth" ? last.buttons : []);
      } else if (data.type === "message") {
        add(data.from || "bot", data.text);
        showButtons(data.buttons);
      } else if (data.type === "error") {
        status.textContent = data.error === "too_fast"
          ? "Doucement 🙂 attends un peu avant d'écrire encore."
          : "Petit souci de connexion, on réessaie…";
      }
    });
    ws.addEventListener("close", () => {
      status.textContent = "Connexion perdue, on se reconnecte…";
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 500 * 2 ** retry);
    });
  }

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
