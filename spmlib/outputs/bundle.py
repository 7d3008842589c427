"""Offline bundles for field trainings: part or all of the library as one reproducible zip.

The zip packer of the offline pipeline (spmlib.outputs.offline selects, fetches and builds; the
Kiwix ZIM is the other packer, spmlib.outputs.zim). A zip opens by double-clicking index.html on
any laptop, so it leaves out what file:// cannot use (`left_out`), and it is deterministic:
sorted names and fixed times, so the same input gives the same bytes and a trainer can compare
checksums.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from spmlib.outputs.offline import OfflineBuild, OfflineOptions, left_out, missing_report, offline_build, size_report

__all__ = ["BundleResult", "make_bundle", "pack_zip", "write_zip"]

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass
class BundleResult:
    zip_path: Path
    report: str
    info: dict


def make_bundle(options: OfflineOptions, out: IO[str] | None = None) -> BundleResult:
    """Build and zip a bundle into options.target_dir. Raises BundleError for wrong options or a
    failed build, `Interrupted` on SIGTERM/SIGINT."""
    with offline_build(options, out) as built:
        return pack_zip(built, options.target_dir)


def pack_zip(built: OfflineBuild, target_dir: Path) -> BundleResult:
    """The pipeline's last step for a zip: `built` as target_dir/<name>.zip, with its size report."""
    target = target_dir / f"{built.name}.zip"
    sizes = write_zip(built.site, target, built.name, skip=lambda path: left_out(path, built.languages))
    report = size_report(sizes, target.stat().st_size, built.languages)
    return BundleResult(target, report + missing_report(built.fetched), built.info)


def write_zip(site: Path, target: Path, folder: str, skip: Callable[[str], bool] = lambda _: False) -> dict[str, int]:
    """Zip `site` under `folder/` with sorted names and fixed times, so equal input gives equal bytes."""
    sizes: dict[str, int] = {}
    paths = sorted(p for p in site.rglob("*") if p.is_file())
    target.parent.mkdir(parents=True, exist_ok=True)
    # A unique temporary name: two bundles of the same name at once must not share one.
    fd, partial_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    partial = Path(partial_name)
    try:
        _fill_zip(partial, site, paths, folder, skip, sizes)
        os.chmod(partial, 0o644)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return sizes


def _fill_zip(partial: Path, site: Path, paths: list[Path], folder: str, skip: Callable[[str], bool], sizes: dict) -> None:
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in paths:
            relative = path.relative_to(site).as_posix()
            if skip(relative):
                continue
            info = zipfile.ZipInfo(f"{folder}/{relative}", date_time=ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            data = path.read_bytes()
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
            sizes[relative] = len(data)
