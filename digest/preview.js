// Live reload for `digest serve`: added to served pages only, never to the built site.
(() => {
  "use strict";
  const base = document.currentScript.dataset.base;
  const here = (() => {
    let path = decodeURIComponent(location.pathname);
    if (path.startsWith(base)) path = path.slice(base.length);
    return path === "" || path.endsWith("/") ? path + "index.html" : path;
  })();
  let overlay = null;

  function showErrors(errors) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "digest-preview-errors";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#1b1b1b;color:#ffd7d5;border-top:4px solid #d1242f;padding:1rem 1.25rem;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;box-shadow:0 -4px 24px rgba(0,0,0,.4)";
      document.body.appendChild(overlay);
    }
    overlay.replaceChildren();
    const title = document.createElement("strong");
    title.textContent = `The site has ${errors.length} error${errors.length === 1 ? "" : "s"}; showing the last good version.`;
    const list = document.createElement("pre");
    list.style.cssText = "white-space:pre-wrap;margin:.5rem 0 0";
    list.textContent = errors.join("\n");
    overlay.append(title, list);
  }

  function hideErrors() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function swapStylesheets() {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("digest-reload", Date.now().toString());
      link.href = url.href;
    }
  }

  const events = new EventSource("/__digest__/events");
  events.addEventListener("failed", (event) => showErrors(JSON.parse(event.data).errors));
  events.addEventListener("built", (event) => {
    const data = JSON.parse(event.data);
    hideErrors();
    if (data.stylesheets_only) swapStylesheets();
    else if (data.changed.includes(here)) location.reload();
  });
})();
