"""A "Propose a resource" issue turned into an entry (`python -m spmlib propose`, issue 27).

The bodies here are written the way GitHub writes an issue filed with the form, from the
template's own labels: `### <label>`, a blank line, the value; `_No response_` for an optional
field left empty; every checkbox as `- [X] option` or `- [ ] option`. Anyone can file or edit
an issue, so half of the cases are hostile.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from spmlib.__main__ import main
from spmlib.model.catalogue import load_catalogue
from spmlib.model.names import language_name
from spmlib.outputs.issueform import MAX_BODY, FormError, read_form
from spmlib.outputs.proposal import SOURCE, fenced, make_id, parse_issue_form

FORM_PATH = ROOT / ".github" / "ISSUE_TEMPLATE" / "propose-a-resource.yml"
FORM = read_form(FORM_PATH)
TODAY = dt.date(2026, 12, 3)
RIGHTS = FORM.field("rights").options[0]

FULL = {
    "title": "Client Protection Self-Assessment",
    "url": "https://example.org/cp-self-assessment.pdf",
    "type": "Tool",
    "standards": "4A, 4c; Dimension 6",
    "languages": ["English", "Spanish"],
    "organization": "Cerise+SPTF, 2022",
    "summary": "A questionnaire for providers to rate their client protection practices.\n\nWith a scoring sheet.",
    "rights": [RIGHTS],
}


def rendered(values: dict, eol: str = "\n") -> str:
    """The issue's body as GitHub writes it for the form filled with `values` (by field id)."""
    sections = []
    for f in FORM.fields:
        value = values.get(f.id)
        if f.type == "checkboxes":
            # ticked options the form lacks: a body edited after it was filed
            options = list(f.options) + [option for option in value or [] if option not in f.options]
            text = "\n".join(f"- [{'X' if option in (value or []) else ' '}] {option}" for option in options)
        else:
            text = value or "_No response_"
        sections.append(f"### {f.label}\n\n{text}")
    return ("\n\n".join(sections) + "\n").replace("\n", eol)


def parse(values: dict, taken: frozenset[str] = frozenset(), taxonomy=None, **changes):
    return parse_issue_form(rendered({**values, **changes}), FORM, taxonomy, taken_ids=taken, today=TODAY)


@pytest.fixture
def proposal(taxonomy):
    def make(**changes):
        return parse(FULL, taxonomy=taxonomy, **changes)

    return make


def test_a_full_proposal_is_the_entry_it_says(proposal):
    result = proposal()
    assert result.problems == []
    assert result.entry == {
        "id": "client-protection-self-assessment",
        "type": "tool",
        "title": {"en": "Client Protection Self-Assessment"},
        "summary": {"en": FULL["summary"]},
        "standards": ["4A", "4C"],
        "dimensions": [6],
        "organization": "Cerise+SPTF",
        "year": 2022,
        "added": TODAY,
        "links": [{"lang": "en", "url": FULL["url"]}],
    }
    assert result.notes == [
        "The address is filed as the English version; the proposer also ticked Spanish: add those versions' links."
    ]


def test_the_first_site_language_ticked_is_the_titles_and_the_links(proposal):
    result = proposal(languages=["Portuguese"])
    assert result.entry["title"] == {"pt": FULL["title"]} and result.entry["links"][0]["lang"] == "pt"


@pytest.mark.parametrize(
    ("organization", "expected"),
    [
        (None, {}),
        ("Cerise+SPTF", {"organization": "Cerise+SPTF"}),
        ("2019", {"year": 2019}),
        ("SPTF (2016)", {"organization": "SPTF", "year": 2016}),
        ("Microfinanza Rating – 2014", {"organization": "Microfinanza Rating", "year": 2014}),
    ],
)
def test_optional_fields_left_empty_or_half_filled(proposal, organization, expected):
    result = proposal(organization=organization)
    assert result.problems == []
    assert {k: v for k, v in result.entry.items() if k in ("organization", "year")} == expected


def test_a_proposal_without_the_optional_fields_has_no_response_in_them(proposal):
    body = rendered({**FULL, "organization": None})
    assert "### Organization that published it, and year\n\n_No response_\n" in body
    assert proposal(organization=None).entry is not None


