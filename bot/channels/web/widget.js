// The chat bubble for partners' sites: <script src="https://…/widget.js" data-src="CODE" async>.
// It only adds a button and an iframe of the chat page; the conversation lives in the iframe's
// own storage, so it follows the youth from page to page of the host site.
"use strict";
(() => {
  const TEXTS = __TEXTS__;
  const script = document.currentScript || document.querySelector('script[src$="/widget.js"]');
  if (!script || window.__milomouvWidget) return;
  window.__milomouvWidget = true;
  const base = new URL(script.src).origin;
  const code = (script.dataset.src || "").replace(/[^A-Za-z0-9_-]/g, "").slice(0, 64);
  const BRAND = "#6a2c91";

  const bubble = document.createElement("button");
  bubble.type = "button";
  bubble.id = "milomouv-bubble";
  bubble.textContent = "💬";
  bubble.setAttribute("aria-label", TEXTS.open);
  bubble.setAttribute("aria-expanded", "false");
  bubble.setAttribute("aria-controls", "milomouv-panel");
  Object.assign(bubble.style, {
    position: "fixed", right: "16px", bottom: "16px", zIndex: "2147483000",
    width: "60px", height: "60px", borderRadius: "50%", border: "0", cursor: "pointer",
    background: BRAND, color: "#fff", fontSize: "28px", lineHeight: "60px", padding: "0",
    boxShadow: "0 2px 10px rgba(0,0,0,.3)",
  });

  const panel = document.createElement("div");
  panel.id = "milomouv-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", TEXTS.frame_title);
  panel.hidden = true;

  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "×";
  close.setAttribute("aria-label", TEXTS.close);
  Object.assign(close.style, {
    position: "absolute", top: "6px", right: "8px", width: "44px", height: "44px",
    border: "0", borderRadius: "50%", background: "rgba(255,255,255,.2)", color: "#fff",
    fontSize: "26px", cursor: "pointer", zIndex: "1",
  });

  let frame = null;
  const phone = window.matchMedia("(max-width: 480px)");
  function place() {
    const full = phone.matches;
    Object.assign(panel.style, {
      position: "fixed", zIndex: "2147483001", background: "#fff", overflow: "hidden",
      boxShadow: "0 4px 24px rgba(0,0,0,.3)",
      right: full ? "0" : "16px", bottom: full ? "0" : "88px",
      width: full ? "100%" : "380px", height: full ? "100%" : "min(600px, calc(100vh - 110px))",
      borderRadius: full ? "0" : "12px",
    });
  }

  function open() {
    if (!frame) {
      frame = document.createElement("iframe");
      const url = new URL("/", base);
      url.searchParams.set("embed", "1");
      if (code) url.searchParams.set("src", code);
      frame.src = url.href;
      frame.title = TEXTS.frame_title;
      Object.assign(frame.style, { border: "0", width: "100%", height: "100%", display: "block" });
      panel.appendChild(frame);
    }
    place();
    panel.hidden = false;
    bubble.setAttribute("aria-expanded", "true");
    bubble.setAttribute("aria-label", TEXTS.close);
    frame.focus();
  }

  function hide() {
    panel.hidden = true;
    bubble.setAttribute("aria-expanded", "false");
    bubble.setAttribute("aria-label", TEXTS.open);
    bubble.focus();
  }

  bubble.addEventListener("click", () => (panel.hidden ? open() : hide()));
  close.addEventListener("click", hide);
  panel.addEventListener("keydown", (ev) => { if (ev.key === "Escape") hide(); });
  window.addEventListener("message", (ev) => {  // Escape pressed inside the chat frame
    if (ev.origin === base && ev.data && ev.data.milomouv === "close" && !panel.hidden) hide();
  });
  phone.addEventListener("change", place);
  panel.appendChild(close);
  const mount = () => { document.body.appendChild(panel); document.body.appendChild(bubble); };
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
