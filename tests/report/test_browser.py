"""The report in a real browser: headless Chromium, offline, no console errors.

Needs the ``playwright`` Python package (its own browsers are not used: never run
``playwright install``) and Debian's ``chromium``.  Without them the test is skipped,
unless ``LINMOD_REQUIRE_BROWSER=1`` (set by CI), when it fails.  The screenshot goes to
``tmp_path`` and, when ``LINMOD_SCREENSHOT_DIR`` is set, to that folder as well.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import time
from pathlib import Path

import pytest

import linmod
from linmod.analysis import analyse
from linmod.report import write_report

SECTION_IDS = ["overview", "coefficients", "fit", "assumptions", "influence", "cv", "path"]


def _offline_chromium_args() -> list[str]:
    """The flags the screenshot script launches Chromium with: one list for both."""
    script = Path(__file__).resolve().parents[2] / "scripts" / "screenshot_report.py"
    spec = importlib.util.spec_from_file_location("screenshot_report", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.CHROMIUM_ARGS)


CHROMIUM_ARGS = _offline_chromium_args()


def _unavailable(reason: str) -> None:
    if os.environ.get("LINMOD_REQUIRE_BROWSER") == "1":
        pytest.fail(f"LINMOD_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def _chromium() -> str:
    candidate = os.environ.get("LINMOD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(candidate).is_file():
        _unavailable("Debian's chromium is not installed (apt-get install chromium)")
    return candidate


def _only_the_report(route, url: str, requests: list[str]) -> None:
    """Let the report itself load; abort and record any other request."""
    if route.request.url == url:
        route.continue_()
    else:
        requests.append(route.request.url)
        route.abort()


@pytest.fixture(scope="module")
def sync_playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install playwright)")
    return sync_playwright


def test_report_renders_offline_in_chromium(tmp_path, sync_playwright):
    executable = _chromium()
    report = write_report(
        analyse(
            "price ~ square_feet + bedrooms + bathrooms + age + garage",
            linmod.datasets.house_prices(),
        ),
        tmp_path / "report.html",
    )
    url = report.resolve().as_uri()
    start = time.perf_counter()
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.route("**/*", lambda route: _only_the_report(route, url, requests))
            page = context.new_page()
            page.on(
                "console",
                lambda message: (
                    errors.append(f"console {message.type}: {message.text}")
                    if message.type in ("error", "warning")
                    else None
                ),
            )
            page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
            response = page.goto(url, wait_until="load")
            assert response is None or response.ok
            assert page.title().startswith("Regression report: price ~ square_feet")
            for key in SECTION_IDS:
                section = page.locator(f"section#{key}")
                assert section.count() == 1, key
                assert section.is_visible(), key
                box = section.bounding_box()
                assert box is not None, key
                assert box["width"] > 0, key
                assert box["height"] > 0, key
            sizes = page.evaluate(
                "() => Array.from(document.querySelectorAll('svg, img'), e => {"
                " const r = e.getBoundingClientRect();"
                " return [e.tagName, e.closest('section') ? e.closest('section').id : '',"
                " r.width, r.height]; })"
            )
            drawn = [s for s in sizes if s[0].lower() == "svg"]
            assert {s[1] for s in drawn} == {"assumptions", "path"}
            for tag, section_id, width, height in sizes:
                assert width > 100, (tag, section_id, width)
                assert height > 100, (tag, section_id, height)
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 50_000
            target = os.environ.get("LINMOD_SCREENSHOT_DIR")
            if target:
                Path(target).mkdir(parents=True, exist_ok=True)
                shutil.copyfile(shot, Path(target) / "report.png")
        finally:
            browser.close()
    assert errors == []
    assert requests == []
    assert time.perf_counter() - start < 60


#: Smallest rendered size of a diagnostic panel's plotting area at a 1280 px viewport.
MIN_PANEL_WIDTH, MIN_PANEL_HEIGHT = 180, 150
_PANEL_BOXES = (
    "() => Array.from(document.querySelectorAll("
    " 'section#assumptions svg g[id^=\"diagnostics-axes_\"]'), g => {"
    " const r = g.querySelector(':scope > g[id^=\"diagnostics-patch\"] > path')"
    ".getBoundingClientRect(); return [g.id, r.width, r.height]; })"
)


def test_wide_report_keeps_readable_panels_in_chromium(tmp_path, sync_playwright):
    # 21 predictors and a long formula: the formula's title used to shrink every panel
    from .wide import FORMULA, wide_frame

    executable = _chromium()
    report = write_report(analyse(FORMULA, wide_frame()), tmp_path / "wide.html")
    url = report.resolve().as_uri()
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.route("**/*", lambda route: _only_the_report(route, url, requests))
            page = context.new_page()
            page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
            page.goto(url, wait_until="load")
            boxes = page.evaluate(_PANEL_BOXES)
            # 4 plot.lm panels, VIF, ACF and the 6 added-variable plots
            assert len(boxes) == 12
            for name, width, height in boxes:
                assert width >= MIN_PANEL_WIDTH, (name, width)
                assert height >= MIN_PANEL_HEIGHT, (name, height)
            flags = page.locator("#column-flags tr[data-problem]")
            assert flags.count() == 6
            assert flags.first.is_visible()
            figure = page.locator("section#assumptions figure")
            shot = tmp_path / "wide-diagnostics.png"
            figure.screenshot(path=str(shot))
            assert shot.stat().st_size > 50_000
            page.screenshot(path=str(tmp_path / "wide.png"), full_page=True)
            target = os.environ.get("LINMOD_SCREENSHOT_DIR")
            if target:
                Path(target).mkdir(parents=True, exist_ok=True)
                shutil.copyfile(shot, Path(target) / "wide-diagnostics.png")
                shutil.copyfile(tmp_path / "wide.png", Path(target) / "wide.png")
        finally:
            browser.close()
    assert errors == []
    assert requests == []
