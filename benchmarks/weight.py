"""Page weight of a built site: what a host stores and what one page costs a reader.

GitHub Pages refuses a site over 1 GB; a 10,000-entry library in four languages is some 40,000
pages, so about 25 KB a page is the budget. bench.py reports these figures per size.
"""

from __future__ import annotations

import statistics
from pathlib import Path


def page_weight(site: Path) -> dict:
    """Counts and sizes (raw bytes) of the HTML pages of a site, and of its resource pages."""
    pages = [p for p in site.rglob("*.html") if p.is_file()]
    sizes = [p.stat().st_size for p in pages]
    resources = [p.stat().st_size for p in pages if p.parent.parent.name == "resources" and p.name == "index.html"]
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return {
        "html_pages": len(pages),
        "html_mb": round(sum(sizes) / 1e6, 1),
        "page_kb_mean": round(statistics.mean(sizes) / 1024, 1) if sizes else 0,
        "resource_page_kb_median": round(statistics.median(resources) / 1024, 1) if resources else 0,
        "largest_page_kb": round(max(sizes) / 1024) if sizes else 0,
        "site_kb_per_page": round(total / 1024 / len(pages), 1) if pages else 0,
    }
