"""Hostile and careless input (issue 16): every bad input is a file:line error and a non-zero
exit, never a traceback or a signal, and nothing from the build machine is published.

The tables here are the inputs a contributor, a translator or a careless maintainer has been
seen to produce; each runs through the real commands (`python -m spmlib check|build|bundle|
translations import`, as `make` runs them) in a copy of the project.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from conftest import FIXTURES, ROOT, make_project

from spmlib.catalogue import load_catalogue
from spmlib.problems import CatalogueError, Problem
from spmlib.taxonomy import load_taxonomy
from spmlib.yamlsrc import load_yaml_text

VALID = """\
resources:
  - id: good-entry
    type: tool
    title: {en: A good entry}
    standards: [4A]
    links:
      - {lang: en, url: "https://example.org/a.pdf"}
"""


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
    assert result.returncode not in (0, -11, 139) and result.returncode > 0, (result.returncode, output[-3000:])
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
    ("DEL in a link", replace_line(7, '      - {lang: en, url: "https://example.org/a\x7f.pdf"}'), "resources.yaml:7", ["U+007F"]),
    ("NEXT LINE U+0085", replace_line(4, "    title: {en: A good\x85entry}"), "resources.yaml:4", ["U+0085"]),
    ("an escape written as \\e", replace_line(4, '    title: {en: "A \\e[31m good entry"}'), "resources.yaml:4", ["U+001B"]),
    ("a form feed written as \\f", replace_line(4, '    title: {en: "A \\f good entry"}'), "resources.yaml:4", ["U+000C"]),
    ("[[[[ on one line", replace_line(4, "    title: " + "[" * DEEP), "resources.yaml:4", ["nested"]),
    ("- - - - on one line", "resources:\n" + "- " * DEEP + "x\n", "resources.yaml:2", ["nested"]),
    ("- - - - at the top", "- " * DEEP + "x\n", "resources.yaml:1", ["nested"]),
    ("{a: {a: on one line", replace_line(4, "    title: " + "{a: " * DEEP), "resources.yaml:4", ["nested"]),
    ("? ? ? on one line", "resources:\n  " + "? " * DEEP + "x\n", "resources.yaml:2", ["nested"]),
    ("folded id ending in a newline", replace_line(2, "  - id: >\n      good-entry\n"), "resources.yaml:2", ["'good-entry\\n'"]),
    ("topic ending in a newline", replace_line(5, '    standards: [4A]\n    topics: ["governance\\n"]'), "resources.yaml:6", ["not a slug"]),
    ("url ending in a newline", replace_line(7, '      - {lang: en, url: "https://example.org/a.pdf\\n"}'), "resources.yaml:7", ["line break"]),
    ("local path ending in a newline", replace_line(7, '      - {lang: en, url: "documents/sample-guide.pdf\\n"}'), "resources.yaml:7", ["line break"]),
    ("topic slug index", replace_line(5, "    standards: [4A]\n    topics: [index]"), "resources.yaml:6", ["reserved"]),
    ("topic without names", replace_line(5, "    standards: [4A]\n    topics: [micro-insurance]"), "resources.yaml:6", ["taxonomy/topics.yaml"]),
    ("a Markdown page as a document", replace_line(7, "      - {lang: en, url: about.md}"), "resources.yaml:7", ["page of the site"]),
    ("a translated page", replace_line(7, "      - {lang: fr, url: index.fr.md}"), "resources.yaml:7", ["page of the site"]),
    ("a hidden file", replace_line(7, "      - {lang: en, url: documents/.secret.pdf}"), "resources.yaml:7", ["hidden"]),
    ("a folder", replace_line(7, "      - {lang: en, url: documents}"), "resources.yaml:7", ["not a regular file"]),
    ("an anchor without alias", replace_line(4, "    title: &t {en: A good entry}"), "resources.yaml:4", ["anchor '&t'"]),
    ("an anchor on an entry", replace_line(2, "  - &entry\n    id: good-entry"), "resources.yaml:2", ["anchor '&entry'"]),
    ("a bidi override in an id", replace_line(2, '  - id: "good-\u202eentry"'), "resources.yaml:2", ["not a slug"]),
    ("a zero-width space in an address", replace_line(7, '      - {lang: en, url: "https://exa\u200bmple.org/a.pdf"}'), "resources.yaml:7", ["U+200B"]),
]


@pytest.mark.parametrize(("name", "text", "where", "words"), CATALOGUE_CASES, ids=[c[0] for c in CATALOGUE_CASES])
def test_make_check_refuses_bad_catalogues(tmp_path, name, text, where, words):
    project = new_project(tmp_path, text)
    before = state(project)
    assert_refused(spm(project, "check"), where, *words)
    assert state(project) == before


# The slower commands on a few of the same inputs: each must stop before writing anything.
SLOW_CASES = [c for c in CATALOGUE_CASES if c[0] in ("form feed in a title", "- - - - on one line", "folded id ending in a newline")]


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
        script = "import sys; from spmlib.yamlsrc import load_yaml_text as l; p = l(sys.stdin.read(), 'f.yaml')[1]; print(p[0])"
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


TAXONOMY_CASES = [
    ("topics as a list", "topics.yaml", lambda t: "topics:\n  - client-protection\n", "taxonomy/topics.yaml:1", ["mapping"]),
    ("formats as a list", "ui.yaml", _sub(r"^formats:\n(  .*\n)+", "formats: [pdf]\n"), "taxonomy/ui.yaml:71", ["'formats'"]),
    ("standards as a number", "dimensions.yaml", _sub(r"^    standards:$", "    standards: 5\n    was:"), "taxonomy/dimensions.yaml:40", ["'standards'"]),
    ("types as a mapping", "types.yaml", lambda t: "types: {guide: Guide}\n", "taxonomy/types.yaml:1", ["list"]),
    ("languages as text", "site.yaml", _sub(r"^languages: .*$", "languages: en"), "taxonomy/site.yaml:4", ["'languages'"]),
    ("misspelt placeholder", "ui.yaml", _sub(r"elle est présentée en \{language\}", "elle est présentée en {langue}"), "taxonomy/ui.yaml:40", ["{langue}"]),
    ("attribute in a placeholder", "ui.yaml", _sub(r'"Dimensión \{n\}"', '"Dimensión {n.__class__}"'), "taxonomy/ui.yaml:7", ["placeholder"]),
    ("unbalanced brace", "ui.yaml", _sub(r'"Norme \{code\}"', '"Norme {code"'), "taxonomy/ui.yaml:9", ["braces"]),
    ("placeholder in a plain label", "ui.yaml", _sub(r"^home: \{en: Home,", "home: {en: \"Home {n}\","), "taxonomy/ui.yaml:5", ["{n}"]),
    ("plural as plain text", "ui.yaml", _sub(r"^resources_count:\n(  .*\n)+", 'resources_count: "{n} resources"\n'), "taxonomy/ui.yaml:14", ["'one' and 'other'"]),
    ("missing label", "ui.yaml", _sub(r"^browse: .*\n", ""), "taxonomy/ui.yaml", ["'browse' is missing"]),
    ("topic slug index", "topics.yaml", _sub(r"^topics:$", "topics:\n  index: {en: I, fr: I, es: I, pt: I}"), "taxonomy/topics.yaml:4", ["reserved"]),
    ("type code index", "types.yaml", _sub(r"code: guide$", "code: index"), "taxonomy/types.yaml:3", ["reserved"]),
    ("topic without Portuguese", "topics.yaml", _sub(r", pt: Cobrança\}", "}"), "taxonomy/topics.yaml:5", ["missing 'pt'"]),
    ("type without French", "types.yaml", _sub(r"\{en: Guide, fr: Guide, ", "{en: Guide, "), "taxonomy/types.yaml:4", ["missing 'fr'"]),
    ("label in an unknown language", "ui.yaml", _sub(r"^home: \{en: Home,", "home: {en: Home, de: Startseite,"), "taxonomy/ui.yaml:5", ["'de'"]),
    ("form feed", "topics.yaml", _sub(r"Recouvrement", "Recouv\x0crement"), "taxonomy/topics.yaml:5", ["U+000C"]),
    ("escape written as \\e", "topics.yaml", lambda t: t.replace("fr: Recouvrement", 'fr: "Recouv\\e[2Jrement"', 1), "taxonomy/topics.yaml:5", ["U+001B"]),
    ("deep nesting", "topics.yaml", lambda t: t + "x: " + "[" * DEEP + "\n", "taxonomy/topics.yaml:24", ["nested"]),
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
    from spmlib.taxonomy import PLACEHOLDERS, REQUIRED_LABELS

    used = set()
    for path in list((ROOT / "overrides").rglob("*.html")) + list((ROOT / "spmlib").glob("*.py")):
        used |= set(re.findall(r"""(?:v\.t|\.label|\.plural)\(\s*["']([a-z_]+)["']""", path.read_text(encoding="utf-8")))
    assert used and used <= REQUIRED_LABELS, used - REQUIRED_LABELS
    environment = jinja2.Environment()
    for path in (ROOT / "overrides" / "spm").glob("*.html"):
        for call in environment.parse(path.read_text(encoding="utf-8")).find_all(jinja2.nodes.Call):
            if isinstance(call.node, jinja2.nodes.Getattr) and call.node.attr == "t" and call.args:
                key = call.args[0].value
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
        "  - id: good-entry\n    type: \"tool\\n::warning::forged\"",
    ],
)
def test_a_value_cannot_forge_an_annotation_line(tmp_path, line):
    project = new_project(tmp_path, replace_line(2, line))
    result = spm(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "\x1b" not in result.stderr
    assert not [row for row in result.stderr.splitlines() if row.startswith("::")], result.stderr


@pytest.mark.parametrize(("field", "char"), [("title", "\u202e"), ("title", "\u200b"), ("summary", "\u2066"), ("organization", "\ufeff")])
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
