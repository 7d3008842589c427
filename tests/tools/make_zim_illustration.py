"""Render the site's favicon as the 48x48 PNG that Kiwix readers show for the ZIM (run once, commit).

Kiwix wants a PNG ("Illustration_48x48@1"); the favicon is an SVG. Rasterising it here with
Debian's Chromium, once, spares the project an image library at build time:

    .venv/bin/python tests/tools/make_zim_illustration.py

tests/test_zim.py checks that the committed PNG still matches the favicon.
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FAVICON = ROOT / "overrides" / "assets" / "images" / "favicon.svg"
TARGET = ROOT / "spmlib" / "data" / "illustration-48.png"


def render(svg: Path, size: int = 48, chromium: str = "/usr/bin/chromium") -> bytes:
    """`svg` drawn on a transparent size x size square, as PNG bytes."""
    from playwright.sync_api import sync_playwright

    data = base64.b64encode(svg.read_bytes()).decode("ascii")
    html = (
        f"<html><body style='margin:0;background:transparent'>"
        f"<img src='data:image/svg+xml;base64,{data}' width='{size}' height='{size}' style='display:block'></body></html>"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": size, "height": size}, device_scale_factor=1)
        page.set_content(html)
        png = page.screenshot(omit_background=True, clip={"x": 0, "y": 0, "width": size, "height": size})
        browser.close()
    return png


if __name__ == "__main__":
    TARGET.write_bytes(render(FAVICON))
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)", file=sys.stderr)
