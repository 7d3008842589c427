"""Search that forgives accents, compound spellings and synonyms, in the header search and the explorer.

Unit tests of spmlib/site/searchtext.py and of the synonyms file's validation, then a table of
queries run in Chromium over http and from a file:// bundle of a fixture site holding real
entries of resources.yaml (tests/fixtures/search-extra.yaml).
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from conftest import FIXTURES, ROOT, make_project, render_search_results, run_build, serve
from hypothesis import given, settings
from hypothesis import strategies as st

from spmlib.model.catalogue import load_catalogue
from spmlib.model.problems import CatalogueError
from spmlib.model.taxonomy import load_taxonomy
from spmlib.model.words import SynonymTable, compounds, fold, plain, words
from spmlib.site.searchindex import TEASER_CHARS, ResourceDoc, compact_index, material_docs, teaser
from spmlib.site.searchtext import compound_splits, forgiving_entries, resource_of, variants

FOLDS = [
    ("FinComún", "fincomun"),
    ("COBRANÇA", "cobranca"),
    ("aperçu", "apercu"),
    ("Évaluation", "evaluation"),
    ("Inadimplência", "inadimplencia"),
    ("Digitalización", "digitalizacion"),
    ("São Tomé", "sao tome"),
    ("mise en œuvre", "mise en oeuvre"),
    ("Œuvre", "oeuvre"),
    ("ex æquo", "ex aequo"),
    ("Straße", "strasse"),
    ("año", "ano"),
    ("4A. Prévention", "4a. prevention"),
    ("plain ascii", "plain ascii"),
]


@pytest.mark.parametrize(("text", "folded"), FOLDS)
def test_fold_removes_case_accents_cedillas_tildes_and_ligatures(text, folded):
    assert fold(text) == folded


def test_words_split_compounds_and_compounds_are_joined():
    assert words("Over-indebtedness, COVID-19 and l'évaluation") == [
        "over",
        "indebtedness",
        "covid",
        "19",
        "and",
        "l",
        "evaluation",
    ]
    assert compounds("Over-indebtedness, COVID-19 and micro‑finance") == ["overindebtedness", "covid19", "microfinance"]
    assert compound_splits(["Avoid over-indebtedness"]) == {"overindebtedness": ("over", "indebtedness")}


SPANISH = SynonymTable((("junta directiva", "directorio", "consejo de administración"), ("GDS", "gestión del desempeño social")))


@pytest.mark.parametrize(
    ("text", "added"),
    [
        ("Responsabilidad del directorio", ["junta", "directiva", "consejo", "de", "administracion"]),
        ("La Junta-Directiva decide", ["directorio", "consejo", "de", "administracion"]),
        ("Gestión del desempeño social", ["gds"]),
        ("La GDS en la práctica", ["gestion", "del", "desempeno", "social"]),
        ("Una junta de vecinos", []),  # half a phrase is not the phrase
        ("Directorios", []),  # whole words only
    ],
)
def test_synonyms_add_the_other_members_of_a_group(text, added):
    assert SPANISH.expand(words(text)) == added


def test_variants_hold_compounds_splits_synonyms_and_details():
    splits = {"overindebtedness": ("over", "indebtedness")}
    table = SynonymTable((("SPM", "social performance management"),))
    assert variants("Avoiding over-indebtedness", table, splits) == "overindebtedness"
    assert variants("Prevention of overindebtedness", table, splits) == "over indebtedness"
    assert variants("Social performance management", table, splits) == "spm"
    details = "Guide · Smart Campaign · SPM"  # words not in the text, then the synonyms they bring
    assert variants("A guide", table, splits, extra=details) == "smart campaign spm social performance management"


def test_forgiving_entries_add_hidden_fields_only_where_needed():
    entries = [
        {"location": "resources/a/", "title": "SPM in practice", "text": "<p>On &lt;over-indebtedness&gt;</p>"},
        {"location": "topics/x/", "title": "Overindebtedness", "text": "<p>1 resource</p>"},
        {"location": "about/", "title": "About", "text": "<p>Nothing to add.</p>"},
    ]
    table = SynonymTable((("SPM", "social performance management"),))
    result = forgiving_entries(entries, table, {"resources/a/": "Guide · 4A. Prévention"})
    assert result[0]["title_alt"] == "social performance management"
    assert result[0]["text_alt"] == "guide 4a prevention overindebtedness"
    assert result[1]["title_alt"] == "over indebtedness"
    assert "title_alt" not in result[2] and "text_alt" not in result[2]
    assert entries[0].keys() == {"location", "title", "text"}  # the input is left alone
    assert [e["title"] for e in result] == [e["title"] for e in entries]


@pytest.mark.parametrize(
    ("location", "rid"),
    [("resources/cerise-spi4/", "cerise-spi4"), ("resources/cerise-spi4.html", "cerise-spi4"), ("resources/", None)],
)
def test_resource_of_location(location, rid):
    assert resource_of(location) == rid


def test_shipped_synonyms_load(taxonomy):
    assert ("junta directiva", "directorio", "consejo de administración") in taxonomy.synonyms.by_language["es"]
    assert ("GPS", "gestion de la performance sociale") in taxonomy.synonyms.by_language["fr"]
    assert set(taxonomy.synonyms.by_language) == {"en", "fr", "es", "pt"}


# (name, synonyms.yaml text, line, words of the message)
BAD_SYNONYMS = [
    ("not a mapping", "- [a, b]\n", 1, ["top-level 'synonyms:'"]),
    ("extra key", "synonyms: {}\nwords: []\n", 1, ["top-level 'synonyms:'"]),
    ("unknown language", "synonyms:\n  en: []\n  de:\n    - [a, b]\n", 3, ["'de' is not a site language", "en, fr, es, pt"]),
    ("groups not a list", "synonyms:\n  es: directorio\n", 2, ["must be a list of groups"]),
    ("one member", "synonyms:\n  es:\n    - [directorio]\n", 3, ["at least two"]),
    ("group not a list", "synonyms:\n  es:\n    - directorio\n", 3, ["at least two"]),
    ("empty member", 'synonyms:\n  es:\n    - [directorio, ""]\n', 3, ['"" is not a word or phrase']),
    ("punctuation only", "synonyms:\n  es:\n    - [directorio, '--']\n", 3, ["'--' is not a word or phrase"]),
    ("number member", "synonyms:\n  es:\n    - [directorio, 12]\n", 3, ["'12' is read by YAML as a number", 'quotes: "12"']),
    ("nested list", "synonyms:\n  es:\n    - [directorio, [a]]\n", 3, ["[a] is not a word or phrase"]),
    ("too long", "synonyms:\n  es:\n    - [directorio, " + "palabra " * 9 + "]\n", 3, ["too long", "at most 8 words"]),
    ("twice in a group", "synonyms:\n  es:\n    - [Directorio, directorio]\n", 3, ["listed twice in this group"]),
    ("accents do not count", "synonyms:\n  es:\n    - [gestión, gestion]\n", 3, ["listed twice"]),
    (
        "in two groups",
        "synonyms:\n  es:\n    - [directorio, junta directiva]\n    - [consejo, Junta-Directiva]\n",
        4,
        ["already in the group on line 3", "merge the two groups"],
    ),
    ("malformed yaml", "synonyms:\n  es: [a, b\n", 3, [""]),
    # issue 22: values YAML reads as other types are quoted as the translator wrote them
    ("a bare digit", "synonyms:\n  en:\n    - [SPI4, 4]\n", 3, ["'4' is read by YAML as a number, not as text", 'quotes: "4"']),
    ("on", "synonyms:\n  en:\n    - [SPM, on]\n", 3, ["'on' is read by YAML as true/false", 'quotes: "on"']),
    ("no", "synonyms:\n  en:\n    - [SPM, no]\n", 3, ["'no' is read by YAML as true/false"]),
    ("hexadecimal", "synonyms:\n  en:\n    - [SPM, 0x1F]\n", 3, ["'0x1F' is read by YAML as a number"]),
    ("a date", "synonyms:\n  en:\n    - [SPM, 2024-01-01]\n", 3, ["'2024-01-01' is read by YAML as a date"]),
    ("null", "synonyms:\n  en:\n    - [SPM, ~]\n", 3, ["'~' is read by YAML as empty"]),
    ("twice as written", "synonyms:\n  en:\n    - [SPM, 'spm']\n", 3, ["'spm' is listed twice in this group"]),
    ("C# twice", "synonyms:\n  en:\n    - [C#, C++, c#]\n", 3, ["'c#' is listed twice in this group"]),
    # escaped characters that the raw text check cannot see
    ("escaped form feed", 'synonyms:\n  en:\n    - [SPM, "social\\x0cperformance"]\n', 3, ["U+000C", '"social\\x0cperformance"']),
    ("escaped bidi override", 'synonyms:\n  en:\n    - [SPM, "\\u202eMPS"]\n', 3, ["U+202E RIGHT-TO-LEFT OVERRIDE"]),
    ("escaped zero-width space", 'synonyms:\n  en:\n    - [SPM, "S\\u200bPM"]\n', 3, ["U+200B ZERO WIDTH SPACE"]),
    ("escaped next line", 'synonyms:\n  en:\n    - [SPM, "S\\NPM"]\n', 3, ["U+0085"]),
    # sizes: expansion grows with the square of a group's size, the index with the file's
    (
        "group of 3,000",
        "synonyms:\n  en:\n    - [" + ", ".join(f"w{i}" for i in range(3000)) + "]\n",
        3,
        ["3000 members", "at most 20"],
    ),
    ("group of 21", "synonyms:\n  en:\n    - [" + ", ".join(f"w{i}" for i in range(21)) + "]\n", 3, ["21 members"]),
    (
        "file of 2,001 members",
        "synonyms:\n  en:\n"
        + "".join(f"    - [{', '.join(f'w{g}x{i}' for i in range(20))}]\n" for g in range(100))
        + "    - [last, one]\n",
        103,
        ["more than 2000 members", "whole file"],
    ),
    # a stop word is dropped from every query, and its group would match nearly every page
    ("english stop word", "synonyms:\n  en:\n    - [the, zzmagic]\n", 3, ["'the' is a stop word of English (en)"]),
    ("french stop word", "synonyms:\n  fr:\n    - [GPS, les]\n", 3, ["'les' is a stop word of French (fr)"]),
    ("spanish stop word, accented", "synonyms:\n  es:\n    - [más, plus]\n", 3, ["'más' is a stop word of Spanish (es)"]),
    ("phrase of stop words", "synonyms:\n  pt:\n    - [RH, de um]\n", 3, ["'de um' is made of stop words of Portuguese (pt)"]),
]


@pytest.mark.parametrize(("name", "text", "line", "fragments"), BAD_SYNONYMS, ids=[b[0] for b in BAD_SYNONYMS])
def test_bad_synonyms_are_reported_with_file_and_line(tmp_path, name, text, line, fragments):
    taxonomy = tmp_path / "taxonomy"
    shutil.copytree(ROOT / "taxonomy", taxonomy)
    (taxonomy / "synonyms.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_taxonomy(taxonomy)
    problems = [p for p in caught.value.problems if p.file == "taxonomy/synonyms.yaml"]
    assert problems, caught.value
    assert problems[0].line == line, problems[0]
    for fragment in fragments:
        assert fragment in problems[0].message + (problems[0].hint or ""), problems[0]


# (name, synonyms of one language, the groups kept)
GOOD_SYNONYMS = [
    ("C++ and C# are different members", "en:\n    - [C++, C#, cpp]", (("C++", "C#", "cpp"),)),
    ("and may be in different groups", "en:\n    - [C++, cpp]\n    - [C#, csharp]", (("C++", "cpp"), ("C#", "csharp"))),
    ("quoted digits are text", 'en:\n    - [SPI4, "4"]', (("SPI4", "4"),)),
    ("quoted yes is text", 'en:\n    - [agreed, "yes"]', (("agreed", "yes"),)),
    ("a stop word inside a phrase", "es:\n    - [GDS, gestión del desempeño social]", (("GDS", "gestión del desempeño social"),)),
    ("twenty members", "en:\n    - [" + ", ".join(f"w{i}" for i in range(20)) + "]", (tuple(f"w{i}" for i in range(20)),)),
]


@pytest.mark.parametrize(("name", "text", "groups"), GOOD_SYNONYMS, ids=[g[0] for g in GOOD_SYNONYMS])
def test_good_synonyms_are_kept_as_written(tmp_path, name, text, groups):
    taxonomy = tmp_path / "taxonomy"
    shutil.copytree(ROOT / "taxonomy", taxonomy)
    (taxonomy / "synonyms.yaml").write_text("synonyms:\n  " + text + "\n", encoding="utf-8")
    loaded = load_taxonomy(taxonomy).synonyms.by_language
    assert list(loaded.values()) == [groups]


def test_stop_words_are_lunrs_own_lists():
    """The lists Material's search drops from queries, read from its installed assets."""
    from spmlib.model.words import stop_words

    assert {"the", "and", "of"} <= stop_words("en")
    assert {"les", "de", "et"} <= stop_words("fr") and "gps" not in stop_words("fr")
    assert {"mas", "del"} <= stop_words("es")  # folded, as members are matched
    assert {"de", "um", "nao"} <= stop_words("pt")
    assert stop_words("xx") == frozenset()  # a language lunr does not know: nothing to refuse


