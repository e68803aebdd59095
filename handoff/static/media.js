// The file form follows the reply form: shown when the counsellor may write (after a claim, say).
(() => {
  const reply = document.getElementById("reply-form");
  const files = document.getElementById("media-form");
  if (!reply || !files) return;
  const follow = () => { files.hidden = reply.hidden; };
  new MutationObserver(follow).observe(reply, { attributes: true, attributeFilter: ["hidden"] });
  follow();
})();
