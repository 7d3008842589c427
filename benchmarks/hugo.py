"""The Hugo reference of bench.py: the same pages as the plain reference, built by Hugo.

Hugo is the generator people pick for large static sites; building the very same pages with it
shows how far this project is from it per page. `write_project` writes a Hugo project from the
same plan as bench.make_reference (spmlib.site.pagekinds.plan_pages), with the same Markdown
(plain_pages.markdown_page) and the hand-written pages of docs/, in Hugo's multilingual mode:
English at the root, fr/, es/, pt/ as in our site, one content directory per language.

The layouts are written here (no theme, no network) and are minimal but do what our pages do
on every page: a head with the title, description, canonical address and language alternates,
a language switcher, the whole navigation (the same tree as ours, as a Hugo menu, with the
current page marked), then the page's content. Links between pages are written to source files
("/resources/x.md") and resolved by a link render hook, as MkDocs resolves them; a link to a
page that does not exist fails the build. Like our site, each language gets a sitemap, a feed
of the newest 50 additions and a search index (search/search_index.json: title, address and
text of every page). Hugo's defaults are kept otherwise: no --minify, absolute paths from the
site root rather than relative links.

    python -m benchmarks.hugo 500 /tmp/hugo-500   # generate, write the project, build, report
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import time
from pathlib import Path

from benchmarks.generate import generate
from benchmarks.plain_pages import markdown_page
from spmlib.model.catalogue import load_catalogue
from spmlib.model.taxonomy import load_taxonomy
from spmlib.site.feeds import FEED_SIZE
from spmlib.site.pagekinds import by_name, generated, plan_pages

ROOT = Path(__file__).resolve().parent.parent

LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="{{ .Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} - {{ end }}{{ .Site.Title }}</title>
<meta name="description" content="{{ .Site.Params.description }}">
<link rel="canonical" href="{{ .Permalink }}">
{{- range .AllTranslations }}
<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{- end }}
{{- with .Site.Home.OutputFormats.Get "rss" }}
<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}" title="{{ $.Site.Title }}">
{{- end }}
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header>
<a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
<nav class="languages"><ul>
{{- range .AllTranslations }}
<li><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}" lang="{{ .Language.Lang }}"
{{- if eq .Language.Lang $.Language.Lang }} aria-current="true"{{ end }}>{{ .Language.LanguageName }}</a></li>
{{- end }}
</ul></nav>
</header>
<nav class="site">{{ partial "nav.html" (dict "menu" .Site.Menus.main "page" .) }}</nav>
<main>{{ block "main" . }}{{ .Content }}{{ end }}</main>
</body>
</html>
""",
    # Sections and the home page: their Markdown already lists their members.
    "_default/list.html": '{{ define "main" }}{{ .Content }}{{ end }}\n',
    "_default/single.html": '{{ define "main" }}{{ .Content }}{{ end }}\n',
    "partials/nav.html": """<ul>
{{- range .menu }}
<li>{{ if .URL }}<a href="{{ .URL }}"{{ if $.page.IsMenuCurrent "main" . }} aria-current="page"{{ end }}>{{ .Name }}</a>
{{- else }}<span>{{ .Name }}</span>{{ end }}
{{- if .HasChildren }}{{ partial "nav.html" (dict "menu" .Children "page" $.page) }}{{ end }}</li>
{{- end }}
</ul>""",
    # Links to source files ("/resources/x.md", "dimensions/index.md") become the page's address
    # in the same language, as MkDocs resolves them; a missing page fails the build.
    "_default/_markup/render-link.html": """
{{- $dest := .Destination -}}
{{- $url := urls.Parse $dest -}}
{{- if and (not $url.Scheme) (strings.HasSuffix $url.Path ".md") -}}
  {{- $path := $url.Path -}}
  {{- if not (strings.HasPrefix $path "/") }}{{ $path = path.Join "/" .Page.File.Dir $path }}{{ end -}}
  {{- $path = strings.TrimSuffix "/index" (strings.TrimSuffix ".md" $path) -}}
  {{- with .Page.GetPage (default "/" $path) -}}
    {{- $dest = .RelPermalink -}}
  {{- else -}}
    {{- errorf "%s: link to a page that does not exist: %s" $.Page.File.Path $.Destination -}}
  {{- end -}}
  {{- with $url.Fragment }}{{ $dest = printf "%s#%s" $dest . }}{{ end -}}
{{- end -}}
<a href="{{ $dest }}"{{ with .Title }} title="{{ . }}"{{ end }}>{{ .Text | safeHTML }}</a>
""",
    # The search index of each language, like MkDocs' search/search_index.json.
    "index.searchindex.json": """{"docs":[
{{- range $i, $p := .Site.Pages -}}
{{ if $i }},{{ end }}{{ dict "location" $p.RelPermalink "title" $p.Title "text" $p.Plain | jsonify }}
{{- end -}}
]}
""",
}

