"""Hostile and careless input (issue 16): every bad input is a file:line error and a non-zero
exit, never a traceback or a signal, and nothing from the build machine is published.

The tables here are the inputs a contributor, a translator or a careless maintainer has been
seen to produce; each runs through the real commands (`python -m spmlib check|build|bundle|
translations import`, as `make` runs them) in a copy of the project.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from conftest import FIXTURES, ROOT, make_project
from test_validation import VALID  # the one valid entry the validation table varies

from spmlib.model.catalogue import load_catalogue
from spmlib.model.problems import CatalogueError, Problem
from spmlib.model.taxonomy import load_taxonomy
from spmlib.model.yamlsrc import load_yaml_text


def replace_line(number: int, text: str, base: str = VALID) -> str:
    lines = base.split("\n")
    lines[number - 1] = text
    return "\n".join(lines)


def spm(project: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m spmlib ...` in `project`, as `make check|build|bundle|translations-import` runs it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SPM_CATALOGUE", None)
    return subprocess.run(
        [sys.executable, "-m", "spmlib", *args],
        cwd=project,
        env=env,
        capture_output=True,
        timeout=timeout,
        encoding="utf-8",
        errors="replace",
    )


def new_project(tmp_path: Path, catalogue: str) -> Path:
    """A project with its own copy of the taxonomy (tests edit it) and the fixture documents."""
    project = make_project(tmp_path / "project", catalogue, FIXTURES / "docs")
    (project / "taxonomy").unlink()
    shutil.copytree(ROOT / "taxonomy", project / "taxonomy")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("the previous build\n", encoding="utf-8")
    (project / "dist").mkdir()
    (project / "dist" / "old.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    return project


def state(project: Path) -> tuple:
    """What a refused command must leave as it was: the catalogue, site/ and dist/."""
    digest = hashlib.sha256((project / "resources.yaml").read_bytes()).hexdigest()
    listing = sorted(
        (p.relative_to(project).as_posix(), p.read_bytes())
        for folder in ("site", "dist")
        for p in (project / folder).rglob("*")
        if p.is_file()
    )
    leftovers = sorted(p.name for p in project.iterdir() if p.name.startswith(".spm-build-"))
    return digest, listing, leftovers


def assert_refused(result: subprocess.CompletedProcess, where: str, *words: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 1, (result.returncode, output[-3000:])  # not 139 (SIGSEGV), not 0
    assert "Traceback" not in output, output[-3000:]
    assert re.search(rf"(^|\s){re.escape(where)}: error:", output, re.M), output[-3000:]
    for word in words:
        assert word in output, output[-3000:]


# ---------------------------------------------------------------------------------------------
# The catalogue: (name, resources.yaml, where, words in the message)
DEEP = 100_000
CATALOGUE_CASES = [
    ("form feed in a title", replace_line(4, "    title: {en: A good\x0centry}"), "resources.yaml:4", ["U+000C"]),
    ("NUL in an id", replace_line(2, "  - id: good\x00entry"), "resources.yaml:2", ["U+0000"]),
    ("terminal escape in a title", replace_line(4, "    title: {en: \x1b[2JA good entry}"), "resources.yaml:4", ["U+001B"]),
    (
        "DEL in a link",
        replace_line(7, '      - {lang: en, url: "https://example.org/a\x7f.pdf"}'),
        "resources.yaml:7",
        ["U+007F"],
    ),
    ("NEXT LINE U+0085", replace_line(4, "    title: {en: A good\x85entry}"), "resources.yaml:4", ["U+0085"]),
    ("an escape written as \\e", replace_line(4, '    title: {en: "A \\e[31m good entry"}'), "resources.yaml:4", ["U+001B"]),
    ("a form feed written as \\f", replace_line(4, '    title: {en: "A \\f good entry"}'), "resources.yaml:4", ["U+000C"]),
    ("[[[[ on one line", replace_line(4, "    title: " + "[" * DEEP), "resources.yaml:4", ["nested"]),
    ("- - - - on one line", "resources:\n" + "- " * DEEP + "x\n", "resources.yaml:2", ["nested"]),
    ("- - - - at the top", "- " * DEEP + "x\n", "resources.yaml:1", ["nested"]),
    ("{a: {a: on one line", replace_line(4, "    title: " + "{a: " * DEEP), "resources.yaml:4", ["nested"]),
    ("? ? ? on one line", "resources:\n  " + "? " * DEEP + "x\n", "resources.yaml:2", ["nested"]),
    ("folded id ending in a newline", replace_line(2, "  - id: >\n      good-entry\n"), "resources.yaml:2", ["'good-entry\\n'"]),
    (
        "topic ending in a newline",
        replace_line(5, '    standards: [4A]\n    topics: ["governance\\n"]'),
        "resources.yaml:6",
        ["not a slug"],
    ),
    (
        "url ending in a newline",
        replace_line(7, '      - {lang: en, url: "https://example.org/a.pdf\\n"}'),
        "resources.yaml:7",
        ["line break"],
    ),
    (
        "local path ending in a newline",
        replace_line(7, '      - {lang: en, url: "documents/sample-guide.pdf\\n"}'),
        "resources.yaml:7",
        ["line break"],
    ),
    ("topic slug index", replace_line(5, "    standards: [4A]\n    topics: [index]"), "resources.yaml:6", ["reserved"]),
    (
        "topic without names",
        replace_line(5, "    standards: [4A]\n    topics: [micro-insurance]"),
        "resources.yaml:6",
        ["taxonomy/topics.yaml"],
    ),
    (
        "a Markdown page as a document",
        replace_line(7, "      - {lang: en, url: about.md}"),
        "resources.yaml:7",
        ["page of the site"],
    ),
    ("a translated page", replace_line(7, "      - {lang: fr, url: index.fr.md}"), "resources.yaml:7", ["page of the site"]),
    ("a hidden file", replace_line(7, "      - {lang: en, url: documents/.secret.pdf}"), "resources.yaml:7", ["hidden"]),
    ("a folder", replace_line(7, "      - {lang: en, url: documents}"), "resources.yaml:7", ["not a regular file"]),
    ("an anchor without alias", replace_line(4, "    title: &t {en: A good entry}"), "resources.yaml:4", ["anchor '&t'"]),
    ("an anchor on an entry", replace_line(2, "  - &entry\n    id: good-entry"), "resources.yaml:2", ["anchor '&entry'"]),
    ("a bidi override in an id", replace_line(2, '  - id: "good-\u202eentry"'), "resources.yaml:2", ["not a slug"]),
    (
        "a zero-width space in an address",
        replace_line(7, '      - {lang: en, url: "https://exa\u200bmple.org/a.pdf"}'),
        "resources.yaml:7",
        ["U+200B"],
    ),
]


@pytest.mark.parametrize(("name", "text", "where", "words"), CATALOGUE_CASES, ids=[c[0] for c in CATALOGUE_CASES])
def test_make_check_refuses_bad_catalogues(tmp_path, name, text, where, words):
    project = new_project(tmp_path, text)
    before = state(project)
    assert_refused(spm(project, "check"), where, *words)
    assert state(project) == before


# The slower commands on a few of the same inputs: each must stop before writing anything.
SLOW_CASES = [
    c for c in CATALOGUE_CASES if c[0] in ("form feed in a title", "- - - - on one line", "folded id ending in a newline")
]


@pytest.mark.parametrize(
    "command",
    [("build", "--jobs", "2"), ("bundle", "--lang", "en"), ("translations", "export", "-o", "dist/t.csv")],
    ids=["build", "bundle", "export"],
)
@pytest.mark.parametrize(("name", "text", "where", "words"), SLOW_CASES, ids=[c[0] for c in SLOW_CASES])
def test_build_bundle_and_export_refuse_bad_catalogues(tmp_path, command, name, text, where, words):
    project = new_project(tmp_path, text)
    before = state(project)
    assert_refused(spm(project, *command), where, *words)
    assert state(project) == before


def test_deep_nesting_is_refused_in_a_subprocess_not_a_segfault(tmp_path):
    """libyaml recurses in C: without the guard, these kill the process with SIGSEGV (exit 139)."""
    for text in ("- " * DEEP + "x", "a: " + "[" * DEEP, "a:\n  " + "- " * DEEP + "x", "a: " + "{a: " * DEEP + "b"):
        script = (
            "import sys; from spmlib.model.yamlsrc import load_yaml_text as l; p = l(sys.stdin.read(), 'f.yaml')[1]; print(p[0])"
        )
        result = subprocess.run([sys.executable, "-c", script], input=text, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (result.returncode, result.stderr[-500:])
        assert re.match(r"f\.yaml:\d+: error: the YAML is nested more than 50 levels deep", result.stdout)


@pytest.mark.parametrize("depth", [30, 51, 60, 500])
def test_nesting_depth_limit_is_the_same_on_every_path(depth):
    """Written over lines or on one line, 50 levels pass and 51 do not."""
    for text in ("a: " + "[" * depth + "]" * depth, "- " * depth + "x", "a: " + "{a: " * depth + "b" + "}" * (depth - 1)):
        _, problems = load_yaml_text(text, "f.yaml")
        nested = [p for p in problems if "nested" in p.message]
        assert bool(nested) == (depth > 50), (text[:80], depth, problems)
        assert all(p.line == 1 for p in nested)


# ---------------------------------------------------------------------------------------------
# The taxonomy: (name, file, transformation of its text, where, words)
def _sub(pattern: str, repl: str, count: int = 1):
    return lambda text: re.sub(pattern, repl, text, count=count, flags=re.M)


def ui_line(pattern: str, file: str = "ui.yaml") -> str:
    """'taxonomy/<file>:N' for the first line of the shipped taxonomy file that matches `pattern`:
    translators move lines, the tests follow them."""
    lines = (ROOT / "taxonomy" / file).read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, 1) if re.search(pattern, line))
    return f"taxonomy/{file}:{number}"


TAXONOMY_CASES = [
    ("topics as a list", "topics.yaml", lambda t: "topics:\n  - client-protection\n", "taxonomy/topics.yaml:1", ["mapping"]),
    ("formats as a list", "ui.yaml", _sub(r"^formats:\n(  .*\n)+", "formats: [pdf]\n"), ui_line(r"^formats:"), ["'formats'"]),
    (
        "standards as a number",
        "dimensions.yaml",
        _sub(r"^    standards:$", "    standards: 5\n    was:"),
        ui_line(r"^    standards:$", "dimensions.yaml"),
        ["'standards'"],
    ),
    ("types as a mapping", "types.yaml", lambda t: "types: {guide: Guide}\n", "taxonomy/types.yaml:1", ["list"]),
    ("languages as text", "site.yaml", _sub(r"^languages: .*$", "languages: en"), "taxonomy/site.yaml:4", ["'languages'"]),
    (
        "misspelt placeholder",
        "ui.yaml",
        _sub(r"elle est présentée en \{language\}", "elle est présentée en {langue}"),
        ui_line(r"elle est présentée en \{language\}"),
        ["{langue}"],
    ),
    (
        "attribute in a placeholder",
        "ui.yaml",
        _sub(r'"Dimensión \{n\}"', '"Dimensión {n.__class__}"'),
        ui_line(r"\"Dimensión \{n\}\""),
        ["placeholder"],
    ),
    ("unbalanced brace", "ui.yaml", _sub(r'"Norme \{code\}"', '"Norme {code"'), ui_line(r"\"Norme \{code\}\""), ["braces"]),
    (
        "placeholder in a plain label",
        "ui.yaml",
        _sub(r"^home: \{en: Home,", 'home: {en: "Home {n}",'),
        ui_line(r"^home: "),
        ["{n}"],
    ),
    (
        "plural as plain text",
        "ui.yaml",
        _sub(r"^resources_count:\n(  .*\n)+", 'resources_count: "{n} resources"\n'),
        ui_line(r"^resources_count:"),
        ["'one' and 'other'"],
    ),
    ("missing label", "ui.yaml", _sub(r"^browse: .*\n", ""), "taxonomy/ui.yaml", ["'browse' is missing"]),
    (
        "topic slug index",
        "topics.yaml",
        _sub(r"^topics:$", "topics:\n  index: {en: I, fr: I, es: I, pt: I}"),
        "taxonomy/topics.yaml:4",
        ["reserved"],
    ),
    ("type code index", "types.yaml", _sub(r"code: guide$", "code: index"), "taxonomy/types.yaml:3", ["reserved"]),
    ("topic without Portuguese", "topics.yaml", _sub(r", pt: Cobrança\}", "}"), "taxonomy/topics.yaml:5", ["missing 'pt'"]),
    (
        "type without French",
        "types.yaml",
        _sub(r"\{en: Guide, fr: Guide, ", "{en: Guide, "),
        "taxonomy/types.yaml:4",
        ["missing 'fr'"],
    ),
    (
        "label in an unknown language",
        "ui.yaml",
        _sub(r"^home: \{en: Home,", "home: {en: Home, de: Startseite,"),
        ui_line(r"^home: "),
        ["'de'"],
    ),
    ("form feed", "topics.yaml", _sub(r"Recouvrement", "Recouv\x0crement"), "taxonomy/topics.yaml:5", ["U+000C"]),
    (
        "escape written as \\e",
        "topics.yaml",
        lambda t: t.replace("fr: Recouvrement", 'fr: "Recouv\\e[2Jrement"', 1),
        "taxonomy/topics.yaml:5",
        ["U+001B"],
    ),
    (
        "deep nesting",
        "topics.yaml",
        lambda t: t + "x: " + "[" * DEEP + "\n",
        f"taxonomy/topics.yaml:{(ROOT / 'taxonomy' / 'topics.yaml').read_text().count(chr(10)) + 1}",
        ["nested"],
    ),
    ("anchor", "topics.yaml", _sub(r"^  growth: ", "  growth: &g "), "taxonomy/topics.yaml:14", ["anchor"]),
]


@pytest.mark.parametrize(("name", "file", "change", "where", "words"), TAXONOMY_CASES, ids=[c[0] for c in TAXONOMY_CASES])
def test_taxonomy_mistakes_are_file_line_errors(tmp_path, name, file, change, where, words):
    project = new_project(tmp_path, VALID)
    path = project / "taxonomy" / file
    original = path.read_text(encoding="utf-8")
    changed = change(original)
    assert changed != original, "the test's change did not apply"
    path.write_text(changed, encoding="utf-8")
    before = state(project)
    assert_refused(spm(project, "check"), where, *words)
    assert state(project) == before


@pytest.mark.parametrize("name", ["misspelt placeholder", "formats as a list", "standards as a number"])
def test_taxonomy_mistakes_stop_the_build_without_a_traceback(tmp_path, name):
    _, file, change, where, words = next(c for c in TAXONOMY_CASES if c[0] == name)
    project = new_project(tmp_path, VALID)
    path = project / "taxonomy" / file
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    before = state(project)
    assert_refused(spm(project, "build", "--jobs", "2"), where, *words)
    assert "KeyError" not in spm(project, "build", "--jobs", "1").stderr
    assert state(project) == before


def test_the_shipped_taxonomy_declares_every_label_the_site_uses():
    """REQUIRED_LABELS and PLACEHOLDERS follow the templates: a label used but not required would
    fail a build instead of `make check`."""
    from spmlib.model.taxonomy import PLACEHOLDERS, REQUIRED_LABELS

    used = set()
    for path in list((ROOT / "overrides").rglob("*.html")) + list((ROOT / "spmlib").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""(?:v\.t|v\.around|\.label|\.plural)\(\s*["']([a-z_]+)["']""", text))
    assert used and used <= REQUIRED_LABELS, used - REQUIRED_LABELS
    environment = jinja2.Environment()
    for path in (ROOT / "overrides" / "spm").glob("*.html"):
        for call in environment.parse(path.read_text(encoding="utf-8")).find_all(jinja2.nodes.Call):
            if isinstance(call.node, jinja2.nodes.Getattr) and call.node.attr == "t" and call.args:
                # a key, or a choice of keys (`v.t("a" if x else "b")`)
                for key in [const.value for const in call.args[0].find_all(jinja2.nodes.Const) if isinstance(const.value, str)]:
                    assert {kw.key for kw in call.kwargs} <= PLACEHOLDERS.get(key, set()), (path.name, key)


