"""One home for defaults: the config schema's, read by the typed settings and by the library's keyword defaults."""

from __future__ import annotations

import inspect
import re
from dataclasses import fields

from conftest import ROOT
from mmrisk import snv, sv
from mmrisk.copynumber import CnvThresholds, read_copy_number
from mmrisk.resources import schema_default
from mmrisk.settings import Settings


def test_settings_defaults_are_the_schema_defaults() -> None:
    s = Settings.defaults()
    assert s.snv.vaf_floor == schema_default("snv.vaf_floor") == 0.05
    assert s.sv.min_support == schema_default("sv.min_support")
    assert s.cnv.ploidy == schema_default("cnv.ploidy")
    assert s.risk.imwg_del17p_min_fraction == schema_default("risk.imwg2025.del17p_min_fraction")
    assert set(s.resources) >= {"chromosomes", "cnv_loci", "genes", "knowledge_base"}


def test_library_keyword_defaults_follow_the_schema() -> None:
    sig = inspect.signature(snv.read_small_variants).parameters
    assert sig["vaf_floor"].default == schema_default("snv.vaf_floor")
    assert tuple(sig["filters"].default) == schema_default("snv.filters")
    assert sig["max_population_af"].default == schema_default("snv.max_population_af")
    sig = inspect.signature(sv.read_structural_variants).parameters
    for name in ("min_support", "min_intrachromosomal_distance", "nearest_window_distance",
                 "single_breakend_evidence"):
        assert sig[name].default == schema_default(f"sv.{name}"), name
    assert inspect.signature(read_copy_number).parameters["ploidy"].default == schema_default("cnv.ploidy")
    th = CnvThresholds()
    for f in fields(CnvThresholds):
        assert getattr(th, f.name) == schema_default(f"cnv.{f.name}"), f.name


def test_no_threshold_literal_is_written_again_in_code() -> None:
    """``vaf_floor``, ``min_support`` & co. never get a number of their own in the package's code."""
    pattern = re.compile(r"\b(vaf_floor|max_population_af|min_support|del17p_min_fraction|loss_max|gain_min|amp_min)"
                         r"\b\s*(?::\s*\w+\s*)?=\s*[0-9]")
    pattern_get = re.compile(r"""\.get\(\s*["'](vaf_floor|max_population_af|min_support|loss_max|gain_min)["']\s*,""")
    offenders = []
    for p in sorted((ROOT / "scripts" / "mmrisk").rglob("*.py")):
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line) or pattern_get.search(line):
                offenders.append(f"{p.relative_to(ROOT)}:{i}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
