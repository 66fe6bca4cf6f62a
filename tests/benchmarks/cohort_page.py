"""The cohort page at 1 000 and 10 000 samples: a synthetic cohort from real demo evaluations, and what it
costs a browser to load, sort and filter it.

    python tests/benchmarks/cohort_page.py DEMO_RESULTS_DIR [N ...]   # default N: 1000 10000

``DEMO_RESULTS_DIR`` is a demo run's ``results/`` folder (``./run.sh demo``). Each synthetic sample is a copy
of one real demo ``evaluation.json`` (ok and failed ones alike, in turn) under a new sample id, so the
page holds the real mix of calls; ``mmrisk.entry.run_cohort`` writes the page as the workflow does.
Prints one JSON line per size: page bytes, elements, and the times (ms) of load, sorting by IMS/IMWG 2025
and filtering by text (up to the next drawn frame). Measured, never asserted (tests/test_browser.py records the 1 000-sample figures).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))


def synthetic_cohort(demo_results: Path, out: Path, n: int) -> Path:
    """``out/cohort/index.html`` of ``n`` samples copied from the demo's evaluations; returns the page."""
    from mmrisk.entry import run_cohort

    sources = sorted((demo_results / "samples").glob("*/evaluation.json"))
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sources]
    folders = []
    for i in range(n):
        doc = json.loads(json.dumps(docs[i % len(docs)]))
        sid, patient = f"SYN-{i:05d}", f"SP{i // 3:05d}"
        doc["sample"], doc["patient"] = sid, patient
        if doc.get("result"):
            doc["result"]["sample"], doc["result"]["patient"] = sid, patient
        folder = out / "samples" / sid
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "evaluation.json").write_text(json.dumps(doc), encoding="utf-8")
        folders.append(str(folder))
    index = out / "cohort" / "index.html"
    run_cohort(folders, str(out / "cohort" / "summary.tsv"), str(index), str(out / "cohort" / "mmrisk_risk_mqc.tsv"))
    return index


#: Runs ``action`` in the page and resolves with the milliseconds until the frame after it has been drawn
#: (the handler's work, the re-render and its layout), measured by the page's own clock.
_TIMED = """async (action) => {
  const t0 = performance.now();
  action === 'sort'
    ? Array.from(document.querySelectorAll('#samples-table thead button.sort'))
        .find(b => b.textContent.trim() === 'IMS/IMWG 2025').click()
    : (() => { const f = document.querySelector('#filter-text'); f.value = 'SYN-0000';
               f.dispatchEvent(new Event('input', {bubbles: true})); })();
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0;
}"""


def measure(browser: Any, index: Path, width: int = 1280) -> dict[str, Any]:
    """Load (navigation to the load event, wall clock), sort and filter times (ms, the page's clock up to the
    next drawn frame) of the cohort page in ``browser`` (a Playwright Browser), and whether what they
    promise happened (the sort's announcement, the filter's 10 rows)."""
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(index.resolve().as_uri(), wait_until="load", timeout=300_000)
    load = (time.perf_counter() - t0) * 1000
    sort = page.evaluate(_TIMED, "sort")
    sorted_ok = page.evaluate("document.querySelector('#filter-status').textContent.startsWith('Sorted')")
    filt = page.evaluate(_TIMED, "filter")
    filtered_ok = page.evaluate("document.querySelector('#filter-status').textContent.startsWith('10 of')")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    dom_nodes = page.evaluate("document.getElementsByTagName('*').length")
    ctx.close()
    return {"samples": None, "page_bytes": index.stat().st_size, "load_ms": round(load), "sort_ms": round(sort),
            "filter_ms": round(filt), "sorted": sorted_ok, "filtered": filtered_ok, "dom_elements": dom_nodes,
            "scroll_width": scroll_width, "viewport": width}


def main(argv: list[str]) -> None:
    import tempfile

    from playwright.sync_api import sync_playwright

    demo = Path(argv[0])
    sizes = [int(a) for a in argv[1:]] or [1000, 10000]
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for n in sizes:
            index = synthetic_cohort(demo, Path(tmp) / str(n), n)
            print(json.dumps({**measure(b, index), "samples": n}))
        b.close()


if __name__ == "__main__":
    main(sys.argv[1:])
