"""Property-based tests (hypothesis) of the small-variant path (#13): the annotation entry parsers
(VEP CSQ, SnpEff ANN, bcftools BCSQ, Funcotator) never raise on any text, and real corpus VCFs mutated
at random (byte flips, truncated lines, fields replaced by hostile values, non-UTF-8 bytes, BOM, CRLF)
read through :func:`mmrisk.snv.read_small_variants` end to end raise nothing but ``InputError``, with
every VAF in [0, 1] or None and every depth a non-negative integer or None.

htslib can crash the process on some malformed records; the end-to-end property therefore reads
bgzipped, indexed mutants too (the region-query path that used to crash).
"""

from __future__ import annotations

import math
from pathlib import Path

import pysam
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS
from mmrisk.annotation import Annotator, checked_entry, select_transcript
from mmrisk.errors import InputError
from mmrisk.formats.annotation import REGISTRY, annotation_fields
from mmrisk.snv import GeneRegion, read_small_variants

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real-world corpus not present at {CORPUS}")

FUZZ = settings(max_examples=300, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

#: corpus small-variant files with an annotation header (each dialect) and plain callers' files
ANNOTATED = ["vep_csq/split-vep.2.vcf", "vep_csq/split-vep.7.vcf", "vep_csq/split-vep.broken-LoF.vcf",
             "bcftools_csq/split-vep.4.vcf", "funcotator/regressionTestVariantSetHG38_expected.vcf"]
CALLERS = ["mutect2/cfdna-unfiltered.vcf", "strelka2/test_strelka.vcf", "strelka2/Three_sample_somatic.vcf",
           "varscan2/test_varscan.vcf", "somatic_misc/test_b37.vcf",
           "deepsomatic/golden.postprocess_somatic_tumor_single_site_output.vcf"]
HOSTILE = ["nan", "inf", "-inf", "1e308", "-1", "", ".", "x" * 5000, "\xff\xfe", "\ufeff", "7,674,220", "NA",
           "0/1/", "|", "&", ",", "@1", "[", "]", "<DEL>", "MISSENSE_VARIANT", "ENSG00000141510", "TP53"]


def _header(rel: str) -> str:
    return "".join(x + "\n" for x in (CORPUS / rel).read_text(encoding="utf-8").splitlines() if x.startswith("#"))


def _build(rel: str) -> str:
    text = (CORPUS / rel).read_text(encoding="utf-8")
    return "GRCh38" if ("chr1,length=248956422" in text or "GRCh38" in text or "hg38" in rel.lower()
                        or "HG38" in rel) else "GRCh37"


# ------------------------------------------------------------------------------------------- entry parsers

entry_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30)), max_size=40).map("|".join)
value_text = st.lists(entry_text, min_size=1, max_size=4).map(",".join)


@needs_corpus
@FUZZ
@given(rel=st.sampled_from(ANNOTATED), value=value_text, n_alts=st.integers(1, 3))
def test_entry_parsers_take_any_value(rel, value, n_alts):
    header = _header(rel)
    fields = annotation_fields(header)
    assert fields, rel
    for fld in fields:
        dialect = REGISTRY[fld.kind]
        parsed = dialect.entries(fld, value)
        alts = ["A", "AT", "G"][:n_alts]
        per_allele = dialect.alleles(fld, value, parsed, "C", alts)
        assert len(per_allele) == n_alts
        for entries in per_allele:
            checked = [checked_entry(e, {"ENSG00000141510": "TP53"}) for e in entries]
            chosen = select_transcript(checked, {"TP53"})
            assert chosen is None or chosen.problem is None
            for e in checked:
                assert e.population_af is None or 0.0 <= e.population_af <= 1.0


@needs_corpus
@FUZZ
@given(rel=st.sampled_from(ANNOTATED), value=value_text, pos=st.integers(1, 10**9))
def test_annotator_takes_any_info_value(rel, value, pos):
    annot = Annotator(_header(rel), gene_ids={"ENSG00000141510": "TP53"})
    for fld in annot.fields:
        per_allele, _ = annot.annotate(lambda tag, f=fld: value if tag == f.tag else None, "17", pos, "C", ["T"])
        assert len(per_allele) == 1


