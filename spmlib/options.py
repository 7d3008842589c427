"""What a build of the library is asked to do, read once from mkdocs.yml and the environment.

The hooks, `python -m spmlib check`, the parallel build and the bundle maker all need the same
answers (where the catalogue and the taxonomy are, which languages this process builds, whether
the pages are made for file://, which part of the library a bundle holds). Reading them in one
place means `make check` validates exactly the files the build uses.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CATALOGUE_ENV = "SPM_CATALOGUE"  # another catalogue file, for tests and benchmarks
ONLY_LANGUAGES_ENV = "SPM_ONLY_LANGUAGES"  # the languages this process builds (spmlib.parallel)
SERVE_PART_ENV = "SPM_SERVE_PART"  # set in a `make serve` worker (spmlib.serveparts)


@dataclass(frozen=True)
class BundleOptions:
    """The part of `extra.library.bundle` a bundle build reads (written by spmlib.bundle)."""

    subset: Mapping[str, list] = field(default_factory=dict)
    relink: Mapping[str, str] = field(default_factory=dict)  # remote address -> downloaded local copy
    info: Mapping[str, Any] = field(default_factory=dict)  # what the "About this bundle" page shows


@dataclass(frozen=True)
class SiteLinks:
    """Addresses the pages point readers to, from `extra.library` (set per deployment, never guessed)."""

    repository: str | None = None  # the source repository, for "Source and contributions"
    propose: str | None = None  # the form to propose a resource; defaults to the repository's issue form

    @classmethod
    def from_options(cls, library: Mapping[str, Any]) -> SiteLinks:
        repository = _address(library.get("repository"))
        propose = _address(library.get("propose"))
        if propose is None and repository is not None and repository.startswith("https://github.com/"):
            propose = repository.rstrip("/") + "/issues/new?template=propose-a-resource.yml"
        return cls(repository, propose)


def _address(value: Any) -> str | None:
    """An http(s) address from configuration, or None: anything else is not shown to readers."""
    if isinstance(value, str) and re.fullmatch(r"https?://[^\s<>\"']+", value.strip()):
        return value.strip()
    return None


@dataclass(frozen=True)
class LibraryOptions:
    """Paths and modes of one build; `from_config` and `from_file` are the only ways in."""

    root: Path
    catalogue: Path
    taxonomy: Path
    docs_dir: Path
    only_languages: tuple[str, ...] | None = None  # None: this process builds every language
    offline: bool = False  # pages for file:// (bundles): no sitemaps, search index as a script
    serve_part: bool = False  # a `make serve` worker building some of the languages (spmlib.serveparts)
    bundle: BundleOptions | None = None
    links: SiteLinks = field(default_factory=lambda: SiteLinks())

    @classmethod
    def from_config(
        cls, config: Mapping[str, Any], config_file: str | Path | None, environ: Mapping[str, str] = os.environ
    ) -> LibraryOptions:
        """From a loaded mkdocs.yml (MkDocs' config object or plain data) and the environment."""
        root = Path(config_file or "mkdocs.yml").resolve().parent
        extra = config.get("extra") or {}
        library = dict(extra.get("library") or {})
        catalogue = environ.get(CATALOGUE_ENV) or library.get("catalogue") or "resources.yaml"
        only = [code for code in (environ.get(ONLY_LANGUAGES_ENV) or "").split(",") if code]
        bundle = library.get("bundle")
        return cls(
            root=root,
            catalogue=root / catalogue,
            taxonomy=root / (library.get("taxonomy") or "taxonomy"),
            docs_dir=root / (config.get("docs_dir") or "docs"),
            only_languages=tuple(only) if only else None,
            offline=bool(library.get("offline")),
            serve_part=environ.get(SERVE_PART_ENV) == "1",
            links=SiteLinks.from_options(library),
            bundle=BundleOptions(
                subset=bundle.get("subset") or {},
                relink=bundle.get("relink") or {},
                info={k: v for k, v in bundle.items() if k != "relink"},
            )
            if bundle
            else None,
        )

    @classmethod
    def from_file(cls, config_file: str | Path, environ: Mapping[str, str] = os.environ) -> LibraryOptions:
        return cls.from_config(read_config(config_file), config_file, environ)

    def builds(self, lang: str) -> bool:
        """False when another process of a parallel build makes this language."""
        return self.only_languages is None or lang in self.only_languages

    def shown_catalogue(self) -> str:
        """The catalogue's path as error messages show it: relative to where the command runs, if it can."""
        for base in (Path.cwd(), self.root):
            if self.catalogue.is_relative_to(base):
                return str(self.catalogue.relative_to(base))
        return str(self.catalogue)


def read_config(config_file: str | Path) -> dict:
    """mkdocs.yml as plain data (!ENV resolved), for the tools that run MkDocs in subprocesses."""
    from mkdocs.utils.yaml import yaml_load

    with open(config_file, encoding="utf-8") as handle:
        return yaml_load(handle)


def i18n_options(config: dict) -> dict:
    """The options of the i18n plugin in a config from `read_config` (a mutable part of it)."""
    return next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)


def configured_languages(config: dict) -> list[str]:
    """The i18n languages of a config from `read_config` that are built, default first."""
    languages = [lang for lang in i18n_options(config)["languages"] if lang.get("build", True)]
    languages.sort(key=lambda lang: not lang.get("default"))
    return [lang["locale"] for lang in languages]
