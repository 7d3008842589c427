"""Maintainer commands that work without building the site (`make check`, `make schema`...).

python -m spmlib check [resources.yaml] [--strict]
python -m spmlib schema [--check]
python -m spmlib translations report|export|import
python -m spmlib report [--format markdown] [--list]            (where the library is thin: the coverage page's figures)
python -m spmlib export [-o resources.csv]                     (the catalogue as the open data's CSV, to edit)
python -m spmlib import FILE.csv [--dry-run]                  (that CSV, edited, back into the catalogue)
python -m spmlib bundle|zim [--lang fr] [--dimension 4] ...   (offline zip, Kiwix ZIM)
python -m spmlib publish [--lang fr]                           (the site with a zip and a ZIM per language)
python -m spmlib links [--max-age-days 3]                     (check every external address)
python -m spmlib propose --issue-body FILE [--write]          (a "Propose a resource" issue as an entry)
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import sys
from pathlib import Path

from spmlib.model.catalogue import Catalogue, load_catalogue
from spmlib.model.options import CATALOGUE_ENV, LibraryOptions, OptionsError, read_config
from spmlib.model.problems import CatalogueError, Problem
from spmlib.model.schema import SCHEMA_PATH, document_json_schema
from spmlib.model.subset import Subset
from spmlib.model.taxonomy import load_taxonomy
from spmlib.model.textcheck import escape_for_terminal
from spmlib.outputs.advice import review
from spmlib.outputs.bundle import make_bundle
from spmlib.outputs.catalogueimport import ImportResult, import_sheet, sheet_columns
from spmlib.outputs.coveragereport import add_report
from spmlib.outputs.csvimport import format_row_problem, read_sheet
from spmlib.outputs.fetch import FetchSettings
from spmlib.outputs.issueform import FormError, read_form
from spmlib.outputs.netpolicy import AddressPolicy
from spmlib.outputs.offline import BundleError, OfflineOptions
from spmlib.outputs.proposal import propose
from spmlib.outputs.translations import coverage, export_rows, format_coverage, import_translations, read_csv, write_csv
from spmlib.outputs.zim import make_zim
from spmlib.processes.interrupt import Interrupted
from spmlib.site.docspages import page_warnings
from spmlib.site.opendata import OPEN_DATA_SCHEMA_PATH, catalogue_csv
from spmlib.site.opendata import open_data_schema_text as _open_data_schema


def _load(args: argparse.Namespace) -> Catalogue | None:
    try:
        taxonomy = load_taxonomy(args.taxonomy)
        return load_catalogue(args.catalogue, taxonomy, args.docs, display_name=args.catalogue)
    except CatalogueError as err:
        print(err, file=sys.stderr)
        return None


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem.format(), file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    catalogue = _load(args)
    if catalogue is None:
        return 1
    today = dt.date.fromisoformat(args.today) if args.today else None
    config = read_config(args.config_file) if Path(args.config_file).is_file() else None
    warnings = catalogue.warnings + review(catalogue, today) + page_warnings(args.docs, config)
    _print_problems(warnings)
    count = len(warnings)
    summary = f"{args.catalogue}: {len(catalogue.resources)} resources, no errors, {count} warning{'s' if count != 1 else ''}."
    if warnings and args.strict:
        print(summary + " Failing because of --strict.", file=sys.stderr)
        return 1
    print(summary)
    return 0


def schema_text(taxonomy_dir: str) -> str:
    return json.dumps(document_json_schema(load_taxonomy(taxonomy_dir)), indent=2, ensure_ascii=False) + "\n"


def open_data_schema_text(taxonomy_dir: str) -> str:
    return _open_data_schema(load_taxonomy(taxonomy_dir))


def cmd_schema(args: argparse.Namespace) -> int:
    """Write (or check) the editors' schema and the open data's schema, both generated."""
    try:
        texts = {Path(args.output): schema_text(args.taxonomy), Path(args.open_data_output): open_data_schema_text(args.taxonomy)}
    except CatalogueError as err:
        print(err, file=sys.stderr)
        return 1
    stale = 0
    for target, text in texts.items():
        if args.check:
            current = target.read_text(encoding="utf-8") if target.exists() else None
            if current != text:
                print(f"{target} is out of date with spmlib/ and taxonomy/; run `make schema`.", file=sys.stderr)
                stale += 1
            else:
                print(f"{target} is up to date.")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}")
    return 1 if stale else 0


def cmd_report(args: argparse.Namespace) -> int:
    catalogue = _load(args)
    if catalogue is None:
        return 1
    print(format_coverage(coverage(catalogue, args.lang), catalogue, list_missing=not args.brief))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    catalogue = _load(args)
    if catalogue is None:
        return 1
    unknown = [lang for lang in args.lang or [] if lang not in catalogue.taxonomy.languages]
    if unknown:
        print(
            f"unknown language(s) {', '.join(unknown)}; the site has {', '.join(catalogue.taxonomy.languages)}", file=sys.stderr
        )
        return 2
    rows = export_rows(catalogue, args.lang)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_csv(rows, output)
    print(format_coverage(coverage(catalogue, args.lang), catalogue, list_missing=False))
    print(
        f"\nwrote {output}: {len(rows)} text(s) to translate. Fill the 'translation' column "
        f"(keep the other columns), save as CSV UTF-8, then run `make translations-import CSV={output}`."
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    catalogue = _load(args)
    if catalogue is None:
        print("fix the catalogue before importing translations", file=sys.stderr)
        return 1
    rows, problems = read_csv(args.csv)
    if not problems:
        new_text, count, problems = import_translations(args.catalogue, rows, catalogue, args.csv, args.docs)
    if problems:
        return _refused([p.format() for p in problems])
    if count == 0:
        print(f"{args.csv}: nothing new to import (every filled cell is already there); {args.catalogue} is unchanged.")
        return 0
    if args.dry_run:
        print(f"{args.csv}: {count} translation(s) would be added (dry run, nothing written).")
        return 0
    Path(args.catalogue).write_bytes(new_text.encode("utf-8"))  # as is: CRLF files stay CRLF
    print(f"added {count} translation(s) to {args.catalogue}; review with `git diff`, then commit.")
    return 0


def _refused(problems: list[str]) -> int:
    """An import with problems: each of them, and that nothing was written."""
    for line in problems:
        print(line, file=sys.stderr)
    print(f"nothing was imported: {len(problems)} problem(s); fix them and import again.", file=sys.stderr)
    return 1


def cmd_export_sheet(args: argparse.Namespace) -> int:
    """`make export`: data/resources.csv as the site publishes it, without building the site."""
    catalogue = _load(args)
    if catalogue is None:
        return 1
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(catalogue_csv(catalogue).encode("utf-8"))
    print(f"wrote {output}: {len(catalogue.resources)} resources. Edit it, save as CSV UTF-8, then `make import CSV={output}`.")
    return 0


def cmd_import_sheet(args: argparse.Namespace) -> int:
    """`make import CSV=...`: the open data's CSV, edited in a spreadsheet, back into the catalogue."""
    catalogue = _load(args)
    if catalogue is None:
        print("fix the catalogue before importing", file=sys.stderr)
        return 1
    sheet, problems = read_sheet(args.csv, sheet_columns(catalogue), ("id",))
    result = ImportResult(None, problems=problems) if sheet is None else import_sheet(args.catalogue, sheet, catalogue, args.docs)
    if result.problems:
        return _refused([format_row_problem(p) for p in result.problems])
    print(import_summary(args.csv, result))
    if result.text is None:
        print(f"{args.catalogue} is unchanged.")
    elif args.dry_run:
        print(f"dry run: {args.catalogue} is unchanged.")
    else:
        Path(args.catalogue).write_bytes(result.text.encode("utf-8"))  # as is: CRLF files stay CRLF
        print(f"wrote {args.catalogue}; review with `git diff`, then commit.")
    return 0