def test_synonyms_file_is_optional(tmp_path):
    taxonomy = tmp_path / "taxonomy"
    shutil.copytree(ROOT / "taxonomy", taxonomy)
    (taxonomy / "synonyms.yaml").unlink()
    assert load_taxonomy(taxonomy).synonyms.table("es").expand(["directorio"]) == []


# ---------------------------------------------------------------------------------------------
# The fixture site, over http and as a file:// bundle


@pytest.fixture(scope="module")
def search_project(tmp_path_factory) -> Path:
    catalogue = (FIXTURES / "catalogue.yaml").read_text(encoding="utf-8") + (FIXTURES / "search-extra.yaml").read_text(
        encoding="utf-8"
    )
    return make_project(tmp_path_factory.mktemp("search") / "project", catalogue, FIXTURES / "docs")


@pytest.fixture(scope="module")
def search_site(search_project) -> Path:
    result = run_build(search_project)
    assert result.returncode == 0, result.stderr
    return search_project / "site"


@pytest.fixture(scope="module")
def http_root(search_site):
    with serve(search_site) as url:
        yield url


@pytest.fixture(scope="module")
def file_root(search_project, tmp_path_factory):
    import io

    from spmlib.outputs.bundle import make_bundle
    from spmlib.outputs.offline import OfflineOptions

    base = tmp_path_factory.mktemp("search-bundle")
    result = make_bundle(OfflineOptions(search_project, ("en", "fr", "es", "pt"), out_dir=base), out=io.StringIO())
    with zipfile.ZipFile(result.zip_path) as archive:
        archive.extractall(base / "unpacked")
    return (base / "unpacked" / result.info["name"]).as_uri() + "/"


