"""Command line: `python -m spmlib check [resources.yaml]` validates without building."""

from __future__ import annotations

import argparse
import sys

from .catalogue import load_catalogue
from .problems import CatalogueError
from .taxonomy import load_taxonomy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spmlib", description="Tools for the SPM resource library.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate the catalogue and the taxonomy without building the site")
    check.add_argument("catalogue", nargs="?", default="resources.yaml")
    check.add_argument("--taxonomy", default="taxonomy")
    check.add_argument("--docs", default="docs", help="folder that local file links are relative to")
    args = parser.parse_args(argv)

    try:
        taxonomy = load_taxonomy(args.taxonomy)
        catalogue = load_catalogue(args.catalogue, taxonomy, args.docs, display_name=args.catalogue)
    except CatalogueError as err:
        print(err, file=sys.stderr)
        return 1
    for warning in catalogue.warnings:
        print(warning.format(), file=sys.stderr)
    print(f"{args.catalogue}: {len(catalogue.resources)} resources, no errors.")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
