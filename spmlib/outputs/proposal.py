"""From a "Propose a resource" issue to an entry of `resources.yaml`.

A maintainer labels a proposal `accepted`; .github/workflows/proposal.yml then runs
`python -m spmlib propose`, which reads the issue's body against the form
(.github/ISSUE_TEMPLATE/propose-a-resource.yml, spmlib/outputs/issueform.py), turns its fields
into an entry, checks it with the rules of `make check --strict`, and either adds it to the
catalogue (for a pull request that closes the issue) or lists the problems for a comment on the
issue, each named by the form's label as the proposer saw it ("Universal Standards it supports:
'9Z' is not a standard; ...").

The form is in English, one document address, and the title and summary in the document's
language: the entry has that language only, one link, today's `added` date, and an id made from
the title. Translations and more versions are the maintainers' to add on the pull request.

Everything in the body is untrusted. Values are taken as text and checked by the catalogue's
own rules (control and invisible characters, lengths, what an address may be) before anything
is written; the entry is written by the importers' writer (spmlib/outputs/yamledit.py), which
quotes whatever YAML would read otherwise and reads the result back; only web addresses are
accepted (a path would name a file of the repository); the Markdown written for GitHub puts
the proposer's words inside a code block, where no mention, link, image or HTML works.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from spmlib.model.catalogue import Catalogue
from spmlib.model.fields import free_texts
from spmlib.model.names import language_name
from spmlib.model.problems import Problem, show_value
from spmlib.model.rules import ID_MAX, RESERVED_SLUGS
from spmlib.model.schema import catalogue_schema
from spmlib.model.taxonomy import Taxonomy
from spmlib.model.textcheck import describe, first_invisible
from spmlib.outputs.advice import review
from spmlib.outputs.catalogueimport import append_entry
from spmlib.outputs.issueform import FilledForm, IssueForm, read_body

FORM_LANGUAGE = "en"  # the language the form's options are written in
MAX_SUMMARY = 3000  # characters: "two or three sentences", with room to spare
MAX_URL = 2000  # characters: what every browser and server accepts
SLUG_WORDS = 60  # the id made from a title is cut at a word before this many characters
_DIMENSION = re.compile(r"dimension\s*(\S+)", re.IGNORECASE)
_ORG_YEAR = re.compile(r"(?P<org>.*?)[\s,;(–-]*\b(?P<year>\d{4})\)?")

# The form's field ids, and which of them a field of the entry comes from: a problem of the
# entry is named by that field's label. The form and the catalogue may word things differently;
# the ids are the contract (tests/test_proposal.py checks the template has them).
SOURCE = {
    "id": "title",
    "type": "type",
    "title": "title",
    "summary": "summary",
    "standards": "standards",
    "dimensions": "standards",
    "organization": "organization",
    "year": "organization",
    "links": "url",
    "added": None,
}


@dataclass
class Proposal:
    """The entry a proposal makes, or None with the problems, worded "Label: message"; and notes
    for the maintainers (what the entry leaves out), which never stop it."""

    entry: dict | None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def parse_issue_form(
    body: str, form: IssueForm, taxonomy: Taxonomy, taken_ids: frozenset[str] = frozenset(), today: dt.date | None = None
) -> Proposal:
    """The entry an issue's body makes, checked with the catalogue's rules, or its problems."""
    filled = read_body(body, form)
    problems = list(filled.problems)
    if not filled.readable:
        return Proposal(None, problems)
    notes: list[str] = []
    languages = _languages(form, filled, taxonomy, problems, notes)
    lang = languages[0] if languages else None
    entry: dict = {"id": make_id(filled.values.get("title", ""), taken_ids)}
    entry["type"] = _type(form, filled, taxonomy, problems)
    if lang:
        entry["title"] = {lang: filled.values.get("title", "")}
        summary = filled.values.get("summary", "")
        if len(summary) > MAX_SUMMARY:
            problems.append(f"{form.label('summary')}: is {len(summary)} characters long; at most {MAX_SUMMARY} are allowed")
        elif summary:
            entry["summary"] = {lang: summary}
    entry["standards"], entry["dimensions"] = _standards(form, filled, taxonomy, problems)
    entry["organization"], entry["year"] = _organization(filled.values.get("organization", ""))
    entry["added"] = today or dt.date.today()
    url = _address(form, filled, problems)
    if lang and url:
        entry["links"] = [{"lang": lang, "url": url}]
    entry = {name: value for name, value in entry.items() if value not in (None, [], "", {})}
    problems += _checked(entry, form, taxonomy, problems)
    return Proposal(None if problems else entry, in_form_order(problems, form), notes)


def in_form_order(problems: list[str], form: IssueForm) -> list[str]:
    """Problems in the order of the fields they name, as the proposer reads the form."""
    order = {f.label: i for i, f in enumerate(form.fields)}
    return sorted(problems, key=lambda problem: order.get(problem.split(":", 1)[0], -1))


def _languages(form: IssueForm, filled: FilledForm, taxonomy: Taxonomy, problems: list[str], notes: list[str]) -> list[str]:
    """The site languages ticked, in the form's order: the first is the title's and the link's."""
    label = form.label("languages")
    names = {language_name(code, FORM_LANGUAGE).casefold(): code for code in taxonomy.languages}
    ticked = filled.ticked.get("languages", [])
    codes = [names[option.casefold()] for option in ticked if option.casefold() in names]
    others = [option for option in ticked if option.casefold() not in names]
    listed = ", ".join(language_name(code, FORM_LANGUAGE) for code in taxonomy.languages)
    if not codes and others:
        problems.append(
            f"{label}: the library files a document under {listed}; "
            f"{show_value(others[0])} alone cannot be added automatically, a maintainer adds it by hand"
        )
    elif not codes and not any(p.startswith(label + ":") for p in problems):
        problems.append(f"{label}: tick at least one of {listed}")
    if len(codes) > 1:
        notes.append(
            f"The address is filed as the {language_name(codes[0], FORM_LANGUAGE)} version; the proposer "
            f"also ticked {', '.join(language_name(c, FORM_LANGUAGE) for c in codes[1:])}: add those versions' links."
        )
    if codes and others:
        notes.append(f"The proposer also ticked {show_value(others[0])}: ask which language, and add that version's link.")
    return codes


