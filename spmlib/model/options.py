"""What a build of the library is asked to do, read once from mkdocs.yml and the environment.

The hooks, `python -m spmlib check`, the parallel build and the bundle maker all need the same
answers (where the catalogue and the taxonomy are, which languages this process builds, whether
the pages are made for file://, which part of the library a bundle holds). Reading them in one
place means `make check` validates exactly the files the build uses.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spmlib.model.offlinelibrary import OFFLINE_LIBRARY_ENV, LibraryError, OfflineLibrary, read_library
from spmlib.model.problems import kind_of, show_value
from spmlib.model.settings import LIBRARY, ConfigFile, library_settings
from spmlib.model.textcheck import describe, escape_for_terminal, first_control, first_invisible

CATALOGUE_ENV = "SPM_CATALOGUE"  # another catalogue file, for tests and benchmarks
ONLY_LANGUAGES_ENV = "SPM_ONLY_LANGUAGES"  # the languages this process builds (spmlib.processes.parallel, make serve LANGS=)
SERVE_PART_ENV = "SPM_SERVE_PART"  # set in a `make serve` worker (spmlib.serve.serveparts)
# The variables mkdocs.yml reads with !ENV into extra.library's addresses and names (set per deployment).
ADDRESS_ENV = {"repository": "SPM_REPOSITORY", "propose": "SPM_PROPOSE_URL", "keeper_url": "SPM_KEEPER_URL"}
NAME_ENV = {"keeper": "SPM_KEEPER"}
NAME_MAX = 120  # characters of a name shown in a sentence of the home page
_HTTP_ADDRESS = re.compile(r"https?://[^\s/<>\"'?#]+[^\s<>\"']*")


class OptionsError(ValueError):
    """mkdocs.yml or the environment asks for something this build cannot do; the message has one
    line per mistake, `WHERE: error: ...` (WHERE is `mkdocs.yml:LINE` or the variable's name),
    naming the setting or variable and its value (escaped)."""


@dataclass(frozen=True)
class BundleOptions:
    """The part of `extra.library.bundle` a bundle build reads (written by spmlib.outputs.offline)."""

    subset: Mapping[str, list] = field(default_factory=dict)
    relink: Mapping[str, str] = field(default_factory=dict)  # remote address -> downloaded local copy
    info: Mapping[str, Any] = field(default_factory=dict)  # what the "About this bundle" page shows


@dataclass(frozen=True)
class SiteLinks:
    """Who keeps the library and the addresses the pages point readers to, from `extra.library`
    (set per deployment, never guessed)."""

    repository: str | None = None  # the source repository, for "Source and contributions"
    propose: str | None = None  # the form to propose a resource; defaults to the repository's issue form
    keeper: str | None = None  # the person or organisation that keeps the library, named under the home page's title
    keeper_url: str | None = None  # their web page, which that name links to

    @classmethod
    def from_options(
        cls, library: Mapping[str, Any], environ: Mapping[str, str] = os.environ, source: ConfigFile | None = None
    ) -> SiteLinks:
        """From `extra.library` (its `repository`, `propose`, `keeper` and `keeper_url`); `source`
        says where mkdocs.yml wrote them, for the message about a value that cannot be used."""
        source = source or ConfigFile(None)
        repository = _address(library, "repository", environ, source)
        propose = _address(library, "propose", environ, source)
        if propose is None and repository is not None and repository.startswith("https://github.com/"):
            propose = repository.rstrip("/") + "/issues/new?template=propose-a-resource.yml"
        keeper = _name(library, "keeper", environ, source)
        return cls(repository, propose, keeper, _address(library, "keeper_url", environ, source))


def _where(library: Mapping[str, Any], key: str, environ: Mapping[str, str], source: ConfigFile) -> tuple[str, str]:
    """Where a bad `extra.library.<key>` comes from and how to show it: the variable that set it,
    or its line in mkdocs.yml."""
    value = library.get(key)
    variable = ADDRESS_ENV.get(key) or NAME_ENV.get(key)
    if variable is not None and environ.get(variable) == value:
        return variable, show_value(value, limit=200)
    return source.where(*LIBRARY, key), f"extra.library.{key} {show_value(value, limit=200)}"


def _name_problem(value: Any) -> str | None:
    """What is wrong with a name to show in a sentence, or None."""
    if not isinstance(value, str):
        return f"is {kind_of(value)}"
    odd = first_control(value) or first_invisible(value) or next((c for c in value if c in "\t\n\r"), None)
    if odd is not None:
        return f"holds {describe(odd)}"
    if value != value.strip():
        return "starts or ends with a space"
    if len(value) > NAME_MAX:
        return f"is longer than {NAME_MAX} characters"
    return None


def _name(library: Mapping[str, Any], key: str, environ: Mapping[str, str], source: ConfigFile) -> str | None:
    """The name `extra.library.<key>` as readers will see it in a sentence, or None when it is not set.

    Anything but one line of visible text, at most NAME_MAX characters, is an OptionsError: the
    home page of every language would otherwise show it as it is, line breaks and all.
    """
    value = library.get(key)
    if value is None or value == "":
        return None
    problem = _name_problem(value)
    if problem is None:
        return value
    where, what = _where(library, key, environ, source)
    advice = "give the name of a person or an organisation as readers should see it, or leave it empty"
    raise OptionsError(escape_for_terminal(f"{where}: error: {what} {problem}; {advice}"))


def _address(library: Mapping[str, Any], key: str, environ: Mapping[str, str], source: ConfigFile) -> str | None:
    """The http(s) address `extra.library.<key>`, or None when it is not set (absent or empty).

    Anything else raises OptionsError: a deployment that sets SPM_REPOSITORY to `github.com/x/y`
    (no scheme), a `javascript:` address or a value with a space or a line break in it would
    otherwise lose its links without a word, and a strict build would pass. No value is trimmed:
    a line break at the end is as much a mistake as one in the middle. A value that came from
    the environment is blamed on its variable, one written in mkdocs.yml on its file and line.
    """
    value = library.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str) and _HTTP_ADDRESS.fullmatch(value):
        return value
    where, what = _where(library, key, environ, source)
    raise OptionsError(
        escape_for_terminal(
            f"{where}: error: {what} is not a web address; give a whole http:// or https:// address "
            "with no spaces or line breaks, like https://github.com/owner/repository, or leave it empty"
        )
    )


def unknown_languages(chosen: Iterable[str], known: Sequence[str]) -> str | None:
    """'unknown language de; allowed: en, fr' when `chosen` names a language not in `known`, else None.

    The one wording for `make bundle LANGS=`, `make zim LANGS=` and `make serve LANGS=`.
    """
    unknown = [code for code in dict.fromkeys(chosen) if code not in known]
    if not unknown:
        return None
    return f"unknown language {', '.join(unknown)}; allowed: {', '.join(known)}"


def unknown_only_languages(options: LibraryOptions, known: Sequence[str]) -> str | None:
    """The error for an SPM_ONLY_LANGUAGES (`make serve LANGS=...`) naming a language the site does
    not have, or None. Without it a typo served a site with the default language alone, silently."""
    if options.only_languages is None:
        return None
    message = unknown_languages(options.only_languages, known)
    return escape_for_terminal(f"{ONLY_LANGUAGES_ENV}: error: {message}") if message else None


@dataclass(frozen=True)
class LibraryOptions:
    """Paths and modes of one build; `from_config` and `from_file` are the only ways in."""

    root: Path
    catalogue: Path
    taxonomy: Path
    docs_dir: Path
    only_languages: tuple[str, ...] | None = None  # None: this process builds every language
    offline: bool = False  # pages for file:// (bundles): no sitemaps, search index as a script
    serve_part: bool = False  # a `make serve` worker building some of the languages (spmlib.serve.serveparts)
    bundle: BundleOptions | None = None
    links: SiteLinks = field(default_factory=lambda: SiteLinks())
    library: OfflineLibrary | None = None  # the zips and ZIMs published with the site (`make publish`)

    @classmethod
    def from_config(
        cls, config: Mapping[str, Any], config_file: str | Path | None, environ: Mapping[str, str] = os.environ
    ) -> LibraryOptions:
        """From a loaded mkdocs.yml (MkDocs' config object or plain data) and the environment.

        Raises OptionsError for a setting of `extra.library` that is unknown, of the wrong type
        (spmlib.model.settings) or an address that is not one (SiteLinks)."""
        root = Path(config_file or "mkdocs.yml").resolve().parent
        source = ConfigFile(config_file)
        settings, mistakes = library_settings(config, source)
        if mistakes:
            raise OptionsError("\n".join(mistakes))
        catalogue = environ.get(CATALOGUE_ENV) or settings.catalogue
        only = [code for code in (environ.get(ONLY_LANGUAGES_ENV) or "").split(",") if code]
        bundle = settings.bundle
        manifest = environ.get(OFFLINE_LIBRARY_ENV)
        try:
            library = read_library(Path(manifest)) if manifest else None
        except LibraryError as err:
            raise OptionsError(str(err)) from None
        return cls(
            root=root,
            catalogue=root / catalogue,
            taxonomy=root / settings.taxonomy,
            docs_dir=root / (config.get("docs_dir") or "docs"),
            only_languages=tuple(only) if only else None,
            offline=settings.offline,
            serve_part=environ.get(SERVE_PART_ENV) == "1",
            links=SiteLinks.from_options(
                {key: getattr(settings, key) for key in ("repository", "propose", "keeper", "keeper_url")}, environ, source
            ),
            bundle=BundleOptions(
                subset=bundle.get("subset") or {},
                relink=bundle.get("relink") or {},
                info={k: v for k, v in bundle.items() if k != "relink"},
            )
            if bundle
            else None,
            library=library,
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