def test_index_keeps_original_text_and_adds_hidden_fields(search_site):
    index = json.loads((search_site / "es" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["es"]
    assert index["config"]["fields"]["title_alt"] == {"boost": 1000.0}
    by_location = {e["location"]: e for e in material_docs(index)}
    note = by_location["resources/smart-note-fincomun-collections/"]
    assert note["title"] == "Nota SMART: Cobranza con dignidad en FinComún"  # as written, accents kept
    assert note["text"].startswith("<p>En 2008, al enfrentarse con altas tasas de castigo, FinComún")
    assert "4C" not in note["text"] and "4c" in note["text_alt"].split()  # codes searched, not shown
    # the Spanish taxonomy says "junta directiva": its synonyms are searched, not shown
    assert "directorio" in by_location["standards/2a/"]["title_alt"].split()


def test_teaser_is_the_opening_of_the_summary_cut_at_a_word():
    assert teaser("<p>Short &amp; sweet.</p>") == "<p>Short &amp; sweet.</p>"
    long = "<p>" + "word " * 100 + "</p>"
    cut = teaser(long, 30)
    assert cut == "<p>word word word word word…</p>"
    assert teaser("<p>" + "x" * 50 + "</p>", 10) == "<p>" + "x" * 9 + "…</p>"
    assert teaser("<p><script>alert(1)</script></p>") == "<p>alert(1)</p>"  # tags dropped, text escaped
    assert teaser("") == ""


def test_compact_index_gives_back_materials_documents():
    resources = [
        ResourceDoc("resources/a/", "A &amp; B", "<p>On SPM</p>", "a b", "spm", ("Tool", "Mexico")),
        ResourceDoc("resources/b/", "B", "<p>Other</p>", "", "", ("Mexico", "Tool")),
    ]
    other = [{"location": "about/", "title": "About", "text": "<p>x</p>"}]
    index = compact_index({"lang": ["en"]}, other, resources, {"Tool": "tool", "Mexico": "mexico a"})
    columns = index["config"]["spm_docs"]
    assert columns["words"] == ["tool", "mexico a"]  # each key's words once
    assert columns["keys"] == ["0 1", "1 0"]
    assert index["docs"] == other
    assert material_docs(index) == [
        *other,
        {
            "location": "resources/a/",
            "title": "A &amp; B",
            "text": "<p>On SPM</p>",
            "title_alt": "a b",
            "text_alt": "spm tool mexico",
        },
        {"location": "resources/b/", "title": "B", "text": "<p>Other</p>", "text_alt": "mexico a tool"},
    ]


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt"])
def test_index_holds_each_resource_once_with_a_teaser_and_each_detail_once(search_site, search_project, lang):
    """The promise of spmlib/site/searchindex.py, on the built file: one column entry per resource and no
    resource document besides, a summary's opening only, and each shared detail written once."""
    prefix = "" if lang == "en" else f"{lang}/"
    raw = (search_site / prefix / "search" / "search_index.json").read_text(encoding="utf-8")
    index = json.loads(raw)
    columns = index["config"]["spm_docs"]
    catalogue = load_catalogue(search_project / "resources.yaml", load_taxonomy(ROOT / "taxonomy"), search_project / "docs")
    assert sorted(resource_of(loc) for loc in columns["location"]) == sorted(r.id for r in catalogue.resources)
    assert not [d["location"] for d in index["docs"] if resource_of(d["location"].split("#")[0])]
    assert all(len(plain(text).strip()) <= TEASER_CHARS + 1 for text in columns["text"])
    assert any(text.endswith("…</p>") for text in columns["text"])  # long summaries are cut
    assert len(set(columns["words"])) == len(columns["words"])
    # the type "Tool"/"Outil"... of several resources is written once
    tool = catalogue.taxonomy.type("tool").name[lang]
    [number] = [i for i, w in enumerate(columns["words"]) if w == " ".join(words(tool))]
    assert sum(str(number) in keys.split() for keys in columns["keys"]) >= 2
    assert raw.count(f'"{" ".join(words(tool))}"') == 1
    # nothing the page shows besides the summary: no download, citation or fallback notice
    for label in ("downloads", "cite", "about_resource"):
        text = catalogue.taxonomy.label(label, lang)
        assert not [t for t in columns["text"] if text in plain(t)], label


def test_list_pages_leave_their_members_to_the_members_own_pages(search_site, taxonomy):
    """A standard's statement is found on the standard's page, not again on every list naming it."""
    index = json.loads((search_site / "fr" / "search" / "search_index.json").read_text(encoding="utf-8"))
    statement = plain(taxonomy.standards["4A"].statement["fr"]).strip()
    found = sorted(d["location"] for d in material_docs(index) if statement in plain(d["text"]))
    assert found == ["standards/4a/#what-it-asks"], found


@pytest.mark.browser
def test_the_worker_makes_the_same_documents_as_material_docs(search_site, http_root, tab):
    """search-fold.js expands `config.spm_docs` for Material's worker as spmlib.site.searchindex does."""
    index = json.loads((search_site / "fr" / "search" / "search_index.json").read_text(encoding="utf-8"))
    tab.goto(http_root)
    worker = (ROOT / "overrides" / "assets" / "javascripts" / "workers" / "search-fold.js").read_text(encoding="utf-8")
    docs = tab.evaluate(
        """([source, index]) => {
            const listeners = [];
            const fake = { location: { href: "http://127.0.0.1/workers/search-fold.js" }, postMessage() {} };
            const run = new Function("self", "addEventListener", "importScripts", "document", source);
            run(fake, (type, fn) => listeners.push(fn), () => undefined, undefined);
            const message = { type: 0, data: index };
            listeners.forEach(fn => fn({ data: message, stopImmediatePropagation() {} }));
            return [message.data.docs, "spm_docs" in message.data.config];
        }""",
        [worker, index],
    )
    assert docs == [material_docs(index), False]


# Each case: language, the queries, what both boxes must find for each of them (page paths
# without language prefix or extension; explorer: resource ids), and whether the queries must
# give exactly the same results ("same") or only each find those pages ("find": synonyms and
# multi-word queries, which lunr answers with any of their words).
CASES = [
    ("es", ["fincomun", "FinComún", "FINCOMUN", "fincomún"], "same",
     {"resources/cobranza-con-dignidad", "resources/smart-note-fincomun-collections"},
     {"cobranza-con-dignidad", "smart-note-fincomun-collections"}),
    ("pt", ["cobranca", "cobrança", "Cobrança"], "same",
     {"topics/collections", "resources/smart-note-fincomun-collections"},
     {"smart-note-fincomun-collections", "cobranza-con-dignidad"}),
    ("pt", ["inadimplencia", "inadimplência"], "same",
     {"topics/delinquency", "resources/smart-note-fincomun-collections", "resources/guidance-note-09-client-delinquency"},
     {"smart-note-fincomun-collections", "guidance-note-09-client-delinquency"}),
    ("fr", ["apercu", "aperçu", "APERÇU"], "same",
     {"resources/apercu-gestion-performance-sociale"},
     {"apercu-gestion-performance-sociale"}),
    ("fr", ["evaluation", "évaluation"], "same",
     {"resources/cerise-spi4"},
     {"cerise-spi4"}),
    ("fr", ["surendettement", "surendet"], "find",
     {"standards/4a", "topics/over-indebtedness", "resources/surendettement-guide"},
     {"surendettement-guide"}),
    ("es", ["proteccion", "protección"], "same",
     {"topics/client-protection", "resources/smart-operations-tool"},
     {"smart-operations-tool", "smart-note-fincomun-collections", "universal-standards-manual-v2"}),
    ("es", ["digitalizacion", "digitalización"], "same",
     {"resources/guia-digitalizacion-cooperativas"},
     {"guia-digitalizacion-cooperativas"}),
    ("en", ["overindebtedness", "over-indebtedness", "over indebtedness", "Over-Indebtedness"], "find",
     {"topics/over-indebtedness", "standards/4a", "resources/surendettement-guide"},
     {"surendettement-guide", "guidance-note-09-client-delinquency", "smart-note-fincomun-collections"}),
    ("es", ["junta directiva", "directorio"], "find",
     {"standards/2a"},
     set()),
    ("en", ["SPM", "social performance management"], "find",
     {"resources/where-good-intentions-meet-good-business", "resources/universal-standards-manual-v2"},
     {"where-good-intentions-meet-good-business", "universal-standards-manual-v2"}),
    ("en", ["CP", "client protection"], "find",
     {"resources/smart-operations-tool", "topics/client-protection"},
     {"smart-operations-tool"}),
    ("fr", ["GPS", "gestion de la performance sociale"], "find",
     {"resources/universal-standards-manual-v2", "resources/apercu-gestion-performance-sociale"},
     {"universal-standards-manual-v2", "apercu-gestion-performance-sociale"}),
    ("es", ["GDS", "gestion del desempeno social"], "find",
     {"resources/universal-standards-manual-v2"},
     {"universal-standards-manual-v2"}),
]  # fmt: skip


def _lang_root(root: str, lang: str) -> str:
    return root if lang == "en" else f"{root}{lang}/"


def _page_key(href: str, lang_root: str) -> str:
    path = urlsplit(href)._replace(query="", fragment="").geturl()
    assert path.startswith(lang_root), (href, lang_root)
    key = path[len(lang_root) :]
    key = re.sub(r"(index)?\.html$|/$", "", key)
    return key.rstrip("/")


def header_search(tab, root: str, lang: str, query: str) -> list[dict]:
    """The header search's results for `query` on the language's home page, in order, all of them."""
    home = _lang_root(root, lang) + ("index.html" if root.startswith("file:") else "")
    tab.goto(home + "?q=" + quote(query))
    tab.wait_for_function(
        """() => {
            const t = JSON.parse(document.getElementById("__config").textContent).translations;
            const meta = document.querySelector(".md-search-result__meta").textContent.trim();
            const escaped = t["search.result.other"].replace(/[.*+?^${}()|[\\]\\\\]/g, "\\\\$&");
            const other = new RegExp("^" + escaped.replace("#", "\\\\d+") + "$");
            return meta === t["search.result.none"] || meta === t["search.result.one"] || other.test(meta);
        }""",
        timeout=15000,
    )
    # Material renders ten results, then more as the list is scrolled
    total = tab.evaluate("document.querySelector('.md-search-result__meta').textContent.match(/\\d+/)")
    total = int(total[0]) if total else len(tab.query_selector_all(".md-search-result__item"))
    render_search_results(tab, total)
    items = tab.query_selector_all(".md-search-result__item > .md-search-result__link:first-child")
    results = []
    for item in items:
        article = item.query_selector("article")
        teaser = article.query_selector(":scope > p")
        results.append(
            {
                "page": _page_key(item.get_attribute("href"), _lang_root(root, lang)),
                "title": article.query_selector("h1").inner_text(),
                "text": teaser.inner_text() if teaser else "",
                "marked": [m.inner_text() for m in article.query_selector_all("mark")],
            }
        )
    assert len(results) == total
    return results


def explorer_search(tab, root: str, lang: str, query: str) -> list[str]:
    page = _lang_root(root, lang) + ("resources/index.html" if root.startswith("file:") else "resources/")
    tab.goto(page + "?q=" + quote(query))
    tab.wait_for_selector("[data-explorer] form:not([hidden])")
    tab.wait_for_selector('[data-results][aria-busy="false"]', state="attached")  # the keyword text comes on demand
    return tab.locator("[data-results] > li").evaluate_all("items => items.map(li => li.dataset.id)")


def _check_case(tab, root, lang, queries, kind, pages, resources):
    header = {q: header_search(tab, root, lang, q) for q in queries}
    explorer = {q: explorer_search(tab, root, lang, q) for q in queries}
    for query in queries:
        found = {r["page"] for r in header[query]}
        assert pages <= found, (lang, query, sorted(found))
        assert resources <= set(explorer[query]), (lang, query, explorer[query])
        if kind == "same":
            assert [r["page"] for r in header[query]] == [r["page"] for r in header[queries[0]]], (lang, query)
            assert explorer[query] == explorer[queries[0]], (lang, query)
            assert set(explorer[query]) == resources, (lang, query, explorer[query])
            # where the result shows the word, the page's own (accented) spelling is highlighted
            shown = [r for r in header[query] if fold(query) in fold(r["title"] + " " + r["text"])]
            assert shown and all(fold(query) in fold(" ".join(r["marked"])) for r in shown), header[query]
    assert tab.errors == [] and tab.outside == []


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "queries", "kind", "pages", "resources"), CASES, ids=[f"{c[0]}-{c[1][0]}" for c in CASES])
def test_search_forgives_over_http(http_root, tab, lang, queries, kind, pages, resources):
    _check_case(tab, http_root, lang, queries, kind, pages, resources)


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "queries", "kind", "pages", "resources"), CASES, ids=[f"{c[0]}-{c[1][0]}" for c in CASES])
def test_search_forgives_from_file_bundle(file_root, tab, lang, queries, kind, pages, resources):
    _check_case(tab, file_root, lang, queries, kind, pages, resources)


