"""Synthetic catalogues of any size, made from the shipped catalogue's own text.

Benchmarks need thousands of entries that look like real ones: titles and summaries in one
to three languages (most entries have English, fewer French or Spanish, few Portuguese, as in
the shipped catalogue), several standards, topics, countries and links. Sentences are drawn
from the shipped summaries so that word statistics, and therefore compression, are realistic.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

from spmlib.model.catalogue import load_catalogue
from spmlib.model.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent

TYPES = ["guide", "case-study", "tool", "guidelines", "publication", "video", "guidance-note"]
LANGUAGE_SHARE = {"en": 0.85, "fr": 0.3, "es": 0.3, "pt": 0.08}
DOCUMENT_LANGUAGES = ["en", "fr", "es", "pt", "ru", "ar", "id", "sw"]
COUNTRIES = [
    "MX",
    "PE",
    "BO",
    "EC",
    "CO",
    "GT",
    "PH",
    "IN",
    "BD",
    "KH",
    "KE",
    "UG",
    "TZ",
    "SN",
    "MA",
    "TN",
    "NG",
    "GH",
    "BR",
    "FR",
]


def _corpus() -> tuple[dict[str, list[str]], dict[str, list[str]], list[str]]:
    taxonomy = load_taxonomy(ROOT / "taxonomy")
    catalogue = load_catalogue(ROOT / "resources.yaml", taxonomy, ROOT / "docs")
    sentences: dict[str, list[str]] = {lang: [] for lang in LANGUAGE_SHARE}
    titles: dict[str, list[str]] = {lang: [] for lang in LANGUAGE_SHARE}
    for resource in catalogue.resources:
        for lang, text in resource.summary.items():
            sentences.setdefault(lang, []).extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 20)
        for lang, text in resource.title.items():
            titles.setdefault(lang, []).append(text)
    for lang in LANGUAGE_SHARE:  # taxonomy descriptions fill the languages the catalogue has little of
        for dim in taxonomy.dimensions:
            sentences[lang].extend(s for s in re.split(r"(?<=[.!?])\s+", dim.description[lang]) if len(s) > 20)
            titles[lang].extend(s.name[lang] for s in dim.standards)
    return sentences, titles, sorted(taxonomy.topics)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_DIGITS = re.compile(r"[\d()]+")


def _unnumbered_title(rng: random.Random, base: str, sentences: list[str]) -> str:
    """`base` with a few words drawn from two summaries after it, and no digit: a title of its own
    that the similar-title search cannot tell apart from the others by its numbers
    (spmlib/outputs/advice.py), as nearly all titles are in a real catalogue."""
    words = [word.strip(",.;:!?") for word in _DIGITS.sub(" ", " ".join(rng.sample(sentences, k=2))).split()]
    tail = " ".join(rng.sample([word for word in words if word], k=min(len(words), rng.randint(4, 8))))
    head = " ".join(_DIGITS.sub(" ", base).split())
    return f"{head}: {tail}" if tail else head


def generate(count: int, seed: int = 1, numbered: bool = True) -> str:
    """The YAML text of a valid catalogue of `count` entries (the same for the same seed).

    Titles are shipped ones followed by the entry's number, "(123)", unless `numbered` is
    false: then each is followed by a few words of a summary and holds no digit, the hard case
    for the similar-title search of `make check` (benchmarks/check.py)."""
    rng = random.Random(seed)
    sentences, titles, topics = _corpus()
    standards = [
        f"{d}{c}" for d, cs in ((1, "AB"), (2, "ABC"), (3, "AB"), (4, "ABCDE"), (5, "ABC"), (6, "ABCD"), (7, "ABC")) for c in cs
    ]
    lines = ["resources:"]
    for i in range(count):
        langs = [lang for lang, share in LANGUAGE_SHARE.items() if rng.random() < share] or ["en"]
        lines += [f"  - id: resource-{i:05d}", f"    type: {rng.choice(TYPES)}", "    title:"]
        for lang in langs:
            base = rng.choice(titles[lang])
            title = f"{base} ({i})" if numbered else _unnumbered_title(rng, base, sentences[lang])
            lines.append(f"      {lang}: {_quote(title)}")
        if rng.random() < 0.95:
            lines.append("    summary:")
            for lang in langs:
                text = " ".join(rng.sample(sentences[lang], k=min(3, len(sentences[lang]))))
                lines.append(f"      {lang}: {_quote(text)}")
        if rng.random() < 0.15:
            lines.append(f"    dimensions: [{rng.randint(1, 7)}]")
        else:
            lines.append(f"    standards: [{', '.join(rng.sample(standards, k=rng.randint(1, 3)))}]")
        lines.append(f"    topics: [{', '.join(rng.sample(topics, k=rng.randint(0, 3)))}]")
        lines.append(
            f"    organization: {_quote(rng.choice(['Cerise+SPTF', 'SPTF', 'CERISE', 'Smart Campaign', 'SEEP Network', 'MFC']))}"
        )
        lines.append(f"    year: {rng.randint(2005, 2025)}")
        if rng.random() < 0.4:
            lines.append(f"    countries: [{', '.join(rng.sample(COUNTRIES, k=rng.randint(1, 2)))}]")
        lines.append(f"    added: 20{rng.randint(18, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        lines.append("    links:")
        docs = list(dict.fromkeys(langs + rng.sample(DOCUMENT_LANGUAGES, k=rng.randint(0, 2))))
        for lang in docs:
            lines.append(f'      - {{lang: {lang}, url: "https://example.org/documents/{i:05d}-{lang}.pdf"}}')
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("-o", "--output", default="-")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unnumbered", action="store_true", help="titles without the entry's number (see generate())")
    args = parser.parse_args()
    text = generate(args.count, args.seed, numbered=not args.unnumbered)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
