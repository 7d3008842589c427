"""CONTRIBUTING.md's example entry and sample error stay true as the code changes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spmlib.model.catalogue import load_catalogue
from spmlib.model.problems import CatalogueError

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def example_entry() -> str:
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE, flags=re.S)
    return next(b for b in blocks if "- id: client-exit-survey-template" in b)


def test_example_entry_is_valid(tmp_path, taxonomy):
    path = tmp_path / "resources.yaml"
    path.write_text("resources:\n" + example_entry(), encoding="utf-8")
    catalogue = load_catalogue(path, taxonomy, tmp_path)
    entry = catalogue.by_id["client-exit-survey-template"]
    assert entry.standards == ("3A", "1B") and [link.lang for link in entry.links] == ["en", "fr", "es"]


def test_sample_error_is_what_the_validator_prints(tmp_path, taxonomy):
    sample = re.search(r"```text\n\s*(resources\.yaml:\d+: error: .*)\n", GUIDE).group(1)
    text = "resources:\n" + example_entry().replace("standards: [3A, 1B]", "standards: [3A, 3C]")
    path = tmp_path / "resources.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path, taxonomy, tmp_path, display_name="resources.yaml")
    (problem,) = info.value.problems
    printed = problem.format()
    # the sample shows the list of codes shortened and another line number; the rest is verbatim
    head, tail = sample.split("allowed: ")
    assert printed.split(":", 2)[2].startswith(head.split(":", 2)[2])
    assert printed.endswith(tail.split("…")[-1].strip())


def test_topics_listed_in_the_guide_are_the_taxonomy_topics(taxonomy):
    row = next(line for line in GUIDE.splitlines() if line.startswith("| `topics` |"))
    listed = {t.strip(" .") for t in row.split("Existing topics:")[1].split(". A new topic")[0].split(",")}
    assert listed == set(taxonomy.topics)
