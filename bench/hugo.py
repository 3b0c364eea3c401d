"""The same corpus as a Hugo site, to time Hugo on this machine in the same run.

The pages match what digest builds at the core: one per claim (claim, verdict, summary,
analysis, sources), one per person, verdict, tag and outlet listing its claims, and a home page
with the latest checks; Hugo adds its own RSS feeds and sitemap.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<meta name="description" content="{{ .Params.summary }}"><link rel="canonical" href="{{ .Permalink }}"></head>
<body><header><a href="{{ "" | relURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ site.Title }}</footer></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<blockquote>{{ .Params.claim }}</blockquote>
<p>{{ range .GetTerms "verdicts" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
<p>{{ range .GetTerms "people" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
<p>{{ .Params.summary }}</p>
<section>{{ .Content }}</section>
<ol>{{ range .Params.sources }}<li>{{ .title }}, {{ .outlet }}</li>{{ end }}</ol>
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<ul>{{ range .Params.related }}{{ with site.GetPage (printf "/claims/%s" .) }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul>
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<p>{{ range .GetTerms "verdicts" }}{{ .LinkTitle }}{{ end }} · {{ .Date.Format "2 January 2006" }}</p>
<p>{{ .Params.summary }}</p></li>{{ end }}</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ site.Title }}</h1><ul>
{{ range first 20 (where site.RegularPages "Section" "claims") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<p>{{ .Params.summary }}</p></li>{{ end }}</ul>{{ end }}
""",
}


def write_hugo_site(corpus: Path, target: Path) -> Path:
    """Convert a digest content folder (from bench.corpus) into a Hugo site at target."""
    if target.exists():
        shutil.rmtree(target)
    (target / "content" / "claims").mkdir(parents=True)
    (target / "hugo.json").write_text(
        json.dumps(
            {
                "baseURL": "https://example.org/bench/",
                "title": "Synthetic Digest",
                "taxonomies": {"person": "people", "verdict": "verdicts", "tag": "tags", "outlet": "outlets"},
                "disableKinds": [],
                "markup": {"goldmark": {"renderer": {"unsafe": False}}},
            }
        )
    )
    for name, text in LAYOUTS.items():
        path = target / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for source in sorted((corpus / "claims").rglob("*.md")):
        text = source.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        data = yaml.safe_load(front)
        converted = {
            "title": data["title"],
            "date": str(data["published"]),
            "claim": data["claim"],
            "summary": data["summary"],
            "people": [data["person"], *(data.get("people") or [])],
            "verdicts": [str(data["verdict"]).lower()],
            "tags": data.get("tags") or [],
            "outlets": sorted({s["outlet"] for s in data["sources"]}),
            "sources": [{"title": s["title"], "outlet": s["outlet"]} for s in data["sources"]],
            "related": data.get("related") or [],
        }
        (target / "content" / "claims" / source.name).write_text(
            "---\n" + json.dumps(converted) + "\n---\n" + body, encoding="utf-8"
        )
    return target
