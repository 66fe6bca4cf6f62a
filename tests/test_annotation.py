"""Consequence annotations (scripts/mmrisk/annotation.py): header-driven parsing of VEP,
SnpEff, bcftools csq and Funcotator, entry splitting, transcript selection, HGVS p."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from conftest import CORPUS  # noqa: E402
from mmrisk.annotation import (  # noqa: E402
    Annotation,
    Annotator,
    annotation_fields,
    field_list,
    normalise_hgvsp,
    select_transcript,
    split_entries,
    vep_alleles,
)

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real-world corpus not present at {CORPUS}")


def header_and_records(path: Path) -> tuple[str, list[list[str]]]:
    """A VCF's header text and its records' columns, read as plain text (no htslib)."""
    head, recs = [], []
    for line in path.read_text().splitlines():
        (head if line.startswith("#") else recs).append(line)
    return "\n".join(head) + "\n", [r.split("\t") for r in recs if "\t" in r]


def info_of(cols: list[str]) -> dict[str, str]:
    out = {}
    for kv in cols[7].split(";"):
        k, _, v = kv.partition("=")
        out[k] = v
    return out


# ---------------------------------------------------------------------------------------------- units

def test_kind_is_decided_by_the_field_list_not_the_tag():
    vep = "Consequence annotations from Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL"
    snpeff = "Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID' "
    bcsq = "Local consequence annotation from BCFtools/csq. Format: Consequence|gene|transcript|biotype"
    assert field_list(vep)[0] == "VEP"
    assert field_list(snpeff) == ("SnpEff", ("Allele", "Annotation", "Annotation_Impact", "Gene_Name", "Gene_ID"))
    assert field_list(bcsq)[0] == "BCSQ"
    assert field_list("Predicted loss of function effects. Format: 'Gene_Name | Gene_ID'")[0] is None
    header = (f'##INFO=<ID=ANN,Number=.,Type=String,Description="{vep}">\n'
              f'##INFO=<ID=BCSQ,Number=.,Type=String,Description="{bcsq}">\n')
    kinds = [(f.tag, f.kind) for f in annotation_fields(header)]
    assert kinds == [("ANN", "VEP"), ("BCSQ", "BCSQ")]


def test_split_entries_heals_commas_inside_a_field():
    value = "A|x|1|PERC:0.7,GERP:-3,BP:218,A|y|2|,A|z|3|"
    assert split_entries(value, 4) == ["A|x|1|PERC:0.7,GERP:-3,BP:218", "A|y|2|", "A|z|3|"]
    # bcftools csq: short entries are not glued together, '@POS' references stay entries
    assert split_entries("non_coding|G1||lincRNA,@1234,missense|G2|T2|protein_coding|+|5A>5V|15C>T", 7,
                         exact=False) == ["non_coding|G1||lincRNA", "@1234",
                                          "missense|G2|T2|protein_coding|+|5A>5V|15C>T"]


@pytest.mark.parametrize("raw, want", [
    ("ENSP00000269305.4:p.Arg72Pro", "p.Arg72Pro"),
    ("ENSP00000269305.4:p.Pro72%3D", "p.Pro72="),
    ("p.Arg248*", "p.Arg248Ter"),
    ("p.R273H", "p.Arg273His"),
    ("p.R213*", "p.Arg213Ter"),
    ("p.ERQERL217del", "p.Glu217_Leu222del"),
    ("p.Asp240GlufsTer35", "p.Asp240GlufsTer35"),
    ("", None),
])
def test_normalise_hgvsp(raw, want):
    assert normalise_hgvsp(raw) == want


def test_vep_alleles_trim_the_shared_first_base():
    assert vep_alleles("CA", ["C"]) == ["-"]
    assert vep_alleles("T", ["TG"]) == ["G"]
    assert vep_alleles("G", ["C"]) == ["C"]
    assert vep_alleles("G", ["GA", "A"]) == ["GA", "A"]  # different first bases: VEP keeps them


def test_transcript_rule_canonical_then_protein_coding_severity_then_first():
    a = Annotation("VEP", gene="TP53", transcript="T1", biotype="protein_coding", consequence=["intron_variant"])
    b = Annotation("VEP", gene="TP53", transcript="T2", biotype="protein_coding", consequence=["missense_variant"])
    c = Annotation("VEP", gene="TP53", transcript="T3", biotype="nonsense_mediated_decay",
                   consequence=["stop_gained"])
    canon = Annotation("VEP", gene="TP53", transcript="T4", biotype="protein_coding",
                       consequence=["synonymous_variant"], canonical=True)
    other = Annotation("VEP", gene="WRAP53", transcript="T5", biotype="protein_coding",
                       consequence=["missense_variant"], canonical=True)
    assert select_transcript([a, b, c]).transcript == "T2"  # protein-coding, most severe
    assert select_transcript([a, b, c, canon]).transcript == "T4"  # canonical first
    assert select_transcript([other, a, b], genes={"TP53"}).transcript == "T2"  # panel genes first
    mane = Annotation("VEP", gene="TP53", transcript="T6", consequence=["missense_variant"], canonical=True,
                      mane=True)
    assert select_transcript([canon, mane]).transcript == "T6"
    assert select_transcript([a, Annotation("VEP", gene="TP53", transcript="T7", biotype="protein_coding",
                                            consequence=["intron_variant"])]).transcript == "T1"  # first listed


# ---------------------------------------------------------------------------------------------- corpus

@needs_corpus
def test_vep_written_under_ann_is_parsed_as_vep():
    header, recs = header_and_records(CORPUS / "vep_csq" / "split-vep.7.vcf")
    ann = Annotator(header)
    assert ann.kinds == ["VEP (INFO/ANN)"]
    cols = recs[0]
    per, tag = ann.annotate(info_of(cols).get, cols[0], int(cols[1]), cols[3], cols[4].split(","))
    assert tag == "ANN"
    entries = per[0]
    assert entries[0].gene == "FAM87B" and entries[0].consequence == ["upstream_gene_variant"]
    assert entries[0].existing == ["rs3094315"] and entries[0].canonical is True
    assert entries[1].consequence == ["intron_variant", "non_coding_transcript_variant"]
    # no global AF is written, only 1000 Genomes populations (AFR 0.3873 .. EAS 0.8839, MAX_AF 0.8839)
    assert entries[0].population_af == pytest.approx(0.8839)


@needs_corpus
def test_vep_tag_with_loftee_commas_gives_the_right_number_of_entries():
    header, recs = header_and_records(CORPUS / "vep_csq" / "split-vep.broken-LoF.vcf")
    ann = Annotator(header)
    (fld,) = ann.fields
    assert fld.tag == "vep" and fld.kind == "VEP" and len(fld.fields) == 45
    counts = []
    for cols in recs:
        value = info_of(cols)["vep"]
        entries = ann.entries(fld, value)
        counts.append(len(entries))
        assert all(e.allele == cols[4][1:] or e.allele == cols[4] for e in entries)
    assert counts == [9, 9]  # 18 proper entries in all
    assert len(info_of(recs[1])["vep"].split(",")) == 9 + 44  # a naive split: 44 LoF_info fragments more
    ins = ann.entries(fld, info_of(recs[1])["vep"])
    assert ins[0].consequence == ["frameshift_variant"] and ins[0].hgvsp == "p.Asp240GlufsTer35"
    chosen = select_transcript(ins)
    assert chosen.transcript == "ENST00000623960" and chosen.canonical


@needs_corpus
def test_vep_csq_everything_style_and_mane_fields():
    header, recs = header_and_records(CORPUS / "vep_csq" / "split-vep.select-tr-expr.vcf")
    ann = Annotator(header)
    assert len(ann.fields[0].fields) == 122
    cols = recs[0]
    (entries,), _ = ann.annotate(info_of(cols).get, cols[0], int(cols[1]), cols[3], cols[4].split(","))
    e = entries[0]
    assert (e.gene, e.transcript, e.hgvsp, e.protein_position) == ("GNB1", "ENST00000378609", "p.Asp118Gly", 118)
    assert e.existing == ["rs1553194162", "CM1612300"]


@needs_corpus
def test_vep_csq_and_bcsq_in_one_file_vep_wins():
    header, recs = header_and_records(CORPUS / "vep_csq" / "split-vep.2.vcf")
    ann = Annotator(header)
    assert ann.kinds == ["VEP (INFO/CSQ)", "BCSQ (INFO/BCSQ)"]
    cols = recs[0]
    per, tag = ann.annotate(info_of(cols).get, cols[0], int(cols[1]), cols[3], cols[4].split(","))
    assert tag == "CSQ"
    chosen = select_transcript(per[0])
    assert chosen.gene == "WASH7P" and chosen.canonical and chosen.transcript == "ENST00000438504"
    assert chosen.population_af == pytest.approx(0.0958)  # the global 1000G AF (MAX_AF 0.1943 is per-population)


@needs_corpus
def test_bcsq_short_entries():
    header, recs = header_and_records(CORPUS / "bcftools_csq" / "split-vep.4.vcf")
    ann = Annotator(header)
    (fld,) = ann.fields
    assert fld.kind == "BCSQ" and len(fld.fields) == 7
    short = 0
    by_pos = {}
    for cols in recs:
        value = info_of(cols).get("BCSQ")
        if not value:
            continue
        for e in split_entries(value, 7, exact=False):
            short += e.count("|") < 6
        per, _ = ann.annotate(info_of(cols).get, cols[0], int(cols[1]), cols[3], cols[4].split(","))
        by_pos[int(cols[1])] = per[0]
    assert short == 120  # entries with 4 of the 7 declared fields
    (first,) = by_pos[14464]
    assert (first.gene, first.consequence, first.transcript) == ("WASH7P", ["non_coding_transcript_variant"], None)
    (mis,) = by_pos[69428]
    assert (mis.gene, mis.consequence, mis.hgvsp, mis.protein_position) == (
        "OR4F5", ["missense_variant"], "p.Phe113Cys", 113)
    (stop,) = by_pos[69719]
    assert stop.consequence == ["stop_gained"] and stop.hgvsp == "p.Ser210Ter" and stop.impact == "HIGH"


def test_bcsq_back_reference_resolves_to_the_compound_record():
    header = ('##INFO=<ID=BCSQ,Number=.,Type=String,Description="Format: Consequence|gene|transcript|biotype|'
              'strand|amino_acid_change|dna_change">\n')
    ann = Annotator(header)
    first = {"BCSQ": "missense|TP53|ENST00000269305|protein_coding|-|273R>273L|7673802C>A+7673803G>T"}
    per1, _ = ann.annotate(first.get, "17", 7673802, "C", ["A"])
    per2, _ = ann.annotate({"BCSQ": "@7673802"}.get, "17", 7673803, "G", ["T"])
    assert per2[0][0].gene == "TP53" and per2[0][0].hgvsp == "p.Arg273Leu"
    per3, _ = ann.annotate({"BCSQ": "@100"}.get, "17", 7673900, "G", ["T"])
    assert per3[0][0].backref == 100 and not per3[0][0].consequence  # unresolved: no consequence invented


@needs_corpus
def test_funcotator_gene_names_and_escapes():
    header, recs = header_and_records(CORPUS / "funcotator" / "regressionTestVariantSetHG38_expected.vcf")
    ann = Annotator(header)
    assert ann.kinds == ["Funcotator (INFO/FUNCOTATION)"]
    genes = []
    for cols in recs:
        per, _ = ann.annotate(info_of(cols).get, cols[0], int(cols[1]), cols[3], cols[4].split(","))
        assert len(per) == len(cols[4].split(","))
        genes.append([select_transcript(p).gene for p in per])
    assert genes == [["ENAH"], ["ENAH"], ["PCSK5", "PCSK5"], ["CCDC40"], ["NPB", "NPB"]]
    per, _ = ann.annotate(info_of(recs[0]).get, recs[0][0], int(recs[0][1]), recs[0][3], [recs[0][4]])
    e = per[0][0]
    assert e.consequence == ["inframe_deletion"] and e.transcript == "ENST00000366844.7"
    assert e.hgvsp == "p.Glu217_Leu222del"
    # the raw value escapes '|' inside fields as _%7C_: none of it leaks into the parsed fields
    fld = ann.fields[0]
    raw = info_of(recs[0])["FUNCOTATION"]
    assert "_%7C_" in raw
    assert len(ann.entries(fld, raw)) == 1


@needs_corpus
@pytest.mark.parametrize("name", ["cancer.ann.vcf", "test.ann.vcf"])
def test_snpeff_ann_parses_from_the_header_field_list(name):
    """htslib refuses these files (tests/test_snv.py); their ANN values still parse."""
    header, recs = header_and_records(CORPUS / "snpeff" / name)
    ann = Annotator(header)
    assert ann.kinds == ["SnpEff (INFO/ANN)"]  # LOF/NMD 'Format:' lines are not consequence tags
    cols = next(r for r in recs if len(r) >= 8)  # cancer.ann.vcf: line 1 is a log line
    per, tag = ann.annotate(info_of(cols).get, cols[0], int(cols[1]), cols[3], cols[4].split(","))
    assert tag == "ANN"
    if name == "cancer.ann.vcf":
        c_entries, g_entries = per  # ALT C,G; the cancer-mode 'G-C' comparison belongs to neither
        assert [e.consequence for e in c_entries] == [["initiator_codon_variant"]]
        assert [(e.gene, e.consequence, e.hgvsp) for e in g_entries] == [("OR4F5", ["start_lost"], "p.Met1?")]
        assert select_transcript(g_entries).protein_altering
    else:
        (entries,) = per
        assert len(entries) == 11
        assert entries[-1].consequence == ["intergenic_variant"]
        assert not any(e.protein_altering for e in entries)
