"""Myeloma driver genes (``resources/driver_genes.tsv``): context beside reported small variants, no drug class.

Re-exported by :mod:`mmrisk.kb`; read by :mod:`mmrisk.outputs` (``driver_gene`` of variants.tsv and
``driver_gene_variants`` of risk.json).
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError, InputProblem
from .resources import ROOT
from .tables import read_tsv

DEFAULT_DRIVERS = ROOT / "resources" / "driver_genes.tsv"


def load_driver_genes(path: str | Path = DEFAULT_DRIVERS) -> dict[str, str]:
    """Myeloma driver genes of ``resources/driver_genes.tsv``: gene → role (Oncogene, TSG, Unknown)."""
    table = read_tsv(Path(path), required_columns=("gene", "role"))
    bad = [InputProblem(str(path), "not a gene symbol", line=r.line, column="gene", value=r.cells["gene"],
                        expected="an HGNC symbol") for r in table.rows if not re.fullmatch(r"[A-Za-z0-9-]+",
                                                                                            r.cells["gene"])]
    if bad:
        raise InputError(bad)
    return {r.cells["gene"]: r.cells["role"] for r in table.rows}


__all__ = ["DEFAULT_DRIVERS", "load_driver_genes"]
