"""Copy number: the public names of the copy-number code, kept where callers import them.

The code lives by concern:

- :mod:`mmrisk.regions`: :class:`Region`, :func:`load_genes`, :func:`load_centromeres`;
- :mod:`mmrisk.formats.cn`: one reader per copy-number format behind a registry, format detection
  (:func:`detect_format`) and the shared step that checks segments (:class:`Segment`);
- :mod:`mmrisk.copynumber`: the lesion calls from segments and :func:`read_copy_number`, which
  returns a :class:`CnvResult`;
- :mod:`mmrisk.cellfraction`: the purity / log2 / copies formula.

``from mmrisk.cnv import ...`` keeps working for every name below.
"""

from __future__ import annotations

from .cellfraction import copies_to_log2, log2_to_copies, single_copy_fraction
from .copynumber import (
    ACROCENTRIC,
    CNV_LOCI_TSV,
    HYPERDIPLOID_CHROMOSOMES,
    PROFILE_GAP_BP,
    PROFILE_MAX_RUNS,
    CnvLocus,
    CnvResult,
    CnvThresholds,
    CoverageSums,
    GeneCopyState,
    GeneState,
    load_cnv_loci,
    read_copy_number,
)
from .formats.cn import PRIMARY, REGISTRY, FormatName, Segment, detect_format
from .regions import CENTROMERES_TSV, GENES_TSV, Region, load_centromeres, load_genes

__all__ = [
    "ACROCENTRIC", "CENTROMERES_TSV", "CNV_LOCI_TSV", "GENES_TSV", "HYPERDIPLOID_CHROMOSOMES", "PRIMARY",
    "PROFILE_GAP_BP", "PROFILE_MAX_RUNS", "REGISTRY", "CnvLocus", "CnvResult", "CnvThresholds", "CoverageSums",
    "FormatName", "GeneCopyState", "GeneState", "Region", "Segment", "copies_to_log2", "detect_format",
    "load_centromeres", "load_cnv_loci", "load_genes", "log2_to_copies", "read_copy_number",
    "single_copy_fraction",
]