def import_summary(csv_name: str, result: ImportResult) -> str:
    """What an import adds and changes, one line per entry (ids and columns that passed the checks)."""
    lines = [f"{csv_name}: {len(result.added)} added, {len(result.updated)} updated, {result.unchanged} unchanged."]
    if result.dates.order:
        lines.append(f"dates read {result.dates.describe()}")
    lines += [f"  added {rid}" for rid in result.added]
    lines += [f"  updated {rid}: {', '.join(columns)}" for rid, columns in result.updated]
    return "\n".join(lines)


def cmd_propose(args: argparse.Namespace) -> int:
    """A "Propose a resource" issue's body as an entry: printed, and with --write added to the
    catalogue; or its problems, named by the form's labels. --result writes what the workflow
    needs to open the pull request or comment on the issue (.github/workflows/proposal.yml)."""
    catalogue = _load(args)
    if catalogue is None:
        print("propose: fix the catalogue first (`make check`)", file=sys.stderr)
        return 2
    try:
        form = read_form(args.form)
        body = Path(args.issue_body).read_bytes().decode("utf-8")
    except (FormError, OSError, UnicodeDecodeError) as err:
        print(f"propose: {err}", file=sys.stderr)
        return 2
    today = dt.date.fromisoformat(args.today) if args.today else None
    outcome = propose(body, form, catalogue, args.catalogue, args.docs, today=today, issue=args.issue)
    if args.result:
        title = next(iter(outcome.entry["title"].values()), "") if outcome.entry and "title" in outcome.entry else ""
        result = {"accepted": not outcome.problems, "id": (outcome.entry or {}).get("id"), "title": f"Add {title}"}
        Path(args.result).write_text(json.dumps({**result, "markdown": outcome.markdown}, ensure_ascii=False), encoding="utf-8")
    if outcome.problems:
        for problem in outcome.problems:
            print(escape_for_terminal(problem), file=sys.stderr)
        print(f"propose: {len(outcome.problems)} problem(s); {args.catalogue} is unchanged.", file=sys.stderr)
        return 1
    print("\n".join(escape_for_terminal(line) for line in outcome.lines))
    if args.write and outcome.text is not None:
        Path(args.catalogue).write_bytes(outcome.text.encode("utf-8"))  # as is: CRLF files stay CRLF
        print(f"added it to {args.catalogue}.", file=sys.stderr)
    return 0


