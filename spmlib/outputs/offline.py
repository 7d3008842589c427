"""Offline outputs as a pipeline: select, stage, fetch, describe, configure and build; then a packer packs.

A bundle (a zip, spmlib.outputs.bundle) and a Kiwix ZIM (spmlib.outputs.zim) hold the same
pages: an ordinary build of the site with three differences, all driven by
`extra.library.bundle` and `extra.library.offline` in a generated config: only the chosen
languages and subset are built, pages are plain `.html` files that work from file://, and
every asset (including the Web Worker shim Material's search needs on file://) ships inside.
Everything before packing lives here, as named steps over one `OfflineOptions`, so that the
two packers cannot drift apart and each step can be run and tested on its own. Document
downloads are spmlib.outputs.fetch's; the subset is spmlib.model.subset's.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml

from spmlib.model.catalogue import Catalogue, load_catalogue
from spmlib.model.offlinelibrary import OFFLINE_LIBRARY_ENV
from spmlib.model.options import LibraryOptions, i18n_options, read_config, unknown_languages
from spmlib.model.problems import CatalogueError
from spmlib.model.subset import Subset
from spmlib.model.taxonomy import load_taxonomy
from spmlib.outputs.fetch import DOWNLOAD_DIR, Fetched, FetchSettings, fetch_documents
from spmlib.processes.interrupt import CHILD, stoppable

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
WORKER_SHIM = "assets/javascripts/vendor/iframe-worker-shim.js"  # Material's search worker on file://


class BundleError(Exception):
    """A wrong option, worded for the trainer who typed it."""


@dataclass(frozen=True)
class OfflineOptions:
    """Everything chosen for one bundle or ZIM, in the one object every step reads.

    The command line fills it from `python -m spmlib bundle|zim`; tests build it directly.
    """

    root: Path  # the project folder, with mkdocs.yml
    languages: tuple[str, ...] = ()  # the first at the root; empty: all the site's languages
    subset: Subset = field(default_factory=Subset)
    name: str | None = None  # file and folder name; default: bundle_name(languages, subset)
    out_dir: Path | None = None  # default: root/dist
    documents: bool = False  # download the linked documents into the output
    cache_dir: Path | None = None  # of the downloads; default: root/.cache/documents
    downloads: FetchSettings = field(default_factory=FetchSettings)
    python: str = sys.executable  # runs `mkdocs build`

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))
        object.__setattr__(self, "languages", tuple(dict.fromkeys(self.languages or ())))

    @property
    def target_dir(self) -> Path:
        return self.out_dir or self.root / "dist"

    @property
    def documents_cache(self) -> Path:
        return self.cache_dir or self.root / ".cache" / "documents"


@dataclass(frozen=True)
class Selection:
    """What `select` decided, checked: the part of the library, the languages and the name."""

    config: dict  # the project's mkdocs.yml as read; the steps copy it, never change it
    paths: LibraryOptions  # where the catalogue, the taxonomy and docs/ are
    catalogue: Catalogue  # the subset's resources, their documents still online
    languages: tuple[str, ...]  # the chosen ones, the first at the root
    configured: tuple[str, ...]  # every language of the site
    default: str  # the site's own default language
    name: str


@dataclass
class OfflineBuild:
    """A built offline site for a subset, in a temporary folder, ready to be packed (zip or ZIM)."""

    site: Path
    selection: Selection
    info: dict  # what the "About this bundle" page shows
    fetched: Fetched
    config: dict  # the generated mkdocs.yml, as a dict (site names, i18n options)

    @property
    def name(self) -> str:
        return self.selection.name

    @property
    def languages(self) -> list[str]:
        return list(self.selection.languages)


def select(options: OfflineOptions) -> Selection:
    """Load the catalogue and check the languages, the subset and the name before any work.

    Raises BundleError with what is allowed, so that a typo never costs a build.
    """
    config_file = options.root / "mkdocs.yml"
    config = read_config(config_file)
    paths = LibraryOptions.from_config(config, config_file)
    try:
        catalogue = load_catalogue(paths.catalogue, load_taxonomy(paths.taxonomy), paths.docs_dir)
    except CatalogueError as err:
        raise BundleError(str(err)) from None
    site_languages = i18n_options(config)["languages"]
    configured = tuple(lang["locale"] for lang in site_languages)
    default = next(lang["locale"] for lang in site_languages if lang.get("default"))
    languages = tuple(dict.fromkeys(options.languages or configured))
    unknown = unknown_languages(languages, configured)
    if unknown:
        raise BundleError(unknown)
    problems = options.subset.problems(catalogue)
    if problems:
        raise BundleError("; ".join(problems))
    chosen = options.subset.apply(catalogue)
    if not chosen.resources:
        raise BundleError("no resource is in this subset; widen it")
    name = options.name or bundle_name(list(languages), options.subset)
    if not NAME.fullmatch(name):
        raise BundleError(f"the bundle name {name!r} may only hold letters, digits, '.', '_' and '-'")
    return Selection(config, paths, chosen, languages, configured, default, name)


def stage(selection: Selection, work: Path) -> Path:
    """Copy the hand-written pages to `work/docs`, arranged for the chosen languages; returns it.

    Symbolic links are left behind (load_catalogue refused them; this is the second lock).
    """
    docs = work / "docs"
    shutil.copytree(selection.paths.docs_dir, docs, symlinks=True, ignore=_links_in)
    localise_docs(docs, list(selection.languages), selection.default, list(selection.configured))
    return docs


def fetch(selection: Selection, options: OfflineOptions, docs: Path, out: IO[str]) -> Fetched:
    """Download the subset's documents into the staged pages, when asked (spmlib.outputs.fetch)."""
    if not options.documents:
        return Fetched()
    resources = selection.catalogue.resources
    out.write(f"Fetching the documents of {len(resources)} resources (cache: {options.documents_cache})\n")
    return fetch_documents(resources, docs, options.documents_cache, options.downloads, out)


