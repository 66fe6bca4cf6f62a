"""The links between our pages inside ``snakemake --report``'s output (issue #15 point 6).

The zip report (``--report report.zip``) stores each report() file at ``report/data/raw/<id>/<name>``
(mmrisk.reportlinks): there every cohort → sample, cohort → patient, sample → patient, patient → sample and
patient → cohort link must lead to a file of the zip, resolved from the unpacked files and followed in
chromium. The self-contained ``--report report.html`` embeds each page as a ``data:`` URL, where no page can
address another: there a page says so and shows no link that leads nowhere (a documented limit).
"""

from __future__ import annotations

import base64
import os
import re
import zipfile
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import run_snakemake

CHROMIUM = "/usr/bin/chromium"
_A = re.compile(r'<a href="([^"]*)" data-report-href="([^"]*)"')


@pytest.fixture(scope="module")
def zip_report(demo_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's zip report, unpacked: its ``report/`` folder."""
    work = demo_run.parent
    run_snakemake(work, "--report", str(work / "report.zip"))
    out = tmp_path_factory.mktemp("zipreport")
    with zipfile.ZipFile(work / "report.zip") as z:
        z.extractall(out)
    return out / "report"


def _pages(root: Path) -> dict[str, Path]:
    """Our pages in the unpacked report by kind: cohort (index.html), sample (report.html), patient."""
    raw = sorted((root / "data" / "raw").glob("*/*.html"))
    return {p.relative_to(root / "data" / "raw").as_posix(): p for p in raw}


def test_every_link_between_pages_leads_to_a_file_of_the_zip_report(zip_report: Path, demo_run: Path):
    pages = _pages(zip_report)
    kinds = {"index.html": "cohort", "report.html": "sample", "evolution.html": "patient"}
    by_kind: dict[str, list[str]] = {}
    for place, path in pages.items():
        by_kind.setdefault(kinds[path.name], []).append(place)
    n_ok = len(list(demo_run.glob("samples/*/report.html")))
    assert len(by_kind["cohort"]) == 1 and len(by_kind["sample"]) == n_ok and by_kind["patient"]
    followed: dict[tuple[str, str], int] = {}
    for place, path in pages.items():
        html = path.read_text(encoding="utf-8")
        assert f'data-report-self="{place}"' in html  # the page knows where the zip put it
        for href, report_href in _A.findall(html):
            target = (path.parent / report_href).resolve()
            assert target.is_file(), (place, report_href)
            assert target.parent.parent == path.parent.parent  # inside data/raw, never outside the zip
            pair = (kinds[path.name], kinds[target.name])
            followed[pair] = followed.get(pair, 0) + 1
    # every reported sample from the cohort page (its table and its matrix), each patient both ways
    assert followed[("cohort", "sample")] == 2 * n_ok
    assert followed[("cohort", "patient")] == len(by_kind["patient"])
    assert followed[("patient", "cohort")] == len(by_kind["patient"])
    assert followed[("patient", "sample")] >= 2 * len(by_kind["patient"])
    assert followed[("sample", "patient")] >= 2 * len(by_kind["patient"])


def test_the_same_links_work_in_results(demo_run: Path):
    for path in [demo_run / "cohort" / "index.html", *demo_run.glob("samples/*/report.html"),
                 *demo_run.glob("patients/*/evolution.html")]:
        for href, _ in _A.findall(path.read_text(encoding="utf-8")):
            assert (path.parent / href).resolve().is_file(), (path, href)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the environment
        sync_playwright = None
    if sync_playwright is None or not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI"):
            pytest.fail("chromium or playwright missing in CI")
        pytest.skip("chromium or the playwright package is missing")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def test_links_followed_in_chromium_inside_the_zip_report(zip_report: Path, browser: Any):
    """Opened where the zip report's viewer opens it (its iframe's file), the cohort page leads to a
    sample's report, that to its patient's page, and that back to the cohort page."""
    cohort = next(p for p in _pages(zip_report).values() if p.name == "index.html")
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(cohort.as_uri(), wait_until="load")
        assert page.locator("html").get_attribute("data-opened-in") == "zip"
        page.locator("#samples-table a", has_text="DEMO-17").click()
        page.wait_for_load_state("load")
        assert page.locator("h1").inner_text().startswith("Myeloma genomic risk report: DEMO-17")
        page.get_by_role("link", name="clonal evolution across this patient's samples").click()
        page.wait_for_load_state("load")
        assert "DP17" in page.locator("h1").inner_text() and page.url.endswith("/evolution.html")
        page.get_by_role("link", name="Cohort page").click()
        page.wait_for_load_state("load")
        assert page.locator("h1").inner_text().startswith("Myeloma genomic risk: cohort")
        assert Path(page.url.removeprefix("file://")).resolve() == cohort.resolve()
        assert errors == []
    finally:
        ctx.close()


def test_self_contained_html_report_says_pages_cannot_link(demo_run: Path, browser: Any):
    """``--report report.html`` embeds each page as a data: URL (Snakemake's data_uri_from_file); opened so,
    a page says that the report's lists open the other pages and leaves no link that leads nowhere."""
    work = demo_run.parent
    run_snakemake(work, "--report", str(work / "report.html"))
    viewer = (work / "report.html").read_text(encoding="utf-8")
    sample = demo_run / "samples" / "DEMO-17" / "report.html"
    encoded = base64.b64encode(sample.read_bytes()).decode("ascii")
    assert encoded in viewer  # the page as embedded
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    try:
        page.goto(f"data:text/html;base64,{encoded}", wait_until="load")
        assert page.locator("html").get_attribute("data-opened-in") == "embedded"
        assert "pages cannot open each other" in page.locator("header .report-note").inner_text()
        assert page.locator("a[data-report-href][href]").count() == 0
    finally:
        ctx.close()