def _values(items: list[str] | None) -> list[str]:
    """Values given repeated or comma- or space-separated, as make variables pass them."""
    return [v for item in items or [] for v in item.replace(",", " ").split() if v]


def _subset(args: argparse.Namespace) -> Subset:
    return Subset(
        frozenset(int(n) for n in _values(args.dimension)),
        frozenset(c.upper() for c in _values(args.standard)),
        frozenset(_values(args.type)),
        frozenset(_values(args.topic)),
    )


def _offline_options(args: argparse.Namespace) -> OfflineOptions:
    """The options `bundle` and `zim` share, as the one object of the offline pipeline."""
    downloads = FetchSettings(
        max_bytes=int(args.max_mb * 1_000_000),
        timeout=args.timeout,
        retries=args.retries,
        deadline=args.deadline,
        refresh=args.refresh,
        policy=AddressPolicy(allow_private=args.allow_private_addresses),
    )
    return OfflineOptions(
        root=Path(args.root).resolve(),
        languages=tuple(_values(args.lang)),
        subset=_subset(args),
        name=args.name,
        out_dir=Path(args.output).resolve() if args.output else None,
        documents=args.documents,
        downloads=downloads,
    )


def _offline(args: argparse.Namespace, command: str, make) -> object | int:
    """Run `make(options)` for `bundle` or `zim`: the result, or the exit code after
    saying what went wrong (wrong options, a refused catalogue, an interruption) on one escaped line
    per line of the message, never a traceback."""
    try:
        options = _offline_options(args)
    except ValueError:
        print(f"dimensions are numbers from 1 to 7, not {' '.join(_values(args.dimension))!r}", file=sys.stderr)
        return 2
    try:
        return make(options)
    except BundleError as err:
        print(f"{command}: " + "\n".join(escape_for_terminal(line) for line in str(err).split("\n")), file=sys.stderr)
        return 1
    except Interrupted as exc:
        print(f"{command}: interrupted by {exc}; nothing was written.", file=sys.stderr)
        return exc.exit_code


