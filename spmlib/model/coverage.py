"""How far each language is translated, and which entries a curator should look at again.

The figures `make translations`, `make report` and the public coverage page show
(spmlib.site.coverage) are worked out here once, so that the terminal, CI and the page
cannot disagree. The `make links` report is read here too: it is a file on disk that any
process may have left behind, so it is checked before a number is taken from it, and a
report that is not what `make links` writes is ignored with one line saying why.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spmlib.model.catalogue import Catalogue, Resource
from spmlib.model.linkkinds import PLACE
from spmlib.model.taxonomy import Taxonomy

FIELDS = ("title", "summary")
LINK_REPORT = "dist/links.json"  # where `make links` writes its report, relative to the project
# The verdicts of spmlib.outputs.links that say an address is gone for good (its DEFINITE;
# tests/test_coverage.py checks they stay the same). Not imported: that module loads httpx.
BROKEN_VERDICTS = frozenset({"broken", "dns"})
MAX_REPORT_BYTES = 64_000_000  # a report of 10,000 entries is a few MB; more is not one


@dataclass
class Coverage:
    """How much of the catalogue a reader of one language sees in their own language."""

    language: str
    total: int
    titles: int = 0
    summaries: int = 0
    missing: list[tuple[Resource, str]] = field(default_factory=list)

    def percent(self, count: int) -> float:
        return 100.0 * count / self.total if self.total else 100.0


def coverage(catalogue: Catalogue, languages: list[str] | None = None) -> list[Coverage]:
    """Titles and summaries written in each language, and the (resource, field) pairs missing."""
    result = []
    for lang in languages or catalogue.taxonomy.languages:
        report = Coverage(lang, len(catalogue.resources))
        for resource in catalogue.resources:
            for name in FIELDS:
                if lang in getattr(resource, name):
                    if name == "title":
                        report.titles += 1
                    else:
                        report.summaries += 1
                else:
                    report.missing.append((resource, name))
        result.append(report)
    return result


@dataclass(frozen=True)
class Progress:
    """`done` of `total` texts; `percent` rounds down, so that 100 means nothing is left."""

    done: int
    total: int

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 100


@dataclass(frozen=True)
class LanguageProgress:
    """The translation of one site language: catalogue texts, taxonomy texts, interface labels.

    `same` names the taxonomy and interface texts written exactly as in the default language:
    the loader insists on every language, so a text copied from English is the only sign of
    one still to translate (and a few words, like "PDF", are rightly the same).
    """

    language: str
    titles: Progress
    summaries: Progress
    taxonomy: Progress
    interface: Progress
    same: tuple[str, ...] = ()


def taxonomy_texts(taxonomy: Taxonomy) -> Iterator[tuple[str, dict[str, str]]]:
    """Every translated text of the Universal Standards, types and topics, named as in its file."""
    for dim in taxonomy.dimensions:
        yield f"dimension {dim.number} name", dim.name
        yield f"dimension {dim.number} description", dim.description
        for std in dim.standards:
            for part in ("name", "statement", "description"):
                yield f"standard {std.code} {part}", getattr(std, part)
    for rtype in taxonomy.types:
        for part in ("name", "plural", "description"):
            yield f"type {rtype.code} {part}", getattr(rtype, part)
    for slug, names in taxonomy.topics.items():
        yield f"topic {slug}", names


def interface_texts(taxonomy: Taxonomy) -> Iterator[tuple[str, dict[str, object]]]:
    """Every label of taxonomy/ui.yaml (a format's name, or a label's plural forms, as one text)."""
    for key, texts in taxonomy.ui.items():
        if key == "formats":
            for code, names in texts.items():
                yield f"formats.{code}", names
        else:
            yield key, texts


def translation_progress(catalogue: Catalogue) -> list[LanguageProgress]:
    """Each site language's progress, the default language first (its own texts are all done)."""
    taxonomy = catalogue.taxonomy
    default = taxonomy.default_language
    tax_texts, ui_texts = list(taxonomy_texts(taxonomy)), list(interface_texts(taxonomy))
    result = []
    for report in coverage(catalogue):
        lang = report.language
        tax_same = [name for name, texts in tax_texts if lang != default and texts[lang] == texts[default]]
        ui_same = [name for name, texts in ui_texts if lang != default and texts[lang] == texts[default]]
        result.append(
            LanguageProgress(
                lang,
                Progress(report.titles, report.total),
                Progress(report.summaries, report.total),
                Progress(len(tax_texts) - len(tax_same), len(tax_texts)),
                Progress(len(ui_texts) - len(ui_same), len(ui_texts)),
                tuple(tax_same + ui_same),
            )
        )
    return result


def only_places(resource: Resource) -> bool:
    """Every link of the entry is a place to look (a home page, a listing): no document, no page of its own."""
    return bool(resource.links) and all(link.kind == PLACE for link in resource.links)


@dataclass(frozen=True)
class LinkHealth:
    """What the last `make links` report says about the catalogue: when it ran, and the
    entries with at least one address gone for good (BROKEN_VERDICTS)."""

    checked: str  # the report's date, as YYYY-MM-DD
    broken: frozenset[str]  # resource ids


class ReportError(ValueError):
    """The report is not what `make links` writes."""


def read_link_report(path: Path) -> tuple[LinkHealth | None, str | None]:
    """The link report at `path`: (health, None), (None, None) when there is none, or (None, a
    warning) when it cannot be used. Never raises: a damaged report must not stop a build."""
    try:
        if not path.is_file():
            return None, None
        if path.stat().st_size > MAX_REPORT_BYTES:
            raise ReportError(f"larger than {MAX_REPORT_BYTES // 1_000_000} MB")
        data = json.loads(path.read_bytes().decode("utf-8"))
        return _health(data), None
    except (OSError, UnicodeDecodeError) as exc:
        why = f"cannot be read ({exc.__class__.__name__})"
    except RecursionError:
        why = "is nested too deeply"
    except ValueError as exc:  # json's errors and ReportError
        why = f"is not JSON: {exc}" if isinstance(exc, json.JSONDecodeError) else str(exc)
    return None, f"{path}: warning: the link report is ignored: it {why}; run `make links` again to replace it"


def _health(data: object) -> LinkHealth:
    """The LinkHealth of a parsed report, or ReportError naming the first thing that is wrong."""
    if not isinstance(data, dict):
        raise ReportError("is not a JSON object")
    generated = data.get("generated")
    try:
        checked = dt.datetime.fromisoformat(generated).date().isoformat() if isinstance(generated, str) else None
    except ValueError:
        checked = None
    if checked is None:
        raise ReportError("has no 'generated' date and time")
    groups = data.get("groups")
    if not isinstance(groups, list):
        raise ReportError("has no list of 'groups'")
    broken: set[str] = set()
    for number, group in enumerate(groups):
        links = group.get("links") if isinstance(group, dict) else None
        if not isinstance(links, list) or not all(isinstance(link, dict) for link in links):
            raise ReportError(f"has a group (number {number + 1}) without a list of 'links'")
        if not isinstance(group.get("name"), str) or not isinstance(group.get("kind"), str):
            raise ReportError(f"has a group (number {number + 1}) without a 'kind' and a 'name'")
        if any(not isinstance(link.get("verdict"), str) for link in links):
            raise ReportError(f"has a link without a 'verdict' in group {number + 1}")
        if group["kind"] == "resource" and any(link["verdict"] in BROKEN_VERDICTS for link in links):
            broken.add(group["name"])
    return LinkHealth(checked, frozenset(broken))
