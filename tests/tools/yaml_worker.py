"""Feeds YAML texts to the project's loaders in a process of its own, for tests of hostile YAML.

A YAML library that crashes (a segmentation fault in libyaml's recursive C composer) takes the
whole process with it; run here, it ends this worker only, and the test that sent the text sees
a signal instead of losing the test run. Many texts go through one worker, which keeps the
start-up cost (Python, PyYAML, the shipped taxonomy) to once per batch.

Reads one JSON request per line on standard input, {"target": ..., "text": ...}, and writes one
JSON reply per line: {"problems": [formatted problems]} or {"ok": ...} or, for anything the
loaders raised instead of reporting, {"exception": traceback}. Targets:

    resources.yaml           load_catalogue, as `make check` and a build read the catalogue
    resources.yaml (serve)   the text added at the end of the shipped catalogue, read again by the
                             Reparser that read the catalogue before, as `make serve` after an edit
    taxonomy/<name>.yaml     load_taxonomy with that one file replaced
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TAXONOMY_FILES = ("site.yaml", "dimensions.yaml", "types.yaml", "topics.yaml", "ui.yaml", "synonyms.yaml")
TARGETS = ("resources.yaml", "resources.yaml (serve)", *(f"taxonomy/{name}" for name in TAXONOMY_FILES))


def main() -> None:
    from spmlib.model.catalogue import load_catalogue
    from spmlib.model.problems import CatalogueError
    from spmlib.model.taxonomy import load_taxonomy
    from spmlib.model.yamlsrc import Reparser

    shipped = load_taxonomy(ROOT / "taxonomy")
    shipped_catalogue = (ROOT / "resources.yaml").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        taxonomy = folder / "taxonomy"
        shutil.copytree(ROOT / "taxonomy", taxonomy)
        catalogue = folder / "resources.yaml"
        for request in sys.stdin:
            target, text = json.loads(request).values()
            data = text.encode("utf-8", "surrogatepass")  # a lone surrogate makes invalid UTF-8, as a bad editor would
            try:
                if target == "resources.yaml":
                    catalogue.write_bytes(data)
                    found = load_catalogue(catalogue, shipped, display_name="resources.yaml")
                    reply = {"ok": len(found.resources)}
                elif target == "resources.yaml (serve)":
                    reparser = Reparser()
                    reparser.load(shipped_catalogue, "resources.yaml")
                    edited = shipped_catalogue.rstrip("\n") + "\n" + data.decode("utf-8", "replace")
                    located, problems = reparser.load(edited, "resources.yaml")
                    reply = {"problems": [p.format() for p in problems]} if problems else {"ok": located is not None}
                else:
                    name = target.removeprefix("taxonomy/")
                    (taxonomy / name).write_bytes(data)
                    try:
                        load_taxonomy(taxonomy)
                        reply = {"ok": True}
                    finally:
                        shutil.copy(ROOT / "taxonomy" / name, taxonomy / name)
            except CatalogueError as err:
                reply = {"problems": [p.format() for p in err.problems]}
            except BaseException:  # the point of the worker: report it rather than die
                reply = {"exception": traceback.format_exc()}
            sys.stdout.write(json.dumps(reply) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