def cmd_bundle(args: argparse.Namespace) -> int:
    result = _offline(args, "bundle", make_bundle)
    if isinstance(result, int):
        return result
    print(result.report)
    print(f"\nwrote {result.zip_path}: unzip it and open {result.info['name']}/index.html")
    return 0


def cmd_zim(args: argparse.Namespace) -> int:
    result = _offline(args, "zim", functools.partial(make_zim, creator=args.creator, publisher=args.publisher))
    if isinstance(result, int):
        return result
    print(result.report)
    shown = os.path.relpath(result.path) if result.path.is_relative_to(Path.cwd()) else str(result.path)
    print(
        f"\nwrote {shown} in {result.seconds:.1f} s: open it in a Kiwix app, "
        f"or serve it to a room with `kiwix-serve --port 8080 {shown}`"
    )
    return 0


def cmd_links(args: argparse.Namespace) -> int:
    # Imported here, not at the top: links loads httpx and asyncio, 0.4 to 0.7 s on top of the 2 s
    # every other command takes to start here (measured with -X importtime); they never use them.
    import time

    from spmlib.outputs.linkreport import write_reports
    from spmlib.outputs.links import Settings, catalogue_addresses, check_links, elapsed, markdown_addresses

    started = time.monotonic()
    catalogue = _load(args)
    if catalogue is None:
        print("links: fix the catalogue first (`make check`)", file=sys.stderr)
        return 2
    try:
        now = dt.datetime.fromisoformat(args.now) if args.now else None
    except ValueError:
        print(f"links: --now must be an ISO date and time, not {args.now!r}", file=sys.stderr)
        return 2
    if now is not None and now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    addresses = catalogue_addresses(catalogue, args.catalogue)
    docs = Path(args.docs)
    if docs.is_dir():
        addresses += markdown_addresses(docs, Path.cwd())
    settings = Settings(
        timeout=args.timeout,
        retries=args.retries,
        backoff=args.backoff,
        max_wait=args.max_wait,
        per_host=args.per_host,
        policy=AddressPolicy(allow_private=args.allow_private_addresses),
    )
    print(f"Checking {len({a.url for a in addresses})} addresses ({len(addresses)} links); cache: {args.cache}", file=sys.stderr)
    run = check_links(
        addresses,
        Path(args.cache),
        max_age=dt.timedelta(days=args.max_age_days),
        settings=settings,
        now=(lambda: now) if now else None,
        refresh=args.refresh,
    )
    titles = {r.id: r.title.get("en") or next(iter(r.title.values()), "") for r in catalogue.resources}
    md, js = write_reports(run, Path(args.report_dir), titles)
    counts: dict[str, int] = {}
    for address in addresses:
        verdict = run.results[address.url].verdict
        counts[verdict] = counts.get(verdict, 0) + 1
    print(", ".join(f"{n} {v}" for v, n in sorted(counts.items())) + f"; {run.checked} checked now, in {elapsed(started)}")
    print(f"wrote {md} and {js}")
    failing = {r.url for r in run.failing}
    for address in addresses:
        if address.url in failing:
            result = run.results[address.url]
            where = f"{address.file}:{address.line}" if address.line else address.file
            print(escape_for_terminal(f"{where}: {address.url} {result.detail} since {result.failures[0]}"), file=sys.stderr)
    if failing:
        print(f"links: {len(failing)} address(es) failing for more than {args.max_age_days:g} days", file=sys.stderr)
        return 1
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from spmlib.processes.parallel import parallel_build

    LibraryOptions.from_file(args.config_file)  # its mistakes once here, not once per process
    return parallel_build(Path(args.config_file), Path(args.site_dir), jobs=args.jobs, strict=not args.no_strict)


