"""`make publish`: the site together with its offline library, one zip and one ZIM per language.

Trainers find the offline copies on the site itself ("Take it offline"), so the files must be
made before the site: each is an offline build of its own (spmlib.outputs.bundle, .zim), then
their manifest (spmlib.model.offlinelibrary) is written, then the site is built with
SPM_OFFLINE_LIBRARY naming it so that the page lists exactly those files with their sizes and
dates, and last the files are moved into the site's `offline/` folder. `make build` skips all
of this and stays fast; its "Take it offline" page says how to make the files instead.

GitHub Pages serves no file over 100 MB and no site over 1 GB: a file over `max_file_bytes` is
left out with a warning (the page says it is too large and gives the command that makes it),
and a site over the limit is reported, not cut.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from spmlib.model.offlinelibrary import OFFLINE_LIBRARY_ENV, OfflineFile, OfflineLibrary
from spmlib.model.options import configured_languages, read_config, unknown_languages
from spmlib.model.textcheck import escape_for_terminal
from spmlib.outputs.bundle import make_bundle
from spmlib.outputs.offline import BundleError, OfflineOptions, reproducible_date
from spmlib.outputs.zim import iso639_3, make_zim
from spmlib.processes.interrupt import Interrupted
from spmlib.processes.parallel import parallel_build
from spmlib.site.offlinepage import OFFLINE_FOLDER

FILE_LIMIT = 100_000_000  # GitHub Pages: no file over 100 MB
SITE_LIMIT = 1_000_000_000  # GitHub Pages: no site over 1 GB


@dataclass(frozen=True)
class PublishOptions:
    """What `python -m spmlib publish` is asked; tests build it directly."""

    root: Path  # the project folder, with mkdocs.yml
    site_dir: Path
    languages: tuple[str, ...] = ()  # whose files to make; empty: every language of the site
    jobs: int = 2  # processes of the site's build
    max_file_bytes: int = FILE_LIMIT
    python: str = sys.executable


def _describe(path: Path, language: str, kind: str, date: str, max_bytes: int, out: IO[str]) -> OfflineFile:
    """A made file as the manifest lists it; over `max_bytes` it is marked skipped, with a warning."""
    size = path.stat().st_size
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    skipped = "too_large" if size > max_bytes else None
    if skipped:
        command = f"make {'bundle' if kind == 'zip' else 'zim'} LANGS={language}"
        out.write(
            f"warning: {path.name} is {size / 1e6:.1f} MB, over the host's {max_bytes / 1e6:.0f} MB per file: "
            f"left out of the site (its page says so); make it with `{command}`\n"
        )
    return OfflineFile(path.name, language, kind, size, date, digest.hexdigest(), skipped)


def make_offline_files(options: PublishOptions, work: Path, out: IO[str]) -> OfflineLibrary:
    """One zip and one ZIM per language into `work`, named with the language and the catalogue's date.

    Raises BundleError (a wrong language, a failed build) and `Interrupted`, like `make bundle`.
    """
    site_languages = configured_languages(read_config(options.root / "mkdocs.yml"))
    languages = list(dict.fromkeys(options.languages or site_languages))
    unknown = unknown_languages(languages, site_languages)
    if unknown:
        raise BundleError(unknown)
    iso639_3(languages)  # before any build that would be wasted
    date = reproducible_date(options.root).isoformat()
    files = []
    for lang in languages:
        offline = OfflineOptions(options.root, (lang,), name=f"spm-library-{lang}-{date}", out_dir=work, python=options.python)
        bundle = make_bundle(offline, out)
        files.append(_describe(bundle.zip_path, lang, "zip", date, options.max_file_bytes, out))
        zim = make_zim(offline, out)
        files.append(_describe(zim.path, lang, "zim", date, options.max_file_bytes, out))
    return OfflineLibrary(tuple(files))


def publish(options: PublishOptions, out: IO[str] | None = None) -> int:
    """Make the offline files, build the site listing them, put them in it; returns an exit code.

    Raises BundleError and `Interrupted` while making the files (the site is then unchanged).
    """
    out = out or sys.stderr
    site_dir = options.site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".spm-offline-", dir=site_dir.parent) as tmp:
        work = Path(tmp)
        library = make_offline_files(options, work, out)
        manifest = work / "manifest.json"
        manifest.write_text(library.to_json(), encoding="utf-8")
        env = {OFFLINE_LIBRARY_ENV: str(manifest)}
        code = parallel_build(options.root / "mkdocs.yml", site_dir, options.jobs, out=out, python=options.python, env=env)
        if code != 0:
            return code
        target = site_dir / OFFLINE_FOLDER
        target.mkdir(parents=True, exist_ok=True)
        for item in library.files:
            if item.skipped is None:
                shutil.move(work / item.file, target / item.file)
        shutil.move(manifest, target / "manifest.json")
    _report(library, site_dir, out)
    return 0


def run_publish(options: PublishOptions) -> int:
    """`python -m spmlib publish`: `publish`, with what went wrong on escaped lines, never a traceback."""
    try:
        return publish(options)
    except BundleError as err:
        print("publish: " + "\n".join(escape_for_terminal(line) for line in str(err).split("\n")), file=sys.stderr)
        return 1
    except Interrupted as exc:
        print(f"publish: interrupted by {exc}; {options.site_dir} is unchanged.", file=sys.stderr)
        return exc.exit_code


def _report(library: OfflineLibrary, site_dir: Path, out: IO[str]) -> None:
    published = [f for f in library.files if f.skipped is None]
    for item in published:
        out.write(f"  {OFFLINE_FOLDER}/{item.file}  {item.bytes / 1e6:.2f} MB\n")
    total = sum(p.stat().st_size for p in site_dir.rglob("*") if p.is_file())
    out.write(f"Published {len(published)} offline files; the site is {total / 1e6:.1f} MB in all\n")
    if total > SITE_LIMIT:
        out.write(
            f"warning: the site is over GitHub Pages' {SITE_LIMIT / 1e9:.0f} GB; publish fewer languages' files "
            "(python -m spmlib publish --lang ...) or host the offline files elsewhere\n"
        )