# ---------------------------------------------------------------------------------------------
# Symbolic links under docs/ (item 2)
LINKS = [
    ("documents/passwd.pdf", "/etc/passwd", "documents/passwd.pdf"),
    ("documents/environ.pdf", "/proc/self/environ", "documents/environ.pdf"),
    ("documents/config.pdf", "../../../.git/config", "documents/config.pdf"),
    ("documents/etc", "/etc", "documents/etc/hostname"),
    ("secrets.txt", "/etc/hostname", None),  # not in the catalogue: copied by MkDocs all the same
]


@pytest.mark.parametrize(("link", "target", "url"), LINKS, ids=[link[0] for link in LINKS])
def test_symbolic_links_in_docs_are_refused(tmp_path, link, target, url):
    text = VALID if url is None else replace_line(7, f"      - {{lang: en, url: {url}}}")
    project = new_project(tmp_path, text)
    (project / "docs" / link).symlink_to(target)
    before = state(project)
    where = f"docs/{link}"
    for command in (("check",), ("bundle", "--lang", "en")):
        result = spm(project, *command)
        assert_refused(result, where, "symbolic link")
        if url is not None:
            assert_refused(result, "resources.yaml:7", "symbolic link")
    assert state(project) == before
    with pytest.raises(CatalogueError):
        load_catalogue(project / "resources.yaml", load_taxonomy(project / "taxonomy"), project / "docs")


