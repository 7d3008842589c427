"""`make check` warnings: each one fires where it should, with line and hint, and stays quiet otherwise."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from spmlib.model.catalogue import load_catalogue
from spmlib.model.linkkinds import address_key as normalise_url
from spmlib.outputs.advice import review

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)
DISTINCT_TITLES = {"one": "Smart Operations Tool", "two": "Collections with Dignity", "three": "Client Exit Survey Template"}


def entry(
    rid: str, title: str = "", *, url: str = "", summary: str | None = "A summary.", extra: str = "", link: str = ""
) -> str:
    title = title or DISTINCT_TITLES[rid]
    url = url or f"https://example.org/{rid}.pdf"
    text = f"""\
  - id: {rid}
    type: tool
    title: {{en: "{title}"}}
"""
    if summary is not None:
        text += f'    summary: {{en: "{summary}"}}\n'
    text += f"""\
    standards: [4A]
    links: [{{lang: en, url: "{url}"{link}}}]
"""
    return text + extra


GAPS = ("[no-year]", "[places-only]", "[sentences]")  # warnings an entry may acknowledge: tests/test_acknowledged.py


def warnings_for(tmp_path: Path, taxonomy, *entries: str) -> list:
    path = tmp_path / "resources.yaml"
    path.write_text("resources:\n" + "".join(entries), encoding="utf-8")
    catalogue = load_catalogue(path, taxonomy, tmp_path, display_name="resources.yaml")
    return review(catalogue, TODAY)


# (name, entries, expected [(line, resource id, field, message fragment, hint fragment)])
CASES = [
    ("clean catalogue", [entry("one"), entry("two")], []),
    (
        "same URL in two entries",
        [entry("one", url="https://example.org/guide.pdf"), entry("two", url="https://example.org/guide.pdf")],
        [(7, "one", "links[0].url", "is also used by 'two'", "merge them into one entry")],
    ),
    (
        "same URL spelled differently",
        [
            entry("one", url="http://www.Example.org/guide/", link=", format: pdf"),
            entry("two", url="https://example.org/guide", link=", format: pdf"),
        ],
        [(7, "one", "links[0].url", "is also used by 'two'", "")],
    ),
    (
        "a home page is a place to look, which may list several resources",
        [entry("one", url="https://example.org/"), entry("two", url="https://example.org")],
        [],
    ),
    (
        "so is a listing without a label of its own",
        [entry("one", url="https://example.org/tools"), entry("two", url="https://example.org/tools", link=", kind: place")],
        [],
    ),
    (
        "a shared page labelled as one resource's own is still reported",
        [entry("one", url="https://example.org/tools", link=", label: Own page"), entry("two", url="https://example.org/tools")],
        [(7, "one", "links[0].url", "is also used by 'two'", "give it `kind: place`")],
    ),
    (
        "a home page declared as one resource's page is still reported",
        [entry("one", url="https://example.org/", link=", kind: page"), entry("two", url="https://example.org/")],
        [(7, "one", "links[0].url", "is also used by 'two'", "")],
    ),
    (
        "same page, different anchors is not different",
        [entry("one", url="https://e.org/a#x"), entry("two", url="https://e.org/b")],
        [],
    ),
    (
        "titles 90% alike",
        [entry("one", "Client Protection Self-Assessment Tool"), entry("two", "Client Protection Self Assessment Tools")],
        [(10, "two", "title.en", "similar to that of 'one' (line 2)", "merge the two entries")],
    ),
    (
        "a numbered series is not a duplicate",
        [entry("one", "Guidance Note, Issue 4: Convincing"), entry("two", "Guidance Note, Issue 5: Convincing")],
        [],
    ),
    ("different titles", [entry("one", "Smart Operations Tool"), entry("two", "Collections with Dignity")], []),
    (
        "ISO-8859-16 mojibake",
        [entry("one", "Collections with Dignity at FinComĂșn")],
        [(4, "one", "title.en", "mis-encoded near 'Dignity at FinComĂșn'", "'Collections with Dignity at FinComún'")],
    ),
    (
        "lost byte",
        [entry("one", summary="Las polĂticas de cobranza")],
        [(5, "one", "summary.en", "mis-encoded", "� marks a character that was lost")],
    ),
    (
        "Windows-1252 mojibake found by ftfy",
        [entry("one", "Guide de mise en Å“uvre des normes â€“ rÃ©sumÃ©")],
        [(4, "one", "title.en", "mis-encoded", "œuvre")],
    ),
    ("accents are not mojibake", [entry("one", "Outil d'évaluation à São Paulo, Perú, Ñuñoa")], []),
    (
        "topic used once",
        [
            # a topic missing from taxonomy/topics.yaml is an error now (test_hardening.py)
            entry("one", extra="    topics: [client-exit]\n"),
            entry("two", extra="    topics: [client-protection]\n"),
            entry("three", extra="    topics: [client-protection]\n"),
        ],
        [
            (
                8,
                "one",
                "topics",
                "topic 'client-exit' is used by no other entry",
                "a topic page with one resource is of little help",
            )
        ],
    ),
    (
        "year in the future",
        [entry("one", extra="    year: 2052\n")],
        [(8, "one", "year", "year 2052 is in the future (it is 2026)", "year the resource was published")],
    ),
    ("this year is fine", [entry("one", extra="    year: 2026\n    added: 2026-11-22\n")], []),
    (
        "date added in the future",
        [entry("one", extra="    added: 2026-12-01\n")],
        [(8, "one", "added", "date added 2026-12-01 is in the future", "YYYY-MM-DD")],
    ),
    (
        "no summary",
        [entry("one", summary=None)],
        [(4, "one", "summary", "the entry has no summary", "add 'summary:' with at least 'en:'")],
    ),
    *[
        (f"internal address {url}", [entry("one", url=url)], [(7, "one", "links[0].url", f"is internal ({kind})", "public")])
        for url, kind in [
            ("http://127.0.0.1:8000/guide.pdf", "a loopback address"),
            ("http://localhost/guide", "a local host name"),
            ("https://LOCALHOST./guide", "a local host name"),
            ("http://mirror.localhost:8000/guide", "a local host name"),
            ("http://printer.local/guide", "a local host name"),
            ("http://10.1.2.3/a.pdf", "a private address"),
            ("http://192.168.1.20/a.pdf", "a private address"),
            ("http://[::1]/a", "a loopback address"),
            ("http://[fe80::1]/a", "a link-local address"),
            ("http://[fd00::5]/a", "a private address"),
            ("http://[::ffff:192.168.0.1]/a", "a private address (IPv4 192.168.0.1 inside IPv6"),
            ("http://169.254.169.254/latest/meta-data/", "a link-local address"),
            ("http://0.0.0.0:8000/", "an unspecified address"),
            ("http://224.0.0.1/", "a multicast address"),
            ("http://100.64.0.1/", "not a public address"),
            ("http://2130706433/a", "a loopback address"),
            ("http://0x7f.1/a", "a loopback address"),
            ("http://0x7f000001/a", "a loopback address"),
            ("http://0177.0.0.1/a", "a loopback address"),
            ("http://127.1/a", "a loopback address"),
            ("http://127.0.0.1./a", "a loopback address"),
            ("http://user@10.0.0.1:8080/a", "a private address"),
        ]
    ],
    *[
        (f"public address {url}", [entry("one", url=url)], [])
        for url in [
            "https://example.org/a.pdf",
            "http://8.8.8.8/a.pdf",
            "https://10.example.org/a",
            "https://localhost.example.org/a",
            "http://[2606:4700:4700::1111]/a",
            "https://0x7f.example/a",
        ]
    ],
]


@pytest.mark.parametrize(("name", "entries", "expected"), CASES, ids=[c[0] for c in CASES])
def test_warning(tmp_path, taxonomy, name, entries, expected):
    found = [w for w in warnings_for(tmp_path, taxonomy, *entries) if not w.message.startswith(GAPS)]
    got = [(w.line, w.resource_id, w.field) for w in found]
    assert got == [(line, rid, field) for line, rid, field, _, _ in expected], [w.format() for w in found]
    for warning, (_, _, _, message, hint) in zip(found, expected, strict=True):
        assert warning.severity == "warning"
        assert message in warning.message
        assert hint in (warning.hint or "")
        assert warning.format().startswith(f"resources.yaml:{warning.line}: warning: resource '{warning.resource_id}'")


def test_one_warning_per_shared_url_names_every_other_entry(tmp_path, taxonomy):
    entries = [
        entry(f"e{i}", f"Entry number {i} of a long list", url="https://example.org/guide", link=", format: pdf")
        for i in range(8)
    ]
    found = [w for w in warnings_for(tmp_path, taxonomy, *entries) if not w.message.startswith(GAPS)]
    assert len(found) == 1
    assert "'e1', 'e2', 'e3', 'e4', 'e5' and 2 more" in found[0].message


def test_url_normalisation():
    assert normalise_url("HTTP://WWW.Example.org/a/") == normalise_url("https://example.org/a")
    assert normalise_url("https://example.org/a?x=1") != normalise_url("https://example.org/a?x=2")


def run_check(tmp_path: Path, text: str, *args: str) -> subprocess.CompletedProcess:
    path = tmp_path / "resources.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "spmlib",
            "check",
            str(path),
            "--taxonomy",
            str(ROOT / "taxonomy"),
            "--docs",
            str(tmp_path),
            "--today",
            TODAY.isoformat(),
            *args,
        ],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_command_exit_codes(tmp_path):
    clean = "resources:\n" + entry("one", extra="    year: 2015\n")  # undated would warn (no-year)
    warned = "resources:\n" + entry("one", extra="    year: 2099\n")
    broken = "resources:\n" + entry("one", extra="    year: next year\n")

    result = run_check(tmp_path, clean)
    assert result.returncode == 0 and "1 resources, no errors, 0 warnings" in result.stdout
    assert run_check(tmp_path, clean, "--strict").returncode == 0

    result = run_check(tmp_path, warned)
    assert result.returncode == 0, result.stderr
    assert "resources.yaml:8: warning: resource 'one', field 'year': year 2099 is in the future" in result.stderr
    result = run_check(tmp_path, warned, "--strict")
    assert result.returncode == 1 and "Failing because of --strict" in result.stderr

    result = run_check(tmp_path, broken)
    assert result.returncode == 1
    assert "resources.yaml:8: error: resource 'one', field 'year'" in result.stderr
    assert "warning" not in result.stderr  # errors first: warnings about a broken file would be noise


def test_shipped_catalogue_warnings_are_only_the_known_landing_pages(taxonomy):
    """The shipped links point at publishers' sites until the document addresses are confirmed."""
    catalogue = load_catalogue(ROOT / "resources.yaml", taxonomy, ROOT / "docs")
    found = [w for w in review(catalogue) if not w.message.startswith(GAPS)]  # test_shipped.py's --strict
    assert {w.field.split("[")[0] for w in found} <= {"links"}, [w.format() for w in found]
    assert len(found) <= 3
