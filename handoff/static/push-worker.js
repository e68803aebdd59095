// MiloMouv' push worker: shows a push sent by the service, opens its ticket on a click.
// A push carries a title, a short body (a first name at most) and the ticket's link.
"use strict";
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (err) { data = {}; }
  const title = data.title || "MiloMouv'";
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || "",
    tag: data.url || undefined,
    lang: "fr",
    data: { url: data.url || "/handoff/" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/handoff/";
  event.waitUntil((async () => {
    const tabs = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (const tab of tabs) {
      if (tab.url === url && "focus" in tab) return tab.focus();
    }
    return self.clients.openWindow(url);
  })());
});