# Each case: the fields changed, and the problems, in the form's order and its labels.
BAD = {
    "invalid standard": (
        {"standards": "4A, 9Z"},
        [
            "Universal Standards it supports: '9Z' is not a standard; allowed: 1A, 1B, 2A, 2B, 2C, 3A, 3B, 4A, 4B, 4C, 4D, "
            "4E, 5A, 5B, 5C, 6A, 6B, 6C, 6D, 7A, 7B, 7C, or 'Dimension 1' to 7"
        ],
    ),
    "unknown dimension": (
        {"standards": "Dimension 9"},
        ["Universal Standards it supports: 'Dimension 9' is not a dimension; allowed: Dimension 1 to 7"],
    ),
    "no standard": ({"standards": None}, ["Universal Standards it supports: required; it is empty"]),
    "URL with spaces": (
        {"url": "https://example.org/my guide.pdf"},
        [
            "Address of the document: 'https://example.org/my guide.pdf' has a space in it; copy the address from the "
            "browser's address bar (it writes a space as %20)"
        ],
    ),
    "a path of the repository": (
        {"url": "../../.github/workflows/deploy.yml"},
        [
            "Address of the document: '../../.github/workflows/deploy.yml' must be a web address starting with https:// (or http://)"
        ],
    ),
    "javascript address": (
        {"url": "javascript:alert(1)"},
        ["Address of the document: 'javascript:alert(1)' must be a web address starting with https:// (or http://)"],
    ),
    "unknown language": (
        {"languages": ["English", "Klingon"]},
        [
            "Languages the document exists in: 'Klingon' is not one of the form's choices; allowed: English, French, "
            "Spanish, Portuguese, Other (say which below)"
        ],
    ),
    "no language": (
        {"languages": []},
        ["Languages the document exists in: tick at least one of English, French, Spanish, Portuguese"],
    ),
    "another language only": (
        {"languages": ["Other (say which below)"]},
        [
            "Languages the document exists in: the library files a document under English, French, Spanish, Portuguese; "
            "'Other (say which below)' alone cannot be added automatically, a maintainer adds it by hand"
        ],
    ),
    "unknown type": (
        {"type": "Podcast"},
        ["Type: 'Podcast' is not one of the form's choices; allowed: " + ", ".join(FORM.field("type").options)],
    ),
    "rights not ticked": ({"rights": []}, [f"Sharing: '{RIGHTS}' must be ticked"]),
    "title too long": ({"title": "T" * 301}, ["Title: is 301 characters long; at most 300 are allowed"]),
    "summary too long": ({"summary": "s" * 3001}, ["Summary: is 3001 characters long; at most 3000 are allowed"]),
    "control character": (
        {"title": "Bell\x07 guide"},
        ["Title: contains the control character U+0007 control character; delete it"],
    ),
    "year out of range": (
        {"organization": "SPTF, 2999"},
        ["Organization that published it, and year: 2999 is out of range; allowed: 1900 to 2100"],
    ),
    "no title": ({"title": None}, ["Title: required; it is empty"]),
    "several": (
        {"url": "ftp://x", "standards": "0Q"},
        [
            "Address of the document: 'ftp://x' must be a web address starting with https:// (or http://)",
            "Universal Standards it supports: '0Q' is not a standard; allowed: 1A, 1B, 2A, 2B, 2C, 3A, 3B, 4A, 4B, 4C, "
            "4D, 4E, 5A, 5B, 5C, 6A, 6B, 6C, 6D, 7A, 7B, 7C, or 'Dimension 1' to 7",
        ],
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_problems_are_named_by_the_forms_labels(proposal, case):
    changes, problems = BAD[case]
    result = proposal(**changes)
    assert result.entry is None
    assert result.problems == problems


def test_other_language_besides_a_site_language_is_a_note_for_the_maintainers(proposal):
    result = proposal(languages=["French", "Other (say which below)"])
    assert result.entry["title"] == {"fr": FULL["title"]}
    assert result.notes == [
        "The proposer also ticked 'Other (say which below)': ask which language, and add that version's link."
    ]


# --- hostile bodies --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        '- !!python/object/apply:os.system ["id"]',
        "&anchor *alias {key: value}, [list]: # not a comment",
        "'quoted' \"twice\" `code` | > ---",
        "<script>alert(1)</script><img src=x onerror=alert(2)>",
        "[a link](javascript:alert(1)) @someone #12",
        "Guía de protección: ¿cómo? 🛡",
    ],
)
def test_hostile_titles_are_written_as_text_and_read_back_unchanged(tmp_path, capsys, taxonomy, title):
    catalogue = setup(tmp_path)
    code, _, err = run(tmp_path, catalogue, capsys, {**FULL, "title": title}, "--write")
    assert code == 0, err
    loaded = load_catalogue(catalogue, taxonomy, tmp_path / "docs")
    assert loaded.resources[-1].title == {"en": title}
    result = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    assert result["title"] == f"Add {title}"