def _type(form: IssueForm, filled: FilledForm, taxonomy: Taxonomy, problems: list[str]) -> str | None:
    """The type whose English name the chosen option is (the form lists the taxonomy's types)."""
    option = filled.values.get("type", "")
    if not option:
        return None
    found = [t.code for t in taxonomy.types if t.name.get(FORM_LANGUAGE, "").casefold() == option.casefold()]
    if not found:
        problems.append(
            f"{form.label('type')}: {show_value(option)} is not the name of a type in taxonomy/types.yaml; "
            "a maintainer must make the form's choices the types' names"
        )
    return found[0] if found else None


def _standards(form: IssueForm, filled: FilledForm, taxonomy: Taxonomy, problems: list[str]) -> tuple[list[str], list[int]]:
    """Standard codes ("4A, 4c") and whole dimensions ("Dimension 6"), separated by commas,
    semicolons, line breaks or spaces; each unknown one is a problem."""
    label = form.label("standards")
    standards: list[str] = []
    dimensions: list[int] = []
    for piece in re.split(r"[,;\n]+", filled.values.get("standards", "")):
        match = _DIMENSION.fullmatch(piece.strip())
        if match:
            number = int(match.group(1)) if match.group(1).isdigit() else None
            if number in taxonomy.dimension_numbers:
                dimensions += [] if number in dimensions else [number]
            else:
                numbers = taxonomy.dimension_numbers
                problems.append(
                    f"{label}: {show_value(piece.strip())} is not a dimension; allowed: Dimension {numbers[0]} to {numbers[-1]}"
                )
            continue
        for code in piece.split():
            if code.upper() in taxonomy.standards:
                standards += [] if code.upper() in standards else [code.upper()]
            else:
                allowed = ", ".join(taxonomy.standard_codes)
                problems.append(f"{label}: {show_value(code)} is not a standard; allowed: {allowed}, or 'Dimension 1' to 7")
    return standards, dimensions


def _organization(text: str) -> tuple[str | None, int | None]:
    """ "Cerise+SPTF, 2022" as the organization and the year; a year alone, or a name alone."""
    match = _ORG_YEAR.fullmatch(text.strip())
    if match is None:
        return text.strip() or None, None
    return match.group("org").strip(" ,;(–-") or None, int(match.group("year"))


def _address(form: IssueForm, filled: FilledForm, problems: list[str]) -> str | None:
    """The document's web address; never a path, which would name a file of the repository."""
    label = form.label("url")
    url = filled.values.get("url", "")
    if not url:
        return None
    if len(url) > MAX_URL:
        problems.append(f"{label}: is {len(url)} characters long; at most {MAX_URL} are allowed")
    elif any(char.isspace() for char in url):
        problems.append(
            f"{label}: {show_value(url)} has a space in it; copy the address from the browser's address bar "
            "(it writes a space as %20)"
        )
    elif not re.match(r"https?://", url, re.IGNORECASE):
        problems.append(f"{label}: {show_value(url)} must be a web address starting with https:// (or http://)")
    else:
        return url
    return None


def _checked(entry: dict, form: IssueForm, taxonomy: Taxonomy, problems: list[str]) -> list[str]:
    """The entry checked with the catalogue's schema, and its texts for invisible characters
    (a warning that `make check --strict` fails on); fields that already have a problem are left
    out, since their value was not taken."""
    already = {problem.split(":", 1)[0] for problem in problems}
    found = []
    for path, message, _value in catalogue_schema(taxonomy).check(entry, ()):
        label = label_of(path, form)
        not_taken = not path or (path[0] not in entry)  # a value left out because of a problem elsewhere
        if label not in already and not (problems and not_taken):
            found.append(f"{label}: {message}")
    for path, text in free_texts(entry):
        char = first_invisible(text)
        if char:
            found.append(f"{label_of(path, form)}: contains the invisible character {describe(char)}; delete it")
    return found


