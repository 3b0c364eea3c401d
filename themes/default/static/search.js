// The search page: Pagefind's UI, filtered by person and verdict, fed by ?q= from the search box.
(() => {
  "use strict";
  const element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") return;
  const search = new PagefindUI({
    element: "#search",
    // The folders of the bundle and of the site, found from this page's own relative links, so that
    // search works wherever the site is hosted, under any sub-path.
    bundlePath: new URL(".", new URL(element.dataset.bundle, location.href)).pathname,
    baseUrl: new URL(".", new URL(element.dataset.home, location.href)).pathname,
    showSubResults: false,
    showImages: false,
    resetStyles: false,
  });
  // Pagefind's box has only a title: give it a visible label, as every form field needs.
  const input = element.querySelector(".pagefind-ui__search-input");
  if (input) {
    input.id = "search-query";
    const label = document.createElement("label");
    label.htmlFor = input.id;
    label.className = "search-label";
    label.textContent = element.dataset.label; // the theme's words, in the page's language
    element.prepend(label);
  }
  const query = new URLSearchParams(location.search).get("q");
  if (query) search.triggerSearch(query);
})();