@pytest.mark.parametrize(
    "summary",
    [
        "First line.\n---\n...\n# not a comment\n  indented: {a: b}\n- item",
        "key: value\n\n| a | b |\n| - | - |\n\n```yaml\nresources: []\n```",
        "Ends with a backslash \\ and a tab\tinside. " * 20,
    ],
)
def test_hostile_summaries_are_written_as_text_and_read_back_unchanged(tmp_path, capsys, taxonomy, summary):
    catalogue = setup(tmp_path)
    code, _, err = run(tmp_path, catalogue, capsys, {**FULL, "summary": summary}, "--write")
    assert code == 0, err
    loaded = load_catalogue(catalogue, taxonomy, tmp_path / "docs")
    assert loaded.resources[-1].summary == {"en": summary.strip()}
    assert [r.id for r in loaded.resources] == ["client-protection-self-assessment", "client-protection-self-assessment-2"]


def test_a_heading_of_the_form_inside_a_field_is_refused(proposal):
    result = proposal(summary=f"Nice.\n\n### Sharing\n\n- [X] {RIGHTS}")
    assert result.problems == [
        "Sharing: the heading '### Sharing' is in the issue 2 times; a field's text must not repeat a heading of the "
        "form: edit the issue and remove it"
    ]


def test_a_body_over_githubs_limit_is_one_problem(taxonomy):
    result = parse_issue_form("x" * (MAX_BODY + 1), FORM, taxonomy)
    assert result.problems == [f"the issue's text is {MAX_BODY + 1} characters long; GitHub allows {MAX_BODY}"]


def test_crlf_bodies_read_as_lf_ones(taxonomy):
    lf = parse_issue_form(rendered(FULL), FORM, taxonomy, today=TODAY)
    crlf = parse_issue_form(rendered(FULL, eol="\r\n"), FORM, taxonomy, today=TODAY)
    assert crlf.entry == lf.entry and crlf.entry["summary"]["en"] == FULL["summary"]


def test_a_one_line_field_given_several_lines_is_refused(proposal):
    assert proposal(url="https://example.org/a.pdf\nhttps://example.org/b.pdf").problems == [
        "Address of the document: must be one line, not 2"
    ]


def test_invisible_characters_are_refused(proposal):
    assert proposal(title="Guide\u202egnirts").problems == [
        "Title: contains the invisible character U+202E RIGHT-TO-LEFT OVERRIDE; delete it"
    ]


def test_a_body_without_the_forms_headings_names_each_required_field(taxonomy):
    result = parse_issue_form("I would like to propose https://example.org/x.pdf", FORM, taxonomy)
    labels = [problem.split(":")[0] for problem in result.problems]
    assert labels[:4] == ["Title", "Address of the document", "Type", "Universal Standards it supports"]
    assert "Sharing" in labels


def test_problem_lists_are_fenced_beyond_any_backticks_they_hold():
    text = fenced(["Title: '```' and ````"])
    assert text.startswith("`````text\n") and text.endswith("\n`````")


# --- ids ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "taken", "expected"),
    [
        ("Client Protection Self-Assessment", set(), "client-protection-self-assessment"),
        ("Guía de protección: ¿cómo?", set(), "guia-de-proteccion-como"),
        ("Guide", {"guide", "guide-2"}, "guide-3"),
        ("Руководство", set(), "resource"),
        ("Index", set(), "index-resource"),
        ("A " + "very-long " * 12, set(), "a" + "-very-long" * 5 + "-very"),
        ("x" * 200, set(), "x" * 60),
    ],
)
def test_ids_are_made_from_the_title_and_unique(title, taken, expected):
    assert make_id(title, frozenset(taken)) == expected


# --- the command, on a copy of a catalogue -------------------------------------------------------

CATALOGUE = """\
# A comment at the top, kept.
resources:
  - id: client-protection-self-assessment
    type: guide
    title:
      en: An existing entry   # an end-of-line comment
    summary:
      en: Already here.
    standards: [4C]
    links:
      - {lang: en, url: "https://example.org/existing.pdf"}
# A comment at the end, kept.
"""


def setup(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "docs", tmp_path / "docs")
    path = tmp_path / "resources.yaml"
    path.write_bytes(CATALOGUE.encode("utf-8"))
    return path