def test_the_build_publishes_no_symbolic_link(tmp_path):
    project = new_project(tmp_path, VALID)
    (project / "docs" / "secrets.txt").symlink_to("/etc/hostname")
    (project / "docs" / "documents" / "etc").symlink_to("/etc")
    before = state(project)
    assert_refused(spm(project, "build", "--jobs", "2"), "docs/secrets.txt", "symbolic link")
    assert state(project) == before
    # plain `mkdocs build` (and so `make serve`) too, through the hook
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SPM_CATALOGUE", None)
    plain = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "out")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert plain.returncode != 0 and "docs/secrets.txt" in plain.stderr
    assert not (tmp_path / "out" / "secrets.txt").exists()


# ---------------------------------------------------------------------------------------------
# Messages (item 10) and invisible characters (item 11)
@pytest.mark.parametrize(
    "value",
    ["x\n::error file=a.yaml,line=1::forged", "\x1b[2J\x1b[31mred", "a\rb", "rtl\u202eexe.pdf", "zero\u200bwidth", "nel\x85x"],
)
def test_messages_show_values_escaped_on_one_line(value):
    problem = Problem("resources.yaml", 3, f"bad value {value}", resource_id=value, field=value, hint=value)
    text = problem.format()
    assert "\n" not in text and "\r" not in text and "\x1b" not in text
    assert not re.search("[\u202e\u200b\x85]", text)
    assert text.startswith("resources.yaml:3: error:")


