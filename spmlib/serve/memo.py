"""What is worked out from one resource, kept between the builds of one process (`make serve`).

A one-entry edit reloads the catalogue, so every Resource object is new and every per-language
step (explorer rows, open data lines, title keys, compact list rows) would be worked out again
for thousands of entries that did not change. Results are kept here by what the resource says
(Catalogue.digests), the language and the step, and dropped together whenever the taxonomy
changes (labels and synonyms feed into them). Full builds use none of this.

What depends on more than one resource is kept in `Generations` by its owner, with keys that
hold what it depends on: related resources (spmlib.serve.reload.RelatedIds), search variants
(spmlib.serve.cached.VariantsMemo). spmlib.serve.cached makes the site's functions use them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from spmlib.model.catalogue import Catalogue, Resource

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


class ResourceMemo:
    """Per-resource results by (step, language, resource digest); see the module docstring."""

    def __init__(self) -> None:
        self._taxonomy_key: object = None
        self._kept: dict[tuple[str, str, str], Any] = {}
        self._used: set[tuple[str, str, str]] = set()

    def follow(self, taxonomy_key: object) -> None:
        """A newly read catalogue: forget everything if the taxonomy changed, else what the builds
        since the last reading did not use (entries edited away), so the memo never grows past
        one catalogue."""
        if taxonomy_key != self._taxonomy_key:
            self._kept.clear()
        elif self._used:
            self._kept = {key: value for key, value in self._kept.items() if key in self._used}
        self._taxonomy_key = taxonomy_key
        self._used = set()

    def get(self, step: str, lang: str, catalogue: Catalogue, resource: Resource, work: Callable[[], T]) -> T:
        """`work()`'s result for this resource, worked out once per content, language and step."""
        key = (step, lang, catalogue.digests[resource.id])
        self._used.add(key)
        if key not in self._kept:
            self._kept[key] = work()
        return self._kept[key]

    def __len__(self) -> int:
        return len(self._kept)


class Generations(Generic[K, T]):
    """Results of one build kept for the next (`make serve`). What a build does not ask for is
    dropped when the one after it starts, so it never holds more than one build's results."""

    def __init__(self) -> None:
        self._last: dict[K, T] = {}
        self._now: dict[K, T] = {}

    def next(self, keep: bool = True) -> None:
        """A new build; `keep=False` when what the results depend on has changed."""
        self._last = (self._now or self._last) if keep else {}
        self._now = {}

    def get(self, key: K, work: Callable[[], T]) -> T:
        now = self._now
        if key in now:
            return now[key]
        found = self._last[key] if key in self._last else work()
        now[key] = found
        return found