def cmd_publish(args: argparse.Namespace) -> int:
    from spmlib.outputs.publish import PublishOptions, run_publish

    LibraryOptions.from_file(args.config_file)  # its mistakes before the long work of the files
    root = Path(args.config_file).resolve().parent
    return run_publish(PublishOptions(root, Path(args.site_dir), tuple(_values(args.lang)), args.jobs))


ALLOW_HELP = (
    "also connect to loopback, private and link-local addresses (a local mirror); "
    "by default only public addresses are fetched, after DNS and at every redirect"
)


def build_parser() -> argparse.ArgumentParser:
    """`python -m spmlib` and its subcommands, in the order `--help` lists them."""
    parser = argparse.ArgumentParser(prog="python -m spmlib", description="Maintainer tools for the SPM resource library.")
    common = _paths_parser()
    commands = parser.add_subparsers(dest="command", required=True)
    _add_check(commands, common)
    _add_schema(commands, common)
    _add_build(commands)
    offline = _offline_parser()
    _add_bundle_and_zim(commands, offline)
    _add_links(commands, common)
    _add_translations(commands, common)
    add_report(commands, common, _load)
    _add_import(commands, common)
    _add_propose(commands, common)
    return parser


def _paths_parser() -> argparse.ArgumentParser:
    """The options of the commands that read the catalogue and the taxonomy without building:
    where they are, by default where the build finds them (see _build_paths)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-f", "--config-file", default="mkdocs.yml", help="where the paths below are read (default: mkdocs.yml)")
    common.add_argument("--catalogue", help="the catalogue file (default: the build's, from mkdocs.yml and SPM_CATALOGUE)")
    common.add_argument("--taxonomy", help="the taxonomy folder (default: the build's)")
    common.add_argument("--docs", help="folder that local file links are relative to (default: the build's docs_dir)")
    return common


def _add_check(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """`check`: what `make check` runs."""
    check = commands.add_parser(
        "check", parents=[common], help="validate the catalogue and the taxonomy without building the site"
    )
    check.add_argument("catalogue_arg", nargs="?", metavar="catalogue", help="the catalogue file (same as --catalogue)")
    check.add_argument("--strict", action="store_true", help="exit with an error when there are warnings")
    check.add_argument("--today", help=argparse.SUPPRESS)  # fixed date for tests of future years
    check.set_defaults(run=cmd_check)


def _add_schema(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """`schema`: what `make schema` runs, and CI with --check."""
    schema = commands.add_parser(
        "schema", parents=[common], help=f"write the JSON Schemas of the catalogue ({SCHEMA_PATH}) and of its open data"
    )
    schema.add_argument("--output", default=SCHEMA_PATH)
    schema.add_argument("--open-data-output", default=OPEN_DATA_SCHEMA_PATH, help="the schema of data/resources.json")
    schema.add_argument("--check", action="store_true", help="only check that the committed schema is up to date")
    schema.set_defaults(run=cmd_schema)


def _add_build(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`build` and `publish`: what `make build` and `make publish` run. Their own -f: they read
    mkdocs.yml, not the catalogue's paths."""
    build = commands.add_parser("build", help="build the site, the languages in parallel processes")
    publish = commands.add_parser("publish", help="build the site with a zip and a ZIM per language in its offline/")
    for parser in (build, publish):
        parser.add_argument("-f", "--config-file", default="mkdocs.yml")
        parser.add_argument("-d", "--site-dir", default="site")
        parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: one per core)")
    build.add_argument("--no-strict", action="store_true", help="do not fail on warnings")
    build.set_defaults(run=cmd_build)
    publish.add_argument("--lang", action="append", help="only these languages' files (default: all; the page lists all)")
    publish.set_defaults(run=cmd_publish)