STYLE = """body{font-family:system-ui,sans-serif;line-height:1.5;margin:0 auto;max-width:60rem;padding:0 1rem}
header{display:flex;flex-wrap:wrap;justify-content:space-between;gap:1rem}
nav ul{list-style:none;padding-left:1rem}
.languages ul{display:flex;gap:.5rem}
[aria-current]{font-weight:bold}
"""


def binary() -> str | None:
    """The `hugo` command (Debian package `hugo`), or None when it is not installed."""
    return shutil.which("hugo")


def site_languages(root: Path = ROOT) -> list[dict]:
    """The languages of mkdocs.yml's i18n plugin (locale, name, site name and description), default first."""
    from mkdocs.utils.yaml import yaml_load

    with open(root / "mkdocs.yml", encoding="utf-8") as handle:
        config = yaml_load(handle)
    i18n = next(plugin["i18n"] for plugin in config["plugins"] if isinstance(plugin, dict) and "i18n" in plugin)
    languages = []
    for entry in sorted(i18n["languages"], key=lambda entry: not entry.get("default", False)):
        languages.append(
            {
                "lang": entry["locale"],
                "name": entry["name"],
                "site_name": entry.get("site_name", config["site_name"]),
                "description": " ".join(entry.get("site_description", config.get("site_description", "")).split()),
            }
        )
    return languages


def content_path(source: str) -> str:
    """Where a MkDocs source path goes in a Hugo content directory: an index becomes a section's `_index.md`."""
    return re.sub(r"(^|/)index\.md$", r"\1_index.md", source)


def page_ref(source: str) -> str:
    """A MkDocs source path as a Hugo page reference: "dimensions/1/index.md" is "/dimensions/1"."""
    return "/" + re.sub(r"(^|/)index$", "", re.sub(r"\.md$", "", source))


def _front_matter(fields: dict) -> str:
    # Hugo reads JSON front matter too: quick to write for 40,000 pages, and any title stays intact.
    return json.dumps(fields, ensure_ascii=False) + "\n"


def _hand_written(docs: Path, stem: str, lang: str, default: str) -> tuple[dict, str]:
    """A page of docs/ in `lang` (the default language's when untranslated): its front matter and Markdown."""
    source = docs / f"{stem}.{lang}.md"
    if lang == default or not source.exists():
        source = docs / f"{stem}.md"
    text = source.read_text(encoding="utf-8")
    found = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if found:
        text = text[found.end() :]
    heading = re.search(r"^# (.+)$", text, re.M)
    return {"title": heading.group(1).strip() if heading else stem}, text


def page_count(catalogue) -> int:
    """The pages of every language's plan (generated and hand-written): the pages both references build."""
    return sum(1 for language in site_languages() for spec in plan_pages(catalogue, language["lang"]) if spec.path is not None)


def write_project(directory: Path, catalogue, docs: Path, site_url: str = "http://127.0.0.1:8000/") -> Path:
    """A Hugo project of the catalogue's pages in every language, with its configuration and layouts."""
    languages = site_languages()
    default = languages[0]["lang"]
    directory.mkdir(parents=True, exist_ok=True)
    config = _site_config(site_url, languages[0]["site_name"], default)
    for weight, language in enumerate(languages, start=1):
        lang = language["lang"]
        menu = _write_content(directory / "content" / lang, catalogue, docs, lang, default)
        config["languages"][lang] = {
            "languageName": language["name"],
            "weight": weight,
            "contentDir": f"content/{lang}",
            "title": language["site_name"],
            "params": {"description": language["description"]},
            "menus": {"main": menu},
        }
    (directory / "hugo.json").write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    for name, text in LAYOUTS.items():
        _write(directory / "layouts" / name, text)
    _write(directory / "static" / "style.css", STYLE)
    return directory