# ------------------------------------------------------------------------------------------- whole files

def _mutate(data: bytes, draw_ops: list[tuple[str, int, str]]) -> bytes:
    lines = data.split(b"\n")
    body = [i for i, x in enumerate(lines) if x and not x.startswith(b"#")]
    for op, k, value in draw_ops:
        if not body:
            break
        i = body[k % len(body)]
        if op == "field":
            cols = lines[i].split(b"\t")
            cols[k % len(cols)] = value.encode("utf-8", "surrogatepass")
            lines[i] = b"\t".join(cols)
        elif op == "subfield":
            cols = lines[i].split(b"\t")
            j = 7 + k % max(1, len(cols) - 7)
            if j < len(cols):
                parts = cols[j].split(b":" if j >= 8 else b";")
                parts[k % len(parts)] = value.encode()
                cols[j] = (b":" if j >= 8 else b";").join(parts)
                lines[i] = b"\t".join(cols)
        elif op == "truncate":
            lines[i] = lines[i][: k % (len(lines[i]) + 1)]
        elif op == "flip":
            b = bytearray(lines[i])
            if b:
                b[k % len(b)] ^= 1 << (k % 8)
            lines[i] = bytes(b)
        elif op == "crlf":
            lines[i] += b"\r"
        elif op == "bom":
            lines[0] = b"\xef\xbb\xbf" + lines[0]
    return b"\n".join(lines)


ops = st.lists(st.tuples(st.sampled_from(["field", "subfield", "truncate", "flip", "crlf", "bom"]),
                         st.integers(0, 10**6), st.sampled_from(HOSTILE)), min_size=1, max_size=4)


def _check(result) -> None:
    for v in result.variants:
        assert v.vaf is None or (math.isfinite(v.vaf) and 0.0 <= v.vaf <= 1.0), v
        assert v.depth is None or (isinstance(v.depth, int) and v.depth >= 0), v
    assert all(isinstance(r, str) and r for r in result.genes_not_assessed.values())


# every panel gene's span around the corpus records of interest: TP53 in both builds and a probe gene over
# all of chromosome 1 and 21, so that many mutated records fall inside a region and are parsed
GENES = {"GRCh37": {"TP53": GeneRegion("TP53", "17", 7565097, 7590856), "KRAS": GeneRegion("KRAS", "1", 1, 249250621),
                    "NRAS": GeneRegion("NRAS", "21", 1, 48129895), "BRAF": GeneRegion("BRAF", "20", 1, 63025520)},
         "GRCh38": {"TP53": GeneRegion("TP53", "17", 7661779, 7687550), "KRAS": GeneRegion("KRAS", "1", 1, 248956422),
                    "NRAS": GeneRegion("NRAS", "21", 1, 46709983)}}


@needs_corpus
@FUZZ
@given(rel=st.sampled_from(ANNOTATED + CALLERS), mutation=ops, indexed=st.booleans())
def test_mutated_corpus_vcfs_raise_only_input_errors(tmp_path_factory, rel, mutation, indexed):
    tmp = tmp_path_factory.mktemp("fuzz")
    p = tmp / "m.vcf"
    p.write_bytes(_mutate((CORPUS / rel).read_bytes(), mutation))
    if indexed:
        try:
            gz = Path(str(p) + ".gz")
            pysam.tabix_compress(str(p), str(gz), force=True)
            pysam.tabix_index(str(gz), preset="vcf", force=True)
            p = gz
        except (OSError, ValueError):
            pass  # tabix refuses the mutant (unsorted, broken lines): read it unindexed
    build = _build(rel)
    try:
        tumor = "TUMOR" if "\tTUMOR" in _header(rel) else None  # the multi-sample corpus files name theirs TUMOR
        r = read_small_variants(p, build=build, genes=GENES[build], tumor_column=tumor)
    except InputError:
        return
    _check(r)
