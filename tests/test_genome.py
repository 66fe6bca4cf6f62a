"""Contig names and build detection."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from conftest import CORPUS
from mmrisk.genome import (canonical_chrom, check_build, detect_build, file_chrom, sam_header_contigs,
                           vcf_header_contigs)


@pytest.mark.parametrize("name, canonical", [("chr17", "17"), ("17", "17"), ("chrX", "X"), ("x", "X"),
                                             ("chrM", "MT"), ("MT", "MT"), ("M", "MT"),
                                             ("chrUn_gl000220", "Un_gl000220"), ("GL000192.1", "GL000192.1")])
def test_canonical_chrom(name, canonical):
    assert canonical_chrom(name) == canonical


def test_file_chrom_both_ways():
    assert file_chrom("17", ["chr1", "chr17"]) == "chr17"
    assert file_chrom("17", ["1", "17"]) == "17"
    assert file_chrom("17", ["1", "2"]) is None


def test_build_from_lengths_and_names():
    assert detect_build({"1": 249250621, "2": 243199373}).build == "GRCh37"
    assert detect_build({"chr1": 248956422, "chr17": 83257441}).build == "GRCh38"
    # one matching contig is not enough; no lengths, no names: unknown
    assert detect_build({"chr1": 248956422}) is None
    assert detect_build({"1": None}) is None
    assert detect_build({}, "##reference=file:///refs/hs37d5.fa\n").build == "GRCh37"
    assert detect_build({}, "##contig=<ID=chr21,assembly=gnomAD_GRCh38>\n").build == "GRCh38"


def test_contradiction_names_both_builds():
    ev = detect_build({"1": 249250621, "2": 243199373})
    p = check_build("GRCh38", ev, "x.vcf")
    assert p is not None and "GRCh37" in str(p) and "GRCh38" in str(p) and "x.vcf" in str(p)
    assert check_build("GRCh37", ev, "x.vcf") is None
    assert check_build("GRCh38", None, "x.vcf") is None


def _header(path: Path) -> str:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as fh:
        return "".join(line for line in fh if line.startswith(("#", "@")))


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not beside this clone")
@pytest.mark.parametrize("rel, build", [
    ("mutect2/cfdna-unfiltered.vcf", "GRCh37"),
    ("manta/somaticSV.vcf.gz", "GRCh38"),
    ("delly/test_delly.vcf", "GRCh37"),
    ("funcotator/regressionTestVariantSetHG38_expected.vcf", "GRCh38"),
    ("vep_csq/split-vep.broken-LoF.vcf", "GRCh38"),
    ("strelka2/test_strelka.vcf", None),  # no ##contig lines, no reference: the header cannot say
])
def test_corpus_headers(rel, build):
    text = _header(CORPUS / rel)
    ev = detect_build(vcf_header_contigs(text), text)
    assert (ev.build if ev else None) == build


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not beside this clone")
def test_gatk_seg_sam_header():
    text = _header(CORPUS / "gatk_cnv" / "SM-74NF5.called.seg")
    ev = detect_build(sam_header_contigs(text), text)
    assert ev is not None and ev.build == "GRCh37"