@pytest.mark.browser
def test_results_show_title_and_summary_and_title_matches_rank_first(http_root, tab):
    results = header_search(tab, http_root, "fr", "evaluation")
    spi4 = next(r for r in results if r["page"] == "resources/cerise-spi4")
    assert spi4["title"] == "Outil d'évaluation SPI4 de CERISE"
    assert spi4["marked"] == ["évaluation"]
    assert spi4["text"].startswith("Un outil d'audit social")  # its summary, not its details
    assert not re.search(r"\b[1-7][A-C]\.", spi4["text"])
    # the title match comes before every result that only mentions the word
    in_title = [fold("evaluation") in fold(r["title"]) for r in results]
    assert in_title[0] and in_title == sorted(in_title, reverse=True), results


@pytest.mark.browser
def test_explorer_lists_title_matches_first(http_root, tab):
    # best match first (rank.js): the only title with the word before the entries that only mention it
    found = explorer_search(tab, http_root, "en", "universal")
    assert found[0] == "universal-standards-manual-v2"  # third of the four by date
    assert sorted(found[1:]) == ["apercu-gestion-performance-sociale", "cerise-spi4", "guidance-note-09-client-delinquency"]
    newest = explorer_search(tab, http_root, "en", "")
    assert newest[0] == "guia-digitalizacion-cooperativas"  # added 2025-06-02: without keywords, newest first
    assert newest.index("universal-standards-manual-v2") > newest.index("guidance-note-09-client-delinquency")