def label_of(path: tuple, form: IssueForm) -> str:
    """The form's label of the field a path of the entry comes from: `links[0].lang` is the
    languages', `year` the organization's; the form's name for the entry as a whole."""
    name = path[0] if path else None
    if name == "links" and len(path) > 2 and path[2] == "lang":
        return form.label("languages")
    source = SOURCE.get(name) if isinstance(name, str) else None
    return form.label(source) if source else form.name


def make_id(title: str, taken: frozenset[str] | set[str]) -> str:
    """An id from the title: its words in lower-case ASCII joined by hyphens, cut at a word,
    and numbered when the catalogue has it already ("guide-2")."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > SLUG_WORDS:
            break
        slug = longer
    slug = slug or (words[0][:SLUG_WORDS] if words else "resource")
    if slug in RESERVED_SLUGS:
        slug += "-resource"
    base, number = slug, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    assert len(slug) <= ID_MAX
    return slug


@dataclass
class Outcome:
    """What `python -m spmlib propose` does with an issue: the catalogue's new text and the lines
    it adds, or the problems; and the Markdown for GitHub (the pull request's text, or the comment)."""

    text: str | None
    lines: tuple[str, ...]
    problems: list[str]
    entry: dict | None
    markdown: str


def propose(
    body: str,
    form: IssueForm,
    catalogue: Catalogue,
    catalogue_path: str | Path,
    docs_dir: str | Path | None,
    today: dt.date | None = None,
    issue: int | None = None,
) -> Outcome:
    """The proposal in `body` added to the catalogue, checked as `make check --strict` would
    (errors, and the warnings about the new entry: an address or a title the library already
    has), or its problems."""
    proposal = parse_issue_form(body, form, taxonomy=catalogue.taxonomy, taken_ids=frozenset(catalogue.by_id), today=today)
    if proposal.entry is None:
        return Outcome(None, (), proposal.problems, None, comment_markdown(proposal.problems))
    rid = proposal.entry["id"]
    appended = append_entry(catalogue_path, catalogue, proposal.entry, docs_dir)
    found = list(appended.problems)
    if appended.catalogue is not None:
        warnings = appended.catalogue.warnings + review(appended.catalogue, today)
        found += [p for p in warnings if p.resource_id == rid or f"'{rid}'" in p.message]
    if found:
        problems = in_form_order([worded(problem, form) for problem in found], form)
        return Outcome(None, appended.lines, problems, proposal.entry, comment_markdown(problems))
    lines = appended.lines[1:] if appended.lines and not appended.lines[0].strip() else appended.lines  # the blank line before
    markdown = pull_request_markdown(lines, proposal.notes, issue)
    return Outcome(appended.text, lines, [], proposal.entry, markdown)


def worded(problem: Problem, form: IssueForm) -> str:
    """A problem of the catalogue with the entry, as the proposer knows the field."""
    path = tuple(int(part) if part.isdigit() else part for part in re.split(r"[.\[\]]+", problem.field or "") if part)
    hint = f" ({problem.hint})" if problem.hint else ""
    return f"{label_of(path, form)}: {problem.message}{hint}"


MAX_LISTED = 30  # problems in one comment; a hostile body could make thousands


def fenced(lines: list[str] | tuple[str, ...]) -> str:
    """Lines inside a Markdown code block, whose fence is longer than any run of backticks in them:
    the proposer's words are shown as written and nothing in them is a link, mention or tag."""
    text = "\n".join(lines)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def comment_markdown(problems: list[str]) -> str:
    listed = problems[:MAX_LISTED]
    more = [f"... and {len(problems) - MAX_LISTED} more"] if len(problems) > MAX_LISTED else []
    return (
        "Thank you for this proposal. It cannot be added to the library automatically yet, because of "
        f"{'this problem' if len(problems) == 1 else 'these problems'}, each named by the form's field:\n\n"
        + fenced(listed + more)
        + "\n\nEdit the issue (the ... menu of its first message, then *Edit*) to correct them; "
        "a maintainer will then label it `accepted` again.\n"
    )


def pull_request_markdown(lines: tuple[str, ...], notes: list[str], issue: int | None) -> str:
    parts = [
        "The resource proposed in the issue, as an entry of `resources.yaml` made by "
        "`.github/workflows/proposal.yml` when a maintainer accepted it:",
        fenced([line.rstrip("\r") for line in lines]),
        "Before merging: open the address and check the entry; add the title and summary in the "
        "other languages (`make translations-export`, CONTRIBUTING.md, *Translating*), and more "
        "links if the document has other versions.",
    ]
    parts += [f"- {note}" for note in notes]
    if issue is not None:
        parts.append(f"Closes #{issue}")
    return "\n\n".join(parts) + "\n"
