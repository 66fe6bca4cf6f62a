"""Names for people: the one place a page turns an identifier into the words a haematologist reads.

Lesion labels come from ``resources/lesions.tsv`` (:mod:`mmrisk.lesions`); every other identifier a page
shows (drug classes, clinical fields, small-variant flags, input kinds, refractoriness classes, exposures,
R2-ISS point keys, evidence sources) from ``resources/labels.tsv``. The identifiers themselves stay in
risk.json and the TSV outputs; a page shows an identifier only inside ``<code>``, a ``.mono`` element (file
paths, caller records, hashes), the effective configuration's ``<pre>`` block, attributes other than
``title``/``aria-label``, and the cohort page's script (tests/test_report.py and tests/test_browser.py
count raw identifiers everywhere else and require none).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from .errors import InputError, InputProblem
from .lesions import LESIONS
from .resources import RESOURCE_DIR
from .tables import read_tsv

KINDS: tuple[str, ...] = ("drug_class", "clinical", "flag", "input", "refractory", "exposure", "r2_point", "source",
                          "state")


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    """``{kind: {id: label}}`` of ``resources/labels.tsv``; a malformed row is an InputError naming its line."""
    t = read_tsv(RESOURCE_DIR / "labels.tsv", required_columns=("kind", "id", "label", "source"))
    out: dict[str, dict[str, str]] = {k: {} for k in KINDS}
    problems: list[InputProblem] = []
    for row in t.rows:
        c = row.cells
        if c["kind"] not in KINDS or not c["id"] or not c["label"] or c["id"] in out.get(c["kind"], {}):
            problems.append(InputProblem(t.path, "malformed or duplicated label row", line=row.line, value=c["id"],
                                         expected=f"kind one of {', '.join(KINDS)}, a new id and a label"))
            continue
        out[c["kind"]][c["id"]] = c["label"]
    if problems:
        raise InputError(problems)
    return out


def label(kind: str, ident: str | None) -> str:
    """The label of ``ident`` of ``kind``; an identifier the table does not know is shown with its
    underscores as spaces (never silently dropped)."""
    if ident is None:
        return "—"
    return table()[kind].get(str(ident)) or str(ident).replace("_", " ")


def lesion(ident: str) -> str:
    """A lesion's label; a string that is not a lesion id (a variant such as ``KRAS p.G12D``) unchanged."""
    kind = LESIONS.get(ident)
    return kind.label if kind else ident


def variable(name: str) -> str:
    """A risk system's variable as ``missing`` names it: a lesion, a clinical field, or a phrase such as
    ``del(17p) fraction``."""
    if name in LESIONS:
        return LESIONS[name].label
    return table()["clinical"].get(name, name)


def labels(kind: str, idents: Iterable[str]) -> list[str]:
    return [lesion(i) if kind == "lesion" else variable(i) if kind == "variable" else label(kind, i) for i in idents]


@lru_cache(maxsize=1)
def _id_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """Every identifier with an underscore that a sentence of ours may carry, and its label."""
    names = {lid: k.label for lid, k in LESIONS.items() if "_" in lid}
    for kind in ("drug_class", "clinical", "flag", "input", "refractory", "state"):
        names.update({i: lab for i, lab in table()[kind].items() if "_" in i and i not in names})
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    # whole words only: not inside a file name (``DEMO_snv_vcf.vcf``) or a longer identifier
    return re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w/-]|\.\w)"), names


def sentence(text: str) -> str:
    """A sentence written by a reader or an engine (evidence details, notes, warnings) with the identifiers it
    names (``TP53_mutation``, ``imid_celmod``, ``b2m_mg_l``) replaced by their labels. Never applied to text
    that is an input's own (a lab comment, a file path)."""
    pattern, names = _id_pattern()
    return pattern.sub(lambda m: names[m.group(0)], text)
