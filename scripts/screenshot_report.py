"""Screenshot the HTML report on the lessons' house-price data, for the README.

Builds ``linmod.analysis.analyse("price ~ square_feet + bedrooms + bathrooms + age +
garage", linmod.datasets.house_prices())``, writes the report and photographs it in
headless Chromium through the ``playwright`` package (Debian's ``chromium``; never
``playwright install``), with every network request refused.

Usage::

    python scripts/screenshot_report.py                       # docs/images/report.png
    python scripts/screenshot_report.py --full-page -o all.png --html report.html
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import linmod
from linmod.analysis import analyse
from linmod.report import write_report

ROOT = Path(__file__).resolve().parent.parent
FORMULA = "price ~ square_feet + bedrooms + bathrooms + age + garage"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "-o", "--output", type=Path, default=ROOT / "docs" / "images" / "report.png",
        help="PNG to write (default: docs/images/report.png)",
    )  # fmt: skip
    parser.add_argument("--html", type=Path, help="also keep the report's HTML here")
    parser.add_argument("--width", type=int, default=1280, help="viewport width in CSS px")
    parser.add_argument(
        "--height", type=int, default=1500,
        help="height of the picture in CSS px (the top of the page; ignored with --full-page)",
    )  # fmt: skip
    parser.add_argument("--full-page", action="store_true", help="photograph the whole page")
    parser.add_argument(
        "--chromium", default=shutil.which("chromium") or "/usr/bin/chromium",
        help="the Chromium executable (default: Debian's chromium)",
    )  # fmt: skip
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Write the report, photograph it, and print where the picture went."""
    args = _arguments(argv)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("needs the playwright package: pip install playwright", file=sys.stderr)
        return 1
    if not Path(args.chromium).is_file():
        print(f"no Chromium at {args.chromium}: apt-get install chromium", file=sys.stderr)
        return 1
    analysis = analyse(FORMULA, linmod.datasets.house_prices())
    with tempfile.TemporaryDirectory() as folder:
        report = write_report(analysis, Path(folder) / "report.html")
        if args.html:
            shutil.copyfile(report, args.html)
        url = report.resolve().as_uri()
        blocked: list[str] = []

        def only_the_report(route: object) -> None:
            request_url = route.request.url  # type: ignore[attr-defined]
            if request_url == url:
                route.continue_()  # type: ignore[attr-defined]
            else:
                blocked.append(request_url)
                route.abort()  # type: ignore[attr-defined]

        args.output.parent.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport={"width": args.width, "height": args.height})
                context.route("**/*", only_the_report)
                page = context.new_page()
                page.goto(url, wait_until="load")
                page.screenshot(path=str(args.output), full_page=args.full_page)
            finally:
                browser.close()
    if blocked:
        print(f"the report asked for {blocked}; it must be self-contained", file=sys.stderr)
        return 1
    print(args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