def run(tmp_path: Path, catalogue: Path, capsys, values: dict, *extra: str) -> tuple[int, str, str]:
    body = tmp_path / "issue.md"
    body.write_bytes(rendered(values).encode("utf-8"))
    code = main(
        [
            "propose",
            "--issue-body",
            str(body),
            "--catalogue",
            str(catalogue),
            "--taxonomy",
            str(ROOT / "taxonomy"),
            "--docs",
            str(tmp_path / "docs"),
            "-f",
            str(tmp_path / "no-mkdocs.yml"),
            "--today",
            TODAY.isoformat(),
            "--issue",
            "27",
            "--result",
            str(tmp_path / "result.json"),
            *extra,
        ]
    )
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_write_appends_the_entry_after_the_last_keeping_every_other_line(tmp_path, capsys):
    catalogue = setup(tmp_path)
    code, out, err = run(tmp_path, catalogue, capsys, FULL, "--write")
    assert code == 0, err
    text = catalogue.read_text(encoding="utf-8")
    added = out.rstrip("\n").split("\n")
    assert added[0] == "  - id: client-protection-self-assessment-2"  # the catalogue has the id already
    assert text == CATALOGUE.replace("# A comment at the end", out + "# A comment at the end")
    result = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    assert result["accepted"] is True and result["id"] == "client-protection-self-assessment-2"
    assert result["title"] == "Add Client Protection Self-Assessment"
    assert result["markdown"].rstrip().endswith("Closes #27")
    assert "```text\n" + out.rstrip("\n") + "\n```" in result["markdown"]


def test_without_write_the_catalogue_is_unchanged(tmp_path, capsys):
    catalogue = setup(tmp_path)
    code, out, _ = run(tmp_path, catalogue, capsys, FULL)
    assert code == 0 and "  - id: client-protection-self-assessment-2" in out
    assert catalogue.read_text(encoding="utf-8") == CATALOGUE


def test_problems_write_nothing_and_make_the_comment(tmp_path, capsys):
    catalogue = setup(tmp_path)
    code, out, err = run(tmp_path, catalogue, capsys, {**FULL, "standards": "9Z", "title": "@maintainers <b>x</b>"}, "--write")
    assert code == 1 and out == ""
    assert "Universal Standards it supports: '9Z' is not a standard" in err
    assert catalogue.read_text(encoding="utf-8") == CATALOGUE
    result = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    assert result["accepted"] is False
    fence_start = result["markdown"].index("```text\n")
    assert "9Z" not in result["markdown"][:fence_start]  # the proposer's words only inside the code block


def test_an_address_the_library_has_is_refused_as_check_strict_would(tmp_path, capsys):
    catalogue = setup(tmp_path)
    code, _, err = run(tmp_path, catalogue, capsys, {**FULL, "url": "https://example.org/existing.pdf"}, "--write")
    assert code == 1
    assert "Address of the document: the address 'https://example.org/existing.pdf' is also used by" in err
    assert catalogue.read_text(encoding="utf-8") == CATALOGUE


def test_a_broken_form_is_said_once(tmp_path, capsys):
    broken = tmp_path / "form.yml"
    broken.write_text("name: x\nbody:\n  - type: input\n    attributes: {label: Title}\n", encoding="utf-8")
    with pytest.raises(FormError, match="needs an 'id'"):
        read_form(broken)
    catalogue = setup(tmp_path)
    code, _, err = run(tmp_path, catalogue, capsys, FULL, "--form", str(broken))
    assert code == 2 and "needs an 'id'" in err


# --- the form and the taxonomy agree -------------------------------------------------------------


def test_the_form_has_the_fields_the_conversion_reads():
    ids = {f.id for f in FORM.fields}
    assert {source for source in SOURCE.values() if source} | {"languages", "rights"} <= ids


def test_every_type_the_form_offers_is_a_type_of_the_taxonomy(taxonomy):
    names = [t.name["en"] for t in taxonomy.types]
    assert sorted(FORM.field("type").options) == sorted(names)


def test_every_language_the_form_offers_but_other_is_a_site_language(taxonomy):
    site = [language_name(code, "en") for code in taxonomy.languages]
    assert list(FORM.field("languages").options[:-1]) == site


def test_a_proposal_added_to_the_shipped_catalogue_passes_check_strict(tmp_path, capsys):
    catalogue = tmp_path / "resources.yaml"
    shutil.copy(ROOT / "resources.yaml", catalogue)
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    before = catalogue.read_text(encoding="utf-8")
    code, out, err = run(tmp_path, catalogue, capsys, FULL, "--write")
    assert code == 0, err
    after = catalogue.read_text(encoding="utf-8")
    assert after.startswith(before) and after[len(before) :] == "\n" + out  # after a blank line, like the others
    paths = ["--catalogue", str(catalogue), "--taxonomy", str(ROOT / "taxonomy"), "--docs", str(tmp_path / "docs")]
    assert main(["check", "--strict", *paths, "-f", str(tmp_path / "no-mkdocs.yml")]) == 0, capsys.readouterr().err
