// The search page: Pagefind's UI over the index's shards, filtered by person and verdict, each result
// with its verdict badge and speaker, fed by ?q= from the search box.
(() => {
  "use strict";
  const element = document.getElementById("search");
  if (!element) return;
  const unavailable = () => {
    element.hidden = true;
    document.getElementById("search-unavailable").hidden = false;
  };
  // Opened from the disk, the browser lets no page read the index: say so rather than search forever.
  if (location.protocol === "file:" || typeof PagefindUI === "undefined") return unavailable();
  // The folders of the index and of the site, found from this page's own relative links, so that
  // search works wherever the site is hosted, under any sub-path.
  const folder = new URL(".", new URL(element.dataset.bundle, location.href));
  const home = new URL(".", new URL(element.dataset.home, location.href)).pathname;
  const labels = JSON.parse(element.dataset.verdicts);
  const tones = JSON.parse(element.dataset.tones);
  fetch(new URL("bundles.json", folder))
    .then((response) => {
      if (!response.ok) throw new Error(response.statusText);
      return response.json();
    })
    .then((listing) => {
      // Each language has shards of its own: search the page's language's, or, in a language with no
      // check of its own, the first language's, whose results then say which language they are in.
      const own = document.documentElement.lang; // as site.yaml spells it, as bundles.json does
      const language = listing.bundles[own] ? own : Object.keys(listing.bundles)[0];
      const bundles = (listing.bundles[language] || []).map((bundle) => new URL(bundle, folder).pathname);
      start(bundles, language !== own && language);
    })
    .catch(unavailable);

  const escape = (text) =>
    String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

  // Each result leads with its verdict, as a badge in the scale's colour, and who made the claim.
  function describe(result) {
    const { speaker, ...meta } = result.meta;
    const verdict = (result.filters.verdict || [])[0];
    const tone = tones[labels.indexOf(verdict)];
    const badge = verdict ? `<span class="badge tone-${escape(tone || "none")}">${escape(verdict)}</span> ` : "";
    const who = speaker ? `<span class="result-speaker">${escape(speaker)}</span>: ` : "";
    return { ...result, meta, excerpt: `<span class="result-lead">${badge}${who}</span>${result.excerpt}` };
  }

  // Pagefind lists a filter's values in its own order: show the verdicts in the scale's order; and
  // results (and their filters) from another language's index are marked with their language.
  function tidy(language) {
    if (language) {
      for (const part of element.querySelectorAll(".pagefind-ui__results, .pagefind-ui__filter-panel")) {
        if (part.lang !== language) part.lang = language;
      }
    }
    for (const box of element.querySelectorAll('input.pagefind-ui__filter-checkbox[name="verdict"]')) {
      const rank = labels.indexOf(box.value);
      const row = box.closest(".pagefind-ui__filter-value");
      if (row && row.style.order !== String(rank)) row.style.order = String(rank);
    }
  }

  // The index comes in shards (pagefind/<n>/, pagefind/<code>/<n>/ in another language), so that a
  // build re-indexes only the shards whose claims changed; Pagefind searches the first of the
  // language's and merges the others into its results. ``language``: the shards' language when it is
  // not the page's.
  function start(bundles, language) {
    const search = new PagefindUI({
      element: "#search",
      bundlePath: bundles[0],
      mergeIndex: bundles.slice(1).map((bundlePath) => ({ bundlePath, baseUrl: home })),
      baseUrl: home,
      showSubResults: false,
      showImages: false,
      resetStyles: false,
      processResult: describe,
    });
    new MutationObserver(() => tidy(language)).observe(element, { childList: true, subtree: true });
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
  }
})();