def _offline_parser() -> argparse.ArgumentParser:
    """The options that `bundle` and `zim` share: which part of the library, and its documents' download."""
    offline = argparse.ArgumentParser(add_help=False)
    offline.add_argument("--lang", action="append", help="languages, the first at the root (default: all)")
    offline.add_argument("--dimension", action="append", help="only these dimensions (1-7)")
    offline.add_argument("--standard", action="append", help="only these standards (4A...)")
    offline.add_argument("--type", action="append", help="only these resource types")
    offline.add_argument("--topic", action="append", help="only these topics")
    offline.add_argument("--name", help="file and folder name (default: from the choices)")
    offline.add_argument("--documents", action="store_true", help="download the linked remote documents into it")
    offline.add_argument("--max-mb", type=float, default=50.0, help="largest document to download, in MB (default 50)")
    offline.add_argument("--timeout", type=float, default=20.0, help="seconds without data before a download fails")
    offline.add_argument("--retries", type=int, default=2, help="retries of a failed download (not for 404s)")
    offline.add_argument("--deadline", type=float, help="seconds one download attempt may take in all (default: 4 x --timeout)")
    offline.add_argument("--refresh", action="store_true", help="download every document again, ignoring the cache")
    offline.add_argument("--allow-private-addresses", action="store_true", help=ALLOW_HELP)
    offline.add_argument("--output", help="folder to write to (default: dist/)")
    offline.add_argument("--root", default=".", help="the project folder, with mkdocs.yml")
    return offline


def _add_bundle_and_zim(commands: argparse._SubParsersAction[argparse.ArgumentParser], offline: argparse.ArgumentParser) -> None:
    """`bundle` and `zim`: the library for readers without the internet, as a zip or for Kiwix."""
    bundle = commands.add_parser("bundle", parents=[offline], help="an offline zip of the library, or part of it, for trainings")
    bundle.set_defaults(run=cmd_bundle)

    from spmlib.outputs.zim import DEFAULT_CREATOR, DEFAULT_PUBLISHER

    zim = commands.add_parser("zim", parents=[offline], help="a Kiwix ZIM file of the library, or part of it")
    zim.add_argument("--creator", default=DEFAULT_CREATOR, help=f"ZIM 'Creator' metadata (default: {DEFAULT_CREATOR})")
    zim.add_argument("--publisher", default=DEFAULT_PUBLISHER, help=f"ZIM 'Publisher' metadata (default: {DEFAULT_PUBLISHER})")
    zim.set_defaults(run=cmd_zim)