def _site_config(site_url: str, title: str, default: str) -> dict:
    """hugo.json without its languages: Hugo's defaults, but for what our site does otherwise."""
    return {
        "baseURL": site_url,
        "title": title,
        "defaultContentLanguage": default,
        "defaultContentLanguageInSubdir": False,
        "disablePathToLower": True,
        "disableKinds": ["taxonomy", "term"],  # our types and topics are pages of the plan
        "rssLimit": FEED_SIZE,
        "outputs": {"home": ["HTML", "RSS", "searchindex"], "section": ["HTML"], "page": ["HTML"]},
        "outputFormats": {
            "searchindex": {"mediaType": "application/json", "baseName": "search_index", "path": "search", "isPlainText": True}
        },
        # Text as written, as Python-Markdown leaves it in the other builds (no curly quotes).
        "markup": {"goldmark": {"extensions": {"typographer": False}}},
        "languages": {},
    }


def _write_content(content: Path, catalogue, docs: Path, lang: str, default: str) -> list[dict]:
    """One language's content directory (hand-written and generated pages); returns its menu,
    the navigation in the plan's order, written into hugo.json."""
    plan = plan_pages(catalogue, lang)
    menu = []
    for spec in plan:
        kind = by_name()[spec.kind]
        source = f"{spec.path}.md" if kind.hand_written else spec.path
        title = spec.title
        if kind.hand_written:
            fields, text = _hand_written(docs, spec.path, lang, default)
            title = title or fields["title"]
            _write(content / content_path(source), _front_matter({"title": title}) + text)
        if spec.in_nav:
            entry = {"identifier": spec.key, "name": title, "weight": len(menu) + 1}
            if source is not None:
                entry["pageRef"] = page_ref(source)
            if spec.parent is not None:
                entry["parent"] = spec.parent
            menu.append(entry)
    for spec in generated(plan):
        fields = {"title": spec.title}
        if spec.kind == "resource" and spec.subject.added is not None:
            fields["date"] = spec.subject.added.isoformat()
        text = markdown_page(spec, catalogue, lang, "/")
        _write(content / content_path(spec.path), _front_matter(fields) + text)
    # Our standards/ folder has no index page: Hugo's section page for it is neither rendered nor listed.
    _write(content / "standards" / "_index.md", _front_matter({"_build": {"render": "never", "list": "never"}}))
    return menu


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def command(project: Path, destination: Path) -> list[str]:
    """Hugo's production build with its defaults (no --minify) into `destination`.

    Not --quiet, which would hide the error messages (a broken link): Hugo prints them with its
    summary on stdout, stderr only says how many there were.
    """
    return [binary() or "hugo", "--source", str(project), "--destination", str(destination)]


def output(site: Path, pages: int, seconds: float) -> dict:
    """Output size and pages per second of a Hugo build."""
    size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    return {"output_mb": round(size / 1e6, 1), "pages_per_second": round(pages / seconds) if seconds else None}


def per_page(row: dict, name: str) -> str:
    """Seconds per 1,000 pages of a build of `row` (the same pages in every build)."""
    if "seconds" not in row.get(name, {}) or not row.get("pages"):
        return "–"
    return f"{row[name]['seconds'] * 1000 / row['pages']:.2f}"


def report(rows: list[dict]) -> list[str]:
    """The per-page table of bench.py's report: how far each build is from Hugo for the same pages."""
    lines = [
        "| entries | pages (4 languages) | seconds per 1,000 pages: full / plain reference / Hugo | "
        "Hugo pages per second | Hugo output |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        hugo = row.get("hugo", {})
        speed = hugo.get("pages_per_second", "–")
        lines.append(
            f"| {row['entries']:,} | {row.get('pages', 0):,} | {per_page(row, 'full')} / {per_page(row, 'reference')} / "
            f"{per_page(row, 'hugo')} | {speed} | {hugo.get('output_mb', '–')} MB |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate a catalogue, write its Hugo project and build it, timed.")
    parser.add_argument("entries", type=int)
    parser.add_argument("directory", type=Path)
    args = parser.parse_args()
    started = time.monotonic()
    args.directory.mkdir(parents=True)
    (args.directory / "resources.yaml").write_text(generate(args.entries), encoding="utf-8")
    catalogue = load_catalogue(args.directory / "resources.yaml", load_taxonomy(ROOT / "taxonomy"), ROOT / "docs")
    generated_at = time.monotonic()
    project, pages = write_project(args.directory / "hugo", catalogue, ROOT / "docs"), page_count(catalogue)
    written = time.monotonic()
    subprocess.run(command(project, args.directory / "site"), check=True)
    built = time.monotonic()
    print(
        f"{args.entries} entries, {pages} pages: generate and load {generated_at - started:.1f} s, "
        f"write project {written - generated_at:.1f} s, hugo {built - written:.1f} s"
    )


if __name__ == "__main__":
    main()