def describe(selection: Selection, options: OfflineOptions, fetched: Fetched, about: Mapping[str, Any] | None = None) -> dict:
    """The "About this bundle" page's data, also the packed result's `info`; `about` adds to it
    (the ZIM says how to open it)."""
    resources = selection.catalogue.resources
    local = sorted({link.url for resource in resources for link in resource.links if link.is_local})
    return {
        "name": selection.name,
        "date": reproducible_date(options.root).isoformat(),
        "languages": list(selection.languages),
        "subset": options.subset.to_options(),
        "resources": len(resources),
        "documents": sorted(local + list(fetched.included.values())),
        "missing": fetched.missing,
        "downloaded": options.documents,
        **(about or {}),
    }


def configure(selection: Selection, root: Path, work: Path, info: dict, fetched: Fetched) -> dict:
    """The build's config: the project's, pointed at the staged pages in `work`, for file://.

    This is where documents are relinked: `bundle.relink` maps each fetched address to its local
    copy, and the build's hook rewrites the resources' links with it (Subset.apply), so every
    page links the copy. Paths become absolute because the config is written in `work`.
    """
    config = copy.deepcopy(selection.config)
    paths = selection.paths
    config["docs_dir"] = str(work / "docs")
    config["site_dir"] = str(work / "site")
    config["use_directory_urls"] = False
    config["hooks"] = [str(root / hook) for hook in config.get("hooks", [])]
    config["theme"] = {**config["theme"], "custom_dir": str(root / config["theme"].get("custom_dir", "overrides"))}
    extra = dict(config.get("extra") or {})
    extra["library"] = {
        **dict(extra.get("library") or {}),
        "catalogue": str(paths.catalogue),
        "taxonomy": str(paths.taxonomy),
        "offline": True,
        "bundle": {**info, "relink": fetched.included},
    }
    extra["polyfills"] = [WORKER_SHIM]
    config["extra"] = extra
    i18n = i18n_options(config)
    by_locale = {lang["locale"]: lang for lang in i18n["languages"]}
    chosen = selection.languages
    i18n["languages"] = [{**by_locale[code], "default": index == 0, "build": True} for index, code in enumerate(chosen)]
    return config


def build(selection: Selection, config: dict, options: OfflineOptions, work: Path, out: IO[str]) -> Path:
    """Run `mkdocs build --strict` on `config` in a child process; returns the built site.

    A child process, stopped with it on SIGTERM/SIGINT (spmlib.processes.interrupt), so that an
    interrupted bundle leaves no build running. Raises BundleError if the build fails.
    """
    generated = work / "mkdocs.yml"
    generated.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    languages = ", ".join(selection.languages)
    out.write(f"Building {selection.name}: {len(selection.catalogue.resources)} resources in {languages}\n")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SPM_CATALOGUE", None)
    env.pop(OFFLINE_LIBRARY_ENV, None)  # a bundle holds no other bundles: its offline page says how to make them
    children: list[subprocess.Popen] = []
    with stoppable(children):
        process = subprocess.Popen(
            [options.python, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(generated)],
            cwd=options.root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            **CHILD,
        )
        children.append(process)
        stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise BundleError("the bundle's build failed:\n" + (stderr or stdout).strip())
    return Path(config["site_dir"])