def _add_links(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """`links`: what `make links` runs, politely to the hosts and remembering results between runs."""
    links = commands.add_parser(
        "links", parents=[common], help="check every external address of the catalogue and docs/; report in dist/links.md"
    )
    links.add_argument("--cache", default=".cache/links.json", help="results kept between runs (default: .cache/links.json)")
    links.add_argument("--max-age-days", type=float, default=3.0, help="days a result stays fresh, and a failure must last")
    links.add_argument("--report-dir", default="dist", help="folder of links.md and links.json (default: dist/)")
    links.add_argument("--refresh", action="store_true", help="check every address again, whatever the cache holds")
    links.add_argument("--timeout", type=float, default=20.0, help="seconds for one request, however slow (default 20)")
    links.add_argument("--retries", type=int, default=2, help="retries after 429, 5xx and time-outs (default 2)")
    links.add_argument("--backoff", type=float, default=2.0, help="seconds before the first retry, doubled each time")
    links.add_argument("--max-wait", type=float, default=60.0, help="longest Retry-After wait honoured, in seconds")
    links.add_argument("--per-host", type=int, default=2, help="requests at once to one host (default 2)")
    links.add_argument("--allow-private-addresses", action="store_true", help=ALLOW_HELP)
    links.add_argument("--now", help=argparse.SUPPRESS)  # a fixed time, for tests of the cache window
    links.set_defaults(run=cmd_links)


def _add_translations(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """`translations report|export|import`: coverage, and the CSV round trip for translators."""
    translations = commands.add_parser("translations", help="translation coverage, and the CSV round trip for translators")
    actions = translations.add_subparsers(dest="action", required=True)
    report = actions.add_parser("report", parents=[common], help="titles and summaries per language, and what is missing")
    report.add_argument("--lang", action="append", help="only this language (repeatable)")
    report.add_argument("--brief", action="store_true", help="the table only, not the list of what is missing")
    report.set_defaults(run=cmd_report)
    export = actions.add_parser("export", parents=[common], help="write the missing texts to a CSV to fill in")
    export.add_argument("--lang", action="append", help="only this language (repeatable)")
    export.add_argument("-o", "--output", default="translations.csv")
    export.set_defaults(run=cmd_export)
    imp = actions.add_parser("import", parents=[common], help="add the filled translations of a CSV to the catalogue")
    imp.add_argument("csv")
    imp.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
    imp.set_defaults(run=cmd_import)


def _add_import(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """`import` and `export`: what `make import CSV=...` and `make export` run."""
    imp = commands.add_parser(
        "import", parents=[common], help="add and update entries from a CSV with the open data's columns (data/resources.csv)"
    )
    imp.add_argument("csv")
    imp.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    imp.set_defaults(run=cmd_import_sheet)
    export = commands.add_parser(
        "export", parents=[common], help="write the catalogue as the open data's CSV, to edit and import"
    )
    export.add_argument("-o", "--output", default="resources.csv")
    export.set_defaults(run=cmd_export_sheet)


def _add_propose(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """`propose`: what .github/workflows/proposal.yml runs on an accepted proposal."""
    propose_ = commands.add_parser("propose", parents=[common], help="a 'Propose a resource' issue as an entry of the catalogue")
    propose_.add_argument("--issue-body", required=True, help="a file with the issue's text, as GitHub gives it")
    propose_.add_argument("--form", default=".github/ISSUE_TEMPLATE/propose-a-resource.yml", help="the issue form")
    propose_.add_argument("--write", action="store_true", help="add the entry to the catalogue (nothing on any problem)")
    propose_.add_argument("--issue", type=int, help="the issue's number, for 'Closes #N' in the pull request's text")
    propose_.add_argument("--result", help="write a JSON file: accepted, id, the pull request's title, its text or the comment")
    propose_.add_argument("--today", help=argparse.SUPPRESS)  # a fixed `added` date, for tests
    propose_.set_defaults(run=cmd_propose)


def _build_paths(args: argparse.Namespace) -> None:
    """Fill the paths not given on the command line with those the build uses (spmlib.model.options)."""
    if not hasattr(args, "config_file") or not hasattr(args, "catalogue"):
        return
    if getattr(args, "catalogue_arg", None):
        args.catalogue = args.catalogue_arg
    config = Path(args.config_file)
    if config.is_file():
        options = LibraryOptions.from_file(config)
        defaults = {"catalogue": options.shown_catalogue(), "taxonomy": options.taxonomy, "docs": options.docs_dir}
    else:
        defaults = {"catalogue": os.environ.get(CATALOGUE_ENV) or "resources.yaml", "taxonomy": "taxonomy", "docs": "docs"}
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, str(value))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        _build_paths(args)
        return args.run(args)
    except OptionsError as err:  # mkdocs.yml or the environment: its one line, no traceback
        print(err, file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
