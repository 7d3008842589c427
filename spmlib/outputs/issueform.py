"""Reading a GitHub issue form (.github/ISSUE_TEMPLATE/*.yml) and the body of an issue filed with it.

GitHub writes an issue filed with a form as Markdown: one `### <label>` heading per field, in
the form's order, then the value; `_No response_` for an optional field left empty; checkboxes
as `- [X] option` or `- [ ] option`. The labels are read from the template itself, so renaming
a field in the form renames it here and in every message to the proposer.

The body is untrusted: anyone can file an issue, and edit its text afterwards, so headings may
be missing, repeated (a summary that contains `### Sharing`) or out of order, checkbox lines
may name options the form does not have, and any value may hold anything. Each of those is a
problem named by the field's label; nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from spmlib.model.problems import show_value

NO_RESPONSE = "_No response_"  # what GitHub writes for an optional field left empty
MAX_BODY = 65536  # GitHub's own limit on an issue's text, in characters
_CHECKBOX = re.compile(r"- \[([ xX])\] (.*)")
FIELD_TYPES = ("input", "textarea", "dropdown", "checkboxes")


class FormError(Exception):
    """The template itself is not a form this reader understands: the maintainers' mistake."""


@dataclass(frozen=True)
class FormField:
    id: str
    type: str  # input, textarea, dropdown or checkboxes
    label: str
    required: bool = False
    options: tuple[str, ...] = ()  # a dropdown's choices, or the checkboxes' labels
    required_options: tuple[str, ...] = ()  # checkboxes that must be ticked


@dataclass(frozen=True)
class IssueForm:
    name: str
    labels: tuple[str, ...]  # the labels GitHub gives every issue filed with the form
    fields: tuple[FormField, ...]

    def field(self, field_id: str) -> FormField:
        return next(f for f in self.fields if f.id == field_id)

    def label(self, field_id: str) -> str:
        return self.field(field_id).label


@dataclass
class FilledForm:
    """An issue's body read against its form: text values by field id (empty when not given),
    ticked options by field id, and the problems found in reading it, each "Label: message"."""

    values: dict[str, str] = field(default_factory=dict)
    ticked: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    readable: bool = True  # False: too long, or its fields cannot be told apart


def read_form(path: str | Path) -> IssueForm:
    """The form's fields, in its order, from the template (trusted, but checked: a field without
    an id or a label would make every proposal unreadable, so it is said at once)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise FormError(f"{path}: cannot read the issue form: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("body"), list):
        raise FormError(f"{path}: an issue form needs a 'body' list of fields")
    fields = []
    for item in data["body"]:
        if not isinstance(item, dict) or item.get("type") not in FIELD_TYPES:
            continue  # markdown blocks are text for the proposer, not fields
        attributes = item.get("attributes") or {}
        if not isinstance(item.get("id"), str) or not isinstance(attributes.get("label"), str):
            raise FormError(f"{path}: every {item.get('type')} field needs an 'id' and an 'attributes.label'")
        options = attributes.get("options") or []
        names = tuple(o["label"] if isinstance(o, dict) else str(o) for o in options)
        required = tuple(o["label"] for o in options if isinstance(o, dict) and o.get("required"))
        validations = item.get("validations") or {}
        fields.append(
            FormField(item["id"], item["type"], attributes["label"], bool(validations.get("required")), names, required)
        )
    labels = data.get("labels") or []
    return IssueForm(str(data.get("name", "")), tuple(str(label) for label in labels), tuple(fields))


def read_body(body: str, form: IssueForm) -> FilledForm:
    """The fields of an issue's body, as GitHub rendered them from `form`."""
    filled = FilledForm()
    if len(body) > MAX_BODY:
        filled.problems.append(f"the issue's text is {len(body)} characters long; GitHub allows {MAX_BODY}")
        filled.readable = False
        return filled
    headings = {f"### {f.label}": f for f in form.fields}
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for heading, f in headings.items():
        count = sum(1 for line in lines if line.rstrip() == heading)
        if count > 1:
            filled.problems.append(
                f"{f.label}: the heading '{heading}' is in the issue {count} times; a field's text must not "
                "repeat a heading of the form: edit the issue and remove it"
            )
    if filled.problems:
        filled.readable = False  # which text belongs to which field cannot be told
        return filled
    sections: dict[str, list[str]] = {}
    current: FormField | None = None
    for line in lines:
        found = headings.get(line.rstrip())
        if found is not None and found.id not in sections:
            current = found
            sections[found.id] = []
        elif current is not None:
            sections[current.id].append(line)
    for f in form.fields:
        _read_field(f, sections.get(f.id), filled)
    return filled


def _read_field(f: FormField, lines: list[str] | None, filled: FilledForm) -> None:
    if lines is None:
        if f.required or f.required_options:
            filled.problems.append(f"{f.label}: missing; the issue's text no longer has the form's heading '### {f.label}'")
        filled.values[f.id] = ""
        filled.ticked[f.id] = []
        return
    text = "\n".join(lines).strip()
    if text == NO_RESPONSE:
        text = ""
    if f.type == "checkboxes":
        filled.ticked[f.id] = _ticked(f, text, filled.problems)
        return
    if f.type in ("input", "dropdown") and "\n" in text:
        filled.problems.append(f"{f.label}: must be one line, not {text.count(chr(10)) + 1}")
        text = ""
    elif f.type == "dropdown" and text and text not in f.options:
        allowed = ", ".join(f.options)
        filled.problems.append(f"{f.label}: {show_value(text)} is not one of the form's choices; allowed: {allowed}")
        text = ""
    elif f.required and not text:
        filled.problems.append(f"{f.label}: required; it is empty")
    filled.values[f.id] = text


def _ticked(f: FormField, text: str, problems: list[str]) -> list[str]:
    """The options ticked, in the form's order; a line that is not one of its checkboxes is a problem."""
    ticked = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        match = _CHECKBOX.fullmatch(line.strip())
        if match is None or match.group(2).strip() not in f.options:
            shown = show_value(match.group(2).strip() if match else line.strip())
            problems.append(f"{f.label}: {shown} is not one of the form's choices; allowed: {', '.join(f.options)}")
            continue
        if match.group(1) != " ":
            ticked.append(match.group(2).strip())
    for option in f.required_options:
        if option not in ticked:
            problems.append(f"{f.label}: {show_value(option, limit=500)} must be ticked")
    return [option for option in f.options if option in ticked]