@contextlib.contextmanager
def offline_build(
    options: OfflineOptions, out: IO[str] | None = None, about: Mapping[str, Any] | None = None
) -> Iterator[OfflineBuild]:
    """Run the steps up to packing; yields the build while its temporary folder exists.

    The zip (spmlib.outputs.bundle) and the ZIM (spmlib.outputs.zim) pack it while they hold it.
    Raises BundleError, and `Interrupted` on SIGTERM/SIGINT after stopping the build and
    removing its folder.
    """
    out = out or sys.stderr
    selection = select(options)
    with tempfile.TemporaryDirectory(prefix="spm-bundle-") as tmp:
        work = Path(tmp)
        docs = stage(selection, work)
        fetched = fetch(selection, options, docs, out)
        info = describe(selection, options, fetched, about)
        config = configure(selection, options.root, work, info, fetched)
        site = build(selection, config, options, work, out)
        yield OfflineBuild(site, selection, info, fetched, config)


def reproducible_date(root: Path) -> dt.date:
    """The bundle's date: SOURCE_DATE_EPOCH, else the last commit's, else today (same input, same zip)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    try:
        stamp = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        if stamp.isdigit():
            return dt.datetime.fromtimestamp(int(stamp), dt.UTC).date()
    except (OSError, subprocess.SubprocessError):
        pass
    return dt.date.today()


def size_report(sizes: dict[str, int], zip_size: int, languages: list[str], packed: str = "zip") -> str:
    """What takes the room in a bundle, so a trainer can decide what to leave out."""
    groups: dict[str, int] = {}
    for path, size in sizes.items():
        parts = path.split("/")
        if parts[0] in languages and len(parts) > 1:
            parts = parts[1:]
        if path.startswith(DOWNLOAD_DIR) or parts[0] == "documents":
            group = "documents"
        elif parts[0] == "assets":
            group = "styles, scripts and icons"
        elif parts[0] == "search":
            group = "search indexes"
        elif parts[-1] == "explorer-data.js" or "explorer-data" in parts[:-1]:  # and its parts loaded on demand
            group = "explorer data"
        else:
            group = "pages"
        groups[group] = groups.get(group, 0) + size
    lines = [f"{'part':<28}{'size':>12}"]
    for group in ("pages", "documents", "search indexes", "explorer data", "styles, scripts and icons"):
        if group in groups:
            lines.append(f"{group:<28}{groups[group] / 1e6:>9.2f} MB")
    lines.append(f"{'total, unpacked':<28}{sum(sizes.values()) / 1e6:>9.2f} MB  ({len(sizes)} files)")
    lines.append(f"{packed:<28}{zip_size / 1e6:>9.2f} MB")
    return "\n".join(lines)


def bundle_name(languages: list[str], subset: Subset) -> str:
    parts = ["spm-library", "-".join(languages)]
    parts += [f"d{n}" for n in sorted(subset.dimensions)]
    parts += [code.lower() for code in sorted(subset.standards)]
    parts += sorted(subset.types) + sorted(subset.topics)
    return "-".join(parts)


def localise_docs(docs: Path, languages: list[str], original_default: str, known: list[str]) -> None:
    """Rearrange hand-written pages so that `languages[0]` is the unsuffixed default.

    static-i18n's suffix structure treats `page.md` as the default language; a French-only
    bundle must make `page.fr.md` the plain `page.md` and drop the languages left out.
    """
    new_default = languages[0]
    pattern = re.compile(r"(?P<stem>.+?)\.(?P<lang>[a-z]{2})\.md")
    for page in sorted(docs.rglob("*.md")):
        match = pattern.fullmatch(page.name)
        if match and match["lang"] in known:
            if match["lang"] not in languages:
                page.unlink()
            continue
        if new_default == original_default:
            continue
        own = page.with_name(f"{page.stem}.{new_default}.md")
        original = page.read_bytes()
        if own.exists():
            page.write_bytes(own.read_bytes())
            own.unlink()
        if original_default in languages:
            page.with_name(f"{page.stem}.{original_default}.md").write_bytes(original)


def missing_report(fetched: Fetched) -> str:
    """The documents a bundle could not fetch, for the end of its report."""
    if not fetched.missing:
        return ""
    report = f"\n\n{len(fetched.missing)} document(s) could not be fetched (listed on the bundle's About page):"
    for item in fetched.missing:
        report += f"\n  {item['resource']}: {item['url']} ({item['reason']})"
    return report


def _links_in(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if os.path.islink(os.path.join(folder, name))]


def left_out(path: str, languages: list[str]) -> bool:
    """Files a bundle does without: sitemaps (fetched by XHR, which file:// refuses), the JSON
    search index (Material reads search_index.js from file://), the 404 page (no server), source
    maps, and the search stemmers of languages it does not hold (about 1.7 MB together)."""
    name = path.rsplit("/", 1)[-1]
    if name in ("sitemap.xml", "sitemap.xml.gz", "search_index.json", "404.html") or name.endswith(".map"):
        return True
    if path.startswith("assets/javascripts/lunr/"):
        needed = {"lunr.stemmer.support.min.js", "lunr.multi.min.js"} | {f"lunr.{code}.min.js" for code in languages}
        return name not in needed
    return False