FOLD_JS = ROOT / "overrides" / "assets" / "javascripts" / "fold.js"
WORKER_JS = ROOT / "overrides" / "assets" / "javascripts" / "workers" / "search-fold.js"

# Every character Python's Unicode database assigns: the browser's (Node's, Chromium's) may be
# newer, but case and decompositions of characters already assigned do not change.
ASSIGNED = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) not in ("Cn", "Cs", "Co")]

# Words where folding depends on the neighbours: final sigma, combining marks, ligatures, dotted I
AWKWARD = "ΣσςΟΔΟΣİıIßẞœŒæÆǅǄﬁﬀ\u0301\u0327\u0303\u0308\u0345aeiouAEIOUçÇñÑ ."

NODE_FOLD = r"""
const fs = require("fs"), vm = require("vm"), readline = require("readline");
const context = {};
context.self = context;
vm.runInNewContext(fs.readFileSync(process.argv[1], "utf8"), context);
readline.createInterface({ input: process.stdin }).on("line", line => {
  process.stdout.write(JSON.stringify(JSON.parse(line).map(context.spmExplorer.fold)) + "\n");
});
"""


@pytest.fixture(scope="module")
def node_fold():
    """fold.js in one Node process for the whole module: texts in, folded texts out, a JSON line each."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is needed (make install-dev installs it)")
    process = subprocess.Popen([node, "-e", NODE_FOLD, str(FOLD_JS)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(texts: list[str]) -> list[str]:
        process.stdin.write(json.dumps(texts) + "\n")
        process.stdin.flush()
        return json.loads(process.stdout.readline())

    yield run
    process.stdin.close()
    process.wait(timeout=10)


def test_fold_js_folds_every_character_as_python(node_fold):
    assert {c: f for c, f in zip(ASSIGNED, node_fold(ASSIGNED), strict=True) if f != fold(c)} == {}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.one_of(st.sampled_from(AWKWARD), st.characters(exclude_categories=("Cn", "Cs", "Co")))), max_size=20))
def test_fold_js_folds_text_as_python(node_fold, texts):
    assert node_fold(texts) == [fold(text) for text in texts]


@pytest.mark.browser
def test_the_explorer_and_the_worker_fold_with_fold_js_as_python(http_root, tab):
    """The explorer page and the search worker both fold with fold.js (the worker through
    importScripts, with Material's worker), in Chromium as spmlib's fold() does."""
    tab.goto(http_root + "resources/")
    tab.wait_for_selector("[data-explorer] form:not([hidden])")
    texts = [text for text, _ in FOLDS] + ["İstanbul", "ﬁnance", "Ångström", "naïve", "Þing", "ΟΔΟΣ ΣΟΦΟΣ"] + ASSIGNED
    imported, page, worker = tab.evaluate(
        """([source, shared, texts]) => {
            const fake = { location: { href: "http://127.0.0.1/assets/javascripts/workers/search-fold.js" } };
            const imported = [];
            // as in a worker: the scripts run at once, in order (fold.js only, here)
            const importScripts = (...urls) => {
                imported.push(...urls);
                new Function("self", shared)(fake);
            };
            const listeners = [];
            const run = new Function("self", "addEventListener", "importScripts", "document", source);
            run(fake, (type, listener) => listeners.push(listener), importScripts, undefined);
            const viaWorker = texts.map(text => {
                const message = { type: 2, data: text };  // Material's QUERY, folded before Material reads it
                listeners.forEach(listener => listener({ data: message, stopImmediatePropagation() {} }));
                return message.data;
            });
            return [imported, texts.map(window.spmExplorer.fold), viaWorker];
        }""",
        [WORKER_JS.read_text(encoding="utf-8"), FOLD_JS.read_text(encoding="utf-8"), texts],
    )
    assert [url.rsplit("/", 1)[1] for url in imported] == ["fold.js", "rank.js", "search.js"]
    expected = [fold(text) for text in texts]
    assert [(t, p) for t, p, e in zip(texts, page, expected, strict=True) if p != e] == []
    assert [(t, w) for t, w, e in zip(texts, worker, expected, strict=True) if w != e] == []


@pytest.mark.browser
@pytest.mark.parametrize("root", ["http_root", "file_root"])
def test_the_opened_page_highlights_its_own_spelling(request, tab, root):
    """Material passes the matched words to the page in `h`: the page's spelling, not the folded query."""
    root = request.getfixturevalue(root)
    header_search(tab, root, "es", "fincomun")
    link = tab.locator(".md-search-result__item > .md-search-result__link:first-child").first
    assert "h=FinCom%C3%BAn" in link.get_attribute("href")
    link.click()
    tab.wait_for_selector("mark[data-md-highlight]")
    assert set(tab.locator("mark[data-md-highlight]").all_inner_texts()) == {"FinComún"}
    assert tab.errors == [] and tab.outside == []


def worker_answers(tab, root: str, queries: list[str]) -> dict[str, dict]:
    """The search worker's own answers (as the header search gets them) on the English home page:
    for each query, the pages in order and whether it fell back to pages with some of the words."""
    tab.goto(root)
    return tab.evaluate(
        """async queries => {
            const config = JSON.parse(document.getElementById("__config").textContent);
            const index = await (await fetch(new URL(config.base + "/search/search_index.json", location.href))).json();
            const worker = new Worker(new URL(config.search, location.href));  // lazy-search.js: search-fold.js
            const next = () => new Promise(resolve => worker.addEventListener("message", e => resolve(e.data), { once: true }));
            worker.postMessage({ type: 0, data: { ...index, options: { suggest: false } } });  // as Material's page adds
            await next();
            const answers = {};
            for (const query of queries) {
                worker.postMessage({ type: 2, data: query });
                const result = (await next()).data;
                answers[query] = {
                    pages: result.items.map(group => group[0].location.split("#")[0]),  // an article and its sections
                    some: result.spm_note || false,
                    fallback: result.spm_fallback || null,
                };
            }
            worker.terminate();
            return answers;
        }""",
        queries,
    )


@pytest.mark.browser
def test_a_query_means_all_its_words_and_says_when_it_falls_back(http_root, tab):
    """Issue 24: each word narrows the results (stop words aside); only when no page has all the
    words does the worker answer with pages having some of them, and it says so."""
    chains = [
        ["social", "social performance", "social performance management"],
        ["client", "client protection", "the client protection"],
    ]
    extra = ["social zzzzqx", "cl", "cli", "protecton", "protecton zzzzqx", "zzzzqx"]
    answers = worker_answers(tab, http_root, [q for chain in chains for q in chain] + extra)
    for chain in chains:
        for shorter, longer in itertools.pairwise(chain):
            assert answers[longer]["pages"], longer
            assert set(answers[longer]["pages"]) <= set(answers[shorter]["pages"]), (shorter, longer)
            assert not answers[longer]["some"], longer
    # "the" is a stop word: it neither narrows nor widens
    assert answers["the client protection"]["pages"] == answers["client protection"]["pages"]
    # no page has "zzzzqx": the pages with "social" instead, marked as such
    assert answers["social zzzzqx"]["some"] == "No page has all the words; pages with some of them:"
    assert set(answers["social zzzzqx"]["pages"]) == set(answers["social"]["pages"])
    assert answers["social zzzzqx"]["fallback"] == "some"
    # no page has "protecton": the pages with a word one letter away ("protection"), marked as such
    protection = [page for page in answers["client protection"]["pages"] if page.startswith("resources/")]
    for typo in ["protecton", "protecton zzzzqx"]:
        assert answers[typo]["fallback"] == "near", typo
        assert answers[typo]["some"] == "No page has these words; pages with words close to them:"
        assert set(protection) <= set(answers[typo]["pages"]), typo
    # nothing near either: nothing, and no label
    assert answers["zzzzqx"] == {"pages": [], "some": False, "fallback": None}
    # the page shows the label under Material's count, and only then
    tab.goto(http_root + "?q=" + quote("social zzzzqx"))
    tab.wait_for_selector("[data-spm-some-words]", timeout=15000)
    assert tab.inner_text("[data-spm-some-words]") == "No page has all the words; pages with some of them:"
    tab.goto(http_root + "?q=" + quote("social performance"))
    tab.wait_for_selector(".md-search-result__item")
    assert tab.query_selector("[data-spm-some-words]") is None
    # a word is a prefix from its third letter only
    assert len(answers["cl"]["pages"]) < len(answers["cli"]["pages"]), answers
    assert tab.errors == [] and tab.outside == []


@pytest.mark.browser
def test_material_gets_the_best_hundred_and_the_label_says_how_many_there_were(http_root, tab):
    """Material lays out every result it gets (seconds for thousands at 10,000 entries): the worker
    gives it the best 100 and labels them with the total, written as the page's language does."""
    tab.goto(http_root + "fr/")
    answer = tab.evaluate(
        """async () => {
            const config = JSON.parse(document.getElementById("__config").textContent);
            const index = await (await fetch(new URL(config.base + "/search/search_index.json", location.href))).json();
            delete index.config.spm_docs;
            // 1,234 resource pages that all have "alpha"; "beta" in the title of number 7 only
            index.docs = Array.from({ length: 1234 }, (_, i) => ({
                location: `resources/r${i}/`, title: i === 7 ? "Alpha beta" : `Alpha ${i}`, text: "alpha gamma",
            }));
            const worker = new Worker(new URL(config.search, location.href));
            const next = () => new Promise(resolve => worker.addEventListener("message", e => resolve(e.data), { once: true }));
            worker.postMessage({ type: 0, data: { ...index, options: { suggest: false } } });
            await next();
            const answers = {};
            for (const query of ["alpha", "alpha beta"]) {
                worker.postMessage({ type: 2, data: query });
                const result = (await next()).data;
                answers[query] = { n: result.items.length, first: result.items[0][0].location, note: result.spm_note || "",
                                   fallback: result.spm_fallback || null };
            }
            worker.terminate();
            return answers;
        }"""
    )
    alpha, both = answer["alpha"], answer["alpha beta"]
    assert alpha["n"] == 100 and alpha["fallback"] == "best", alpha
    assert alpha["note"] == "Les 100 meilleures de 1\u202f234 pages ; ajoutez un mot pour affiner :", alpha
    assert both == {"n": 1, "first": "resources/r7/", "note": "", "fallback": None}, both


@pytest.mark.browser
def test_missing_words_are_neither_stop_words_nor_words_found_in_another_form(http_root, tab):
    """Material strikes out under each result the words it lacks ("Non trouvé : ..."): not the stop
    words the search left out, nor a plural found as its singular."""
    tab.goto(http_root + "fr/")
    terms = tab.evaluate(
        """async () => {
            const config = JSON.parse(document.getElementById("__config").textContent);
            const index = await (await fetch(new URL(config.base + "/search/search_index.json", location.href))).json();
            delete index.config.spm_docs;
            index.docs = [{ location: "resources/r1/", title: "La tarification responsable", text: "Un document." }];
            const worker = new Worker(new URL(config.search, location.href));
            const next = () => new Promise(resolve => worker.addEventListener("message", e => resolve(e.data), { once: true }));
            worker.postMessage({ type: 0, data: { ...index, options: { suggest: false } } });
            await next();
            worker.postMessage({ type: 2, data: "comment fixer des tarifications responsables" });
            const result = (await next()).data;
            worker.terminate();
            return result.items[0][0].terms;
        }"""
    )
    assert {term for term, found in terms.items() if not found} == {"comment", "fixer"}
    assert "des" not in {term.lower() for term in terms}


@pytest.mark.parametrize(
    ("shown", "summary", "limit", "stops", "spread", "expected"),
    [
        # the words the opening lacks, each once, in their order
        ("Alpha beta", "Alpha beta gamma delta gamma epsilon", 8, set(), None, "gamma delta epsilon"),
        # stop words of the page's language are never searched: not worth a place
        ("Alpha", "Alpha com a dignidade", 8, {"com", "a"}, None, "dignidade"),
        # over the limit: the rarest words across the catalogue's summaries, kept in their order
        (
            "Open",
            "Open grupo equipe dignidade cobranca",
            2,
            set(),
            {"grupo": 40, "equipe": 30, "dignidade": 2, "cobranca": 3},
            "dignidade cobranca",
        ),
        # equally rare: the first ones
        ("Open", "Open one two three", 2, set(), {"one": 1, "two": 1, "three": 1}, "one two"),
        # within the limit, rarity changes nothing
        ("Open", "Open grupo dignidade", 5, set(), {"grupo": 40, "dignidade": 2}, "grupo dignidade"),
    ],
)
def test_the_rest_of_a_summary_keeps_its_rarest_words(shown, summary, limit, stops, spread, expected):
    from spmlib.site.searchindex import rest_of_summary

    assert rest_of_summary(shown, summary, limit, frozenset(stops), spread) == expected
