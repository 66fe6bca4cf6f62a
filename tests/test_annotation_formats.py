"""The annotation dialect registry (scripts/mmrisk/formats/annotation/): each dialect recognised from a
real header of the corpus, one module per dialect, parsers that return plain Annotation records."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from conftest import CORPUS  # noqa: E402
from mmrisk import annotation  # noqa: E402
from mmrisk.formats.annotation import REGISTRY, annotation_fields, field_list  # noqa: E402
from mmrisk.formats.annotation.consequence import Annotation  # noqa: E402

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real-world corpus not present at {CORPUS}")

#: (corpus file, INFO tag, dialect the registry must recognise it as)
REAL_HEADERS = [
    ("vep_csq/split-vep.2.vcf", "CSQ", "VEP"),
    ("vep_csq/split-vep.7.vcf", "ANN", "VEP"),
    ("vep_csq/split-vep.broken-LoF.vcf", "vep", "VEP"),
    ("snpeff/test.ann.vcf", "ANN", "SnpEff"),
    ("snpeff/cancer.ann.vcf", "ANN", "SnpEff"),
    ("bcftools_csq/split-vep.4.vcf", "BCSQ", "BCSQ"),
    ("funcotator/regressionTestVariantSetHG38_expected.vcf", "FUNCOTATION", "Funcotator"),
]


def header_of(path: Path) -> str:
    """The ``#`` lines of a file read as text (snpeff/cancer.ann.vcf starts with a log line htslib refuses)."""
    return "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")) + "\n"


def description(header: str, tag: str) -> str:
    for line in header.splitlines():
        if line.startswith(f"##INFO=<ID={tag},"):
            m = re.search(r'Description="(.*)"\s*(,[^"]*)?>\s*$', line)
            assert m, line
            return m.group(1)
    raise AssertionError(f"no INFO/{tag} in the header")


def first_value(path: Path, tag: str) -> str:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(cols) < 8:
                continue
            for kv in cols[7].split(";"):
                k, _, v = kv.partition("=")
                if k == tag and v:
                    return v
    raise AssertionError(f"no record with INFO/{tag}")


def test_registry_has_one_row_per_dialect_with_distinct_preferences():
    assert set(REGISTRY) == {"VEP", "SnpEff", "BCSQ", "Funcotator"}
    assert sorted(REGISTRY, key=lambda k: REGISTRY[k].preference) == ["VEP", "SnpEff", "Funcotator", "BCSQ"]
    assert [k for k, d in REGISTRY.items() if d.backrefs] == ["BCSQ"]


@needs_corpus
@pytest.mark.parametrize("rel, tag, kind", REAL_HEADERS)
def test_registry_recognises_each_dialect_from_a_real_header(rel, tag, kind):
    path = CORPUS / rel
    if not path.is_file():
        pytest.skip(f"corpus file not present: {path}")
    header = header_of(path)
    desc = description(header, tag)
    recognised = [name for name, d in REGISTRY.items() if d.recognise(desc) is not None]
    assert recognised == [kind]  # exactly one row recognises the field list
    got_kind, fields = field_list(desc)
    assert got_kind == kind and len(fields) > 3
    assert (tag, kind) in [(f.tag, f.kind) for f in annotation_fields(header)]


@needs_corpus
@pytest.mark.parametrize("rel, tag, kind", REAL_HEADERS)
def test_each_dialect_parser_returns_plain_annotation_records(rel, tag, kind):
    path = CORPUS / rel
    if not path.is_file():
        pytest.skip(f"corpus file not present: {path}")
    (fld,) = [f for f in annotation_fields(header_of(path)) if f.tag == tag]
    entries = REGISTRY[kind].entries(fld, first_value(path, tag))
    assert entries and all(type(e) is Annotation for e in entries)
    assert {e.source for e in entries} == {kind}
    assert any(e.consequence for e in entries)
    per_allele = REGISTRY[kind].alleles(fld, first_value(path, tag), entries, "A", ["G"])
    assert len(per_allele) == 1 and all(type(e) is Annotation for e in per_allele[0])


def test_unknown_field_lists_are_no_dialect():
    assert field_list("Some other annotation. Format: Allele|Score") == (None, ("Allele", "Score"))
    assert field_list("Allele frequency") == (None, ())


def test_mmrisk_annotation_keeps_its_public_names():
    for name in annotation.__all__:
        assert hasattr(annotation, name), name
    assert annotation.field_list is field_list and annotation.Annotation is Annotation
