"""HTML reports: one self-contained page per sample and the cohort page.

Jinja2 with autoescaping: every string that came from an input (sample ids,
FISH comments, file names, drug names) is escaped on its way into HTML.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import __version__
from .evaluate import RESEARCH_USE

TEMPLATES = Path(__file__).resolve().parent / "templates"
SYSTEMS = (
    ("imwg2025", "IMS/IMWG 2025"),
    ("msmart3", "mSMART 3.0"),
    ("r2iss", "R2-ISS"),
    ("riss", "R-ISS"),
    ("iss", "ISS"),
)
LABELS = {"high": "high risk", "standard": "standard risk", "not_evaluable": "not evaluable", None: "—"}


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=False,
    )
    return env


def pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.0f}%"


def num(v: Any) -> str:
    if v is None:
        return "—"
    return f"{v:g}" if isinstance(v, float) else str(v)


def today() -> str:
    """The report date: the only time stamp in the outputs (HTML pages only).

    Honours ``SOURCE_DATE_EPOCH`` (reproducible-builds convention), so a rerun
    with it set gives byte-identical pages.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date().isoformat()
    return dt.date.today().isoformat()


def render_sample(doc: Mapping[str, Any], date: str | None = None) -> str:
    tpl = _env().get_template("sample.html.j2")
    config_text = yaml.safe_dump(doc["provenance"]["config"], sort_keys=False, allow_unicode=True)
    return tpl.render(d=doc, css=(TEMPLATES / "base.css").read_text(), systems=SYSTEMS, labels=LABELS,
                      pct=pct, num=num, date=date or today(), config_text=config_text)


def render_cohort(rows: Iterable[Mapping[str, Any]], date: str | None = None) -> str:
    rows = list(rows)
    failed = [r for r in rows if r["status"] != "ok"]
    ok = [r for r in rows if r["status"] == "ok"]
    counts = []
    for key, name in SYSTEMS:
        c: dict[str, int] = {}
        for r in ok:
            v = r.get(key)
            label = LABELS.get(v, f"stage {v}") if key in ("imwg2025", "msmart3") else (
                f"stage {v}" if v else "not computable")
            c[label] = c.get(label, 0) + 1
        counts.append((name, c))
    cols: list[str] = []
    for _, c in counts:
        for k in c:
            if k not in cols:
                cols.append(k)
    order = ["high risk", "standard risk", "not evaluable", "stage I", "stage II", "stage III", "stage IV",
             "not computable"]
    cols.sort(key=lambda k: order.index(k) if k in order else len(order))
    tpl = _env().get_template("cohort.html.j2")
    return tpl.render(rows=rows, failed=failed, ok=len(ok), counts=counts, count_cols=cols, labels=LABELS,
                      css=(TEMPLATES / "base.css").read_text(), version=__version__, ruo=RESEARCH_USE,
                      date=date or today())