@pytest.mark.parametrize(
    "line",
    [
        '  - id: "good-entry\\n::error file=x::forged"',
        '  - id: "\\e[2Jgood-entry"',
        '  - id: good-entry\n    type: "tool\\n::warning::forged"',
    ],
)
def test_a_value_cannot_forge_an_annotation_line(tmp_path, line):
    project = new_project(tmp_path, replace_line(2, line))
    result = spm(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "\x1b" not in result.stderr
    assert not [row for row in result.stderr.splitlines() if row.startswith("::")], result.stderr


@pytest.mark.parametrize(
    ("field", "char"), [("title", "\u202e"), ("title", "\u200b"), ("summary", "\u2066"), ("organization", "\ufeff")]
)
def test_invisible_characters_in_texts_are_warnings(tmp_path, field, char):
    line = {
        "title": f'    title: {{en: "A good{char}entry"}}',
        "summary": f'    title: {{en: A good entry}}\n    summary: {{en: "Sum{char}mary"}}',
        "organization": f'    title: {{en: A good entry}}\n    organization: "Org{char}"',
    }[field]
    project = new_project(tmp_path, replace_line(4, line))
    result = spm(project, "check", "--strict")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(rf"resources.yaml:\d+: warning: .*U\+{ord(char):04X}", result.stderr), result.stderr


def test_invisible_characters_in_the_taxonomy_are_warnings(tmp_path):
    project = new_project(tmp_path, VALID)
    path = project / "taxonomy" / "topics.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("fr: Recouvrement", 'fr: "Recouv\u202erement"'), "utf-8")
    result = spm(project, "check")
    assert result.returncode == 0
    assert "taxonomy/topics.yaml:5: warning: invisible character U+202E" in result.stderr


def test_readme_and_code_agree_on_anchors():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "anchors and aliases" in readme.replace("\n", " ")
    _, problems = load_yaml_text("a: &x 1\nb: 2\n", "f.yaml")
    assert [p.line for p in problems] == [1]


def test_gitignore_ignores_interrupted_build_folders():
    assert ".spm-build-*" in (ROOT / ".gitignore").read_text(encoding="utf-8")
    ignored = subprocess.run(["git", "check-ignore", "-q", ".spm-build-abc123/x"], cwd=ROOT, check=False)
    assert ignored.returncode == 0


# ---------------------------------------------------------------------------------------------
# Taxonomy text is text everywhere (item 1)
PAYLOADS = {
    # (file, old text, new text): each lands in the navigation and on a page's title or heading
    "dimension": ("dimensions.yaml", "en: Treat clients responsibly", "en: Tom & Jerry <b>"),
    "standard": ("dimensions.yaml", "en: Prevention of over-indebtedness", 'en: "</title><script>alert(1)</script>"'),
    "browse": ("ui.yaml", "browse: {en: Browse,", 'browse: {en: "<img src=x onerror=alert(1)>",'),
    "home": ("ui.yaml", "home: {en: Home,", 'home: {en: "Home <i onmouseover=alert(1)>x</i>",'),
    "types": ("ui.yaml", "types: {en: Resource types,", 'types: {en: "Types & <u>kinds</u>",'),
    "type": ("types.yaml", "plural: {en: Tools and templates,", 'plural: {en: "<svg onload=alert(1)>",'),
    "topic": (
        "topics.yaml",
        "client-protection: {en: Client protection,",
        'client-protection: {en: "<a href=javascript:alert(1)>CP</a>",',
    ),
}
SHOWN = {
    "dimension": "Tom & Jerry <b>",
    "standard": "</title><script>alert(1)</script>",
    "browse": "<img src=x onerror=alert(1)>",
    "home": "Home <i onmouseover=alert(1)>x</i>",
    "types": "Types & <u>kinds</u>",
    "type": "<svg onload=alert(1)>",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The fixture library built in English with markup in taxonomy texts."""
    project = new_project(tmp_path_factory.mktemp("hostile"), (FIXTURES / "catalogue.yaml").read_text(encoding="utf-8"))
    for file, old, new in PAYLOADS.values():
        path = project / "taxonomy" / file
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    shutil.rmtree(project / "site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SPM_ONLY_LANGUAGES": "en"}
    env.pop("SPM_CATALOGUE", None)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


def _injected(soup) -> list[str]:
    found = []
    for tag in soup.find_all(True):
        if any(name.lower().startswith("on") for name in tag.attrs):
            found.append(str(tag)[:80])
        if tag.name in ("b", "u") or (tag.name == "a" and tag.get("href", "").startswith("javascript:")):
            found.append(str(tag)[:80])
        if tag.name == "script" and tag.get("type") == "application/ld+json":
            # data, never run: it must parse, and hold no "<" that could close its element
            text = tag.string or ""
            if "<" in text or not isinstance(json.loads(text), dict):
                found.append(str(tag)[:80])
        elif tag.name == "script" and "alert(1)" in (tag.string or ""):
            found.append(str(tag)[:80])
    return found


def test_taxonomy_markup_is_never_html(hostile_site):
    from bs4 import BeautifulSoup

    pages = [p for p in hostile_site.rglob("*.html") if p.relative_to(hostile_site).parts[0] not in ("fr", "es", "pt")]
    assert len(pages) > 20
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert not _injected(soup), (path.relative_to(hostile_site), _injected(soup))


@pytest.mark.parametrize("key", list(SHOWN))
def test_taxonomy_text_shows_literally_in_the_navigation(hostile_site, key):
    from bs4 import BeautifulSoup

    # Each page's navigation holds its own section (navigation.prune): the home page has the
    # tabs, a dimension's page its dimensions and standards, the type index the types.
    texts = []
    for page in ("index.html", "dimensions/4/index.html", "types/index.html"):
        soup = BeautifulSoup((hostile_site / page).read_text(encoding="utf-8"), "html.parser")
        nodes = soup.select(".md-nav__link, .md-tabs__link, .md-nav__title")
        texts += [" ".join(node.get_text(" ", strip=True).split()) for node in nodes]
    assert any(SHOWN[key] in text for text in texts), texts
    assert not any("&amp;" in text or "&lt;" in text for text in texts), "escaped twice"


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("dimensions/4/index.html", "4. Tom & Jerry <b>"),
        ("standards/4a/index.html", "4A. </title><script>alert(1)</script>"),
        ("types/tool/index.html", "<svg onload=alert(1)>"),
        ("topics/client-protection/index.html", "<a href=javascript:alert(1)>CP</a>"),
        ("types/index.html", "Types & <u>kinds</u>"),
    ],
)
def test_taxonomy_text_shows_literally_in_title_heading_and_meta(hostile_site, path, shown):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((hostile_site / path).read_text(encoding="utf-8"), "html.parser")
    assert soup.title.get_text() == f"{shown} - SPM Resource Library"
    assert soup.h1.get_text(" ", strip=True).endswith(re.sub(r"^\d[A-Z]?\. ", "", shown))
    description = soup.select_one('meta[name="description"]')["content"]
    assert "<" not in description and "alert" not in description
    assert not _injected(soup)


# ---------------------------------------------------------------------------------------------
# The translation round trip (items 16, 17)
ROUND_TRIP = """\
resources:
  - id: good-entry
    type: tool
    title: {en: A good entry}
    summary: {}
    standards: [4A]
    links:
      - {lang: en, url: "https://example.org/a.pdf"}
  - id: second-entry
    type: guide
    title:
      en: "=HYPERLINK(\\"https://example.org\\", \\"click\\")"
    summary:
    standards: [4A]
    links:
      - {lang: en, url: "https://example.org/b.pdf"}
"""


def write_translations(path: Path, rows: list[list[str]], delimiter: str = ",", eol: str = "\r\n") -> None:
    """A CSV as a spreadsheet saves it: BOM, the chosen delimiter, CRLF rows."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=eol)
    writer.writerow(["id", "field", "language", "source_language", "source_text", "translation"])
    writer.writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_export_neutralises_formulas_and_import_restores_them(tmp_path, start):
    import csv

    from spmlib.outputs.translations import read_csv, write_csv

    text = f'{start}HYPERLINK("https://example.org", "x")'
    write_csv(
        [{"id": "a", "field": "title", "language": "fr", "source_language": "en", "source_text": text, "translation": ""}],
        tmp_path / "t.csv",
    )
    with open(tmp_path / "t.csv", encoding="utf-8-sig", newline="") as handle:
        cell = next(iter(csv.DictReader(handle)))["source_text"]
    assert cell == "'" + text  # a spreadsheet shows it as text, never runs it
    write_translations(tmp_path / "back.csv", [["a", "title", "fr", "en", cell, f"'{start}Titre"]])
    rows, problems = read_csv(tmp_path / "back.csv")
    assert not problems and rows[0].translation == f"{start}Titre".strip()


@pytest.mark.parametrize(
    ("delimiter", "eol"),
    [(";", "\r\n"), ("\t", "\r\n"), (",", "\n"), (";", "\n")],
    ids=["semicolon", "tab", "comma-lf", "semicolon-lf"],
)
def test_import_reads_what_spreadsheets_save(tmp_path, delimiter, eol):
    project = new_project(tmp_path, ROUND_TRIP)
    write_translations(
        project / "t.csv",
        [
            ["good-entry", "summary", "fr", "en", "", "Un résumé ; avec un point-virgule"],
            ["second-entry", "title", "fr", "en", "'=HYPERLINK(...)", "'=Un titre"],
            ["second-entry", "summary", "es", "en", "", "Un resumen"],
        ],
        delimiter,
        eol,
    )
    result = spm(project, "translations", "import", "t.csv")
    assert result.returncode == 0, result.stderr
    text = (project / "resources.yaml").read_text(encoding="utf-8")
    assert "    summary: {fr: Un résumé ; avec un point-virgule}\n" in text  # not `{, fr: ...}`
    assert "    summary:\n      es: Un resumen\n" in text
    catalogue = load_catalogue(project / "resources.yaml", load_taxonomy(project / "taxonomy"))
    assert catalogue.by_id["second-entry"].title["fr"] == "=Un titre"
    assert catalogue.by_id["good-entry"].summary == {"fr": "Un résumé ; avec un point-virgule"}


def test_import_keeps_crlf_line_endings(tmp_path):
    project = new_project(tmp_path, VALID)
    (project / "resources.yaml").write_bytes(ROUND_TRIP.replace("\n", "\r\n").encode("utf-8"))
    write_translations(
        project / "t.csv",
        [["good-entry", "title", "fr", "en", "", "Une bonne entrée"], ["second-entry", "summary", "pt", "en", "", "Um resumo"]],
    )
    result = spm(project, "translations", "import", "t.csv")
    assert result.returncode == 0, result.stderr
    raw = (project / "resources.yaml").read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n") and b"fr: Une bonne entr" in raw and b"pt: Um resumo" in raw
    assert raw.replace(b"title: {en: A good entry, fr: Une bonne entr\xc3\xa9e}", b"title: {en: A good entry}").replace(
        b"    summary:\r\n      pt: Um resumo\r\n", b"    summary:\r\n"
    ) == ROUND_TRIP.replace("\n", "\r\n").encode("utf-8")


IMPORT_ERRORS = [
    ("too long a title", [["good-entry", "title", "fr", "en", "", "x" * 301]], "t.csv:2", ["301 characters"]),
    (
        "too long on the third row",
        [
            ["good-entry", "summary", "fr", "en", "", "ok"],
            ["x", "y", "fr", "", "", ""],
            ["second-entry", "title", "pt", "en", "", "y" * 400],
        ],
        "t.csv:4",
        ["400 characters"],
    ),
    ("form feed", [["good-entry", "title", "fr", "en", "", "Une\x0centrée"]], "t.csv:2", ["U+000C"]),
    ("escape", [["good-entry", "summary", "es", "en", "", "\x1b[2J"]], "t.csv:2", ["U+001B"]),
    ("NUL", [["good-entry", "summary", "es", "en", "", "a\x00b"]], "t.csv:2", ["U+0000"]),
    ("unknown id", [["nope", "title", "fr", "en", "", "Titre"]], "t.csv:2", ["no entry has the id 'nope'"]),
]


@pytest.mark.parametrize(("name", "rows", "where", "words"), IMPORT_ERRORS, ids=[c[0] for c in IMPORT_ERRORS])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_import_errors_cite_the_csv_row(tmp_path, name, rows, where, words, delimiter):
    project = new_project(tmp_path, ROUND_TRIP)
    write_translations(project / "t.csv", rows, delimiter)
    before = state(project)
    result = spm(project, "translations", "import", "t.csv")
    assert_refused(result, where, *words)
    assert "resources.yaml:" not in result.stderr
    assert state(project) == before


def test_a_deeply_nested_translation_is_only_text(tmp_path):
    project = new_project(tmp_path, ROUND_TRIP)
    write_translations(project / "t.csv", [["good-entry", "summary", "fr", "en", "", "[" * DEEP]])
    result = spm(project, "translations", "import", "t.csv")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    catalogue = load_catalogue(project / "resources.yaml", load_taxonomy(project / "taxonomy"))
    assert catalogue.by_id["good-entry"].summary["fr"] == "[" * DEEP


def test_the_threat_model_is_written_down_and_linked():
    security = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert "## Threat model" in security
    for heading in ("### Who can change what", "### What the build trusts", "### What it refuses"):
        assert heading in security
    for part in ("resources.yaml", "taxonomy/", "docs/", ".github/workflows/"):
        assert part in security
    assert "(SECURITY.md)" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
