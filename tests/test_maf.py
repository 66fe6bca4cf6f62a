"""MAF (GDC/vcf2maf, MAF-lite, dNdScv tables) as snv_vcf: real corpus files, the VCF equivalence, hostile cells."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from conftest import CORPUS
from mmrisk.errors import InputError
from mmrisk.formats.maf import is_maf
from mmrisk.formats.maf.vocab import maf_hgvsp
from mmrisk.kb import load_knowledge_base, match_all
from mmrisk.snv import load_gene_regions, read_small_variants

MYELOMA = CORPUS / "myeloma"
ONCOKB37 = MYELOMA / "oncokb_annotator" / "example_maf.txt"
ONCOKB38 = MYELOMA / "oncokb_annotator" / "example_maf_grch38.txt"
COMMPASS = MYELOMA / "commpass_gcp_mm" / "CoMMpass_all_coding_mutations_annot_test.txt"

needs_corpus = pytest.mark.skipif(not MYELOMA.is_dir(), reason="the real myeloma corpus (../shared/corpus/myeloma) "
                                                                "is absent")


def read(path: Path, build: str, **kw):
    return read_small_variants(path, build=build, genes=load_gene_regions(build=build), **kw)


def calls(res) -> list[tuple]:
    return sorted((v.gene, v.hgvsp, tuple(v.consequence), tuple(v.flags)) for v in res.variants)


def findings(res) -> list[tuple]:
    kb = load_knowledge_base()
    m = match_all(kb, res.variants, None, None, vaf_floor=0.05)
    return sorted((f.rule.id, f.gene, f.alteration) for f in m.findings)


# ------------------------------------------------------------------------------------------- protein changes

@pytest.mark.parametrize("raw,want", [
    ("p.Y466S", "p.Tyr466Ser"), ("Tyr466Ser", "p.Tyr466Ser"), ("p.E182*", "p.Glu182Ter"), ("Glu182*", "p.Glu182Ter"),
    ("M232T", "p.Met232Thr"), ("E62K", "p.Glu62Lys"), ("p.R248Q", "p.Arg248Gln"), ("p.Arg248Gln", "p.Arg248Gln"),
    ("p.X1445_splice", None), ("X1445_splice", None), ("p.L747_P753delinsS", "p.Leu747_Pro753delinsSer"),
    ("p.V600delinsDK", "p.Val600delinsAspLys"), ("p.E746_A750del", "p.Glu746_Ala750del"),
    ("p.G12_G13insA", "p.Gly12_Gly13insAla"), ("p.G12Cfs*4", "p.Gly12CysfsTer4"), ("p.K132fs*5", "p.Lys132fsTer5"),
    ("p.(R248Q)", "p.(Arg248Gln)"), ("ENSP00000269305.4:p.Arg72Pro", "p.Arg72Pro"), (".", None), ("", None),
])
def test_maf_protein_changes_one_and_three_letter_with_or_without_p(raw, want) -> None:
    assert maf_hgvsp(raw) == want


# ------------------------------------------------------------------------------------------- the real files

@needs_corpus
@pytest.mark.parametrize("path", [ONCOKB37, ONCOKB38, COMMPASS])
def test_corpus_mafs_are_recognised_as_maf(path: Path) -> None:
    assert is_maf(path)


@needs_corpus
def test_oncokb_maf_sample_chosen_by_barcode_and_tp53_found_on_both_builds() -> None:
    r37 = read(ONCOKB37, "GRCh37", sample_id="TCGA-02-0033-01")
    r38 = read(ONCOKB38, "GRCh38", sample_id="TCGA-02-0033-01")
    for r, pos in ((r37, 7577538), (r38, 7674220)):
        tp53 = [v for v in r.variants if v.gene == "TP53"]
        assert [(v.pos, v.hgvsp, v.consequence) for v in tp53] == [(pos, "p.Arg248Gln", ["missense_variant"])]
        assert [e.status for e in r.evidence] == ["present"]
    assert calls(r37) == calls(r38) and findings(r37) == findings(r38)


@needs_corpus
def test_oncokb_maf_row_without_position_leaves_its_gene_not_assessed() -> None:
    r = read(ONCOKB37, "GRCh37", tumor_column="TCGA-05-4417-01")
    assert {v.gene for v in r.variants} == {"KRAS"}  # G12C as SNV and as delins
    assert [v.hgvsp for v in r.variants] == ["p.Gly12Cys", "p.Gly12Cys"]
    assert "FGFR3" in r.genes_not_assessed and "without a position" in r.genes_not_assessed["FGFR3"]
    assert r.evidence[0].status == "absent"  # TP53 was looked at in this sample's rows


@needs_corpus
def test_maf_build_contradicting_the_sample_is_refused_with_the_line() -> None:
    with pytest.raises(InputError) as e:
        read(ONCOKB38, "GRCh37", sample_id="TCGA-02-0033-01")
    p = e.value.problems[0]
    assert "GRCh38" in p.message and p.line is not None and p.column == "NCBI_Build"


@needs_corpus
def test_multi_sample_maf_without_a_choice_names_the_barcodes() -> None:
    with pytest.raises(InputError) as e:
        read(ONCOKB37, "GRCh37")
    assert "TCGA-05-4417-01" in (e.value.problems[0].value or "")
    with pytest.raises(InputError):
        read(ONCOKB37, "GRCh37", tumor_column="TCGA-NOT-THERE")


@needs_corpus
def test_every_commpass_patient_of_the_coding_mutation_table_is_read() -> None:
    patients = sorted({line.split("\t")[0] for line in COMMPASS.read_text().splitlines()[1:]})
    assert len(patients) == 30
    seen_genes: set[str] = set()
    for p in patients:
        r = read(COMMPASS, "GRCh37", sample_id=p)
        assert r.tumor_column == p
        assert r.evidence and r.evidence[0].status in ("present", "absent")
        seen_genes |= {v.gene for v in r.variants}
        for v in r.variants:
            assert v.vaf is None and v.hgvsp is None or v.hgvsp.startswith("p.")
    assert {"KRAS", "NRAS"} <= seen_genes
    r = read(COMMPASS, "GRCh37", sample_id="MMRF_1082")
    assert ("KRAS", "p.Gly12Asp") in {(v.gene, v.hgvsp) for v in r.variants}


@needs_corpus
def test_commpass_indel_consequence_comes_from_ntchange_never_guessed(tmp_path: Path) -> None:
    lines = COMMPASS.read_text().splitlines()
    row = next(x for x in lines if "delfrshift" in x).split("\t")
    row[0], row[1], row[2], row[5] = "P1", "17", "7578190", "TP53"
    inframe = list(row)
    inframe[12] = "100-102-delinframe"
    odd = list(row)
    odd[12] = "100-101-weird"
    p = tmp_path / "x.maf"
    p.write_text("\n".join([lines[0], "\t".join(row), "\t".join(inframe).replace("P1", "P2", 1),
                            "\t".join(odd).replace("P1", "P3", 1)]) + "\n")
    assert read(p, "GRCh37", sample_id="P1").variants[0].consequence == ["frameshift_variant"]
    assert read(p, "GRCh37", sample_id="P2").variants[0].consequence == ["inframe_deletion"]
    r = read(p, "GRCh37", sample_id="P3")
    assert r.evidence[0].status == "not_assessed" and "TP53" in r.genes_not_assessed


# ------------------------------------------------------------------------------------------- MAF == VCF

CSQ = "Allele|Consequence|IMPACT|SYMBOL|Gene|Feature|BIOTYPE|HGVSc|HGVSp"


def _vcf_of_maf_rows(rows: list[dict[str, str]], build: str) -> str:
    """A VEP-annotated VCF of SNV rows of a MAF (position, alleles, consequence, protein change, counts)."""
    head = ["##fileformat=VCFv4.2", f"##reference={build}",
            '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
            '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
            f'##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl VEP. Format: {CSQ}">',
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR"]
    recs = []
    for r in rows:
        hgvsp = maf_hgvsp(r["HGVSp_Short"]) or ""
        entry = "|".join([r["Tumor_Seq_Allele2"], r["csq"], "MODERATE", r["Hugo_Symbol"], "", "ENST1",
                          "protein_coding", "", f"ENSP1:{hgvsp}" if hgvsp else ""])
        recs.append("\t".join([r["Chromosome"], r["Start_Position"], ".", r["Reference_Allele"],
                               r["Tumor_Seq_Allele2"], ".", "PASS", "CSQ=" + entry, "GT:AD",
                               f"0/1:{r['t_ref_count']},{r['t_alt_count']}"]))
    return "\n".join(head + sorted(recs, key=lambda x: (x.split("\t")[0], int(x.split("\t")[1])))) + "\n"


TERM = {"Missense_Mutation": "missense_variant", "Nonsense_Mutation": "stop_gained", "Missense": "missense_variant",
        "Nonsense": "stop_gained", "Splice_Site": "splice_site_variant", "Essential_Splice": "splice_site_variant"}


def _commpass_as_maf_rows(patient: str) -> list[dict[str, str]]:
    lines = COMMPASS.read_text().splitlines()
    head = lines[0].split("\t")
    out = []
    for i, line in enumerate(lines[1:], start=1):
        c = dict(zip(head, line.split("\t")))
        if c["sampleID"] != patient or c["impact"] not in TERM or len(c["ref"]) != 1 or len(c["mut"]) != 1:
            continue
        out.append({"Hugo_Symbol": c["gene"], "Variant_Classification": c["impact"], "csq": TERM[c["impact"]],
                    "HGVSp_Short": c["aachange"] if c["aachange"] != "." else "", "Chromosome": c["chr"],
                    "Start_Position": c["pos"], "Reference_Allele": c["ref"], "Tumor_Seq_Allele2": c["mut"],
                    "Tumor_Sample_Barcode": patient, "NCBI_Build": "GRCh37",
                    "t_ref_count": str(30 + i % 17), "t_alt_count": str(5 + i % 23)})
    return out


def _write_maf(path: Path, rows: list[dict[str, str]]) -> None:
    cols = ["Hugo_Symbol", "Variant_Classification", "HGVSp_Short", "Chromosome", "Start_Position",
            "Reference_Allele", "Tumor_Seq_Allele2", "Tumor_Sample_Barcode", "NCBI_Build", "t_ref_count",
            "t_alt_count", "t_depth"]
    with gzip.open(path, "wt") as fh:
        fh.write("#version 2.4\n" + "\t".join(cols) + "\n")
        for r in rows:
            fh.write("\t".join(r.get(c, "") for c in cols) + "\n")


@needs_corpus
@pytest.mark.parametrize("patient", ["MMRF_1021", "MMRF_1082", "MMRF_1037", "MMRF_1031"])
def test_maf_and_vcf_of_the_same_real_variants_give_the_same_findings(tmp_path: Path, patient: str) -> None:
    rows = _commpass_as_maf_rows(patient)
    assert rows
    maf = tmp_path / f"{patient}.maf.gz"
    _write_maf(maf, rows)
    vcf = tmp_path / f"{patient}.vcf"
    vcf.write_text(_vcf_of_maf_rows(rows, "GRCh37"))
    a, b = read(maf, "GRCh37", sample_id=patient), read(vcf, "GRCh37")
    assert calls(a) == calls(b)
    assert sorted((v.gene, v.pos, v.ref, v.alt, round(v.vaf, 6), v.depth) for v in a.variants) == \
        sorted((v.gene, v.pos, v.ref, v.alt, round(v.vaf, 6), v.depth) for v in b.variants)
    assert [e.status for e in a.evidence] == [e.status for e in b.evidence]
    assert findings(a) == findings(b)


@needs_corpus
@pytest.mark.parametrize("maf,build", [(ONCOKB37, "GRCh37"), (ONCOKB38, "GRCh38")])
def test_oncokb_maf_and_its_vcf_agree_on_both_builds(tmp_path: Path, maf: Path, build: str) -> None:
    lines = maf.read_text().splitlines()
    head = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        c = dict(zip(head, line.split("\t") + [""] * len(head)))
        if c["Start_Position"] and len(c["Reference_Allele"]) == 1 and c["Variant_Classification"] in TERM:
            rows.append(dict(c, csq=TERM[c["Variant_Classification"]], t_ref_count="40", t_alt_count="20"))
    for barcode in sorted({r["Tumor_Sample_Barcode"] for r in rows}):
        mine = [r for r in rows if r["Tumor_Sample_Barcode"] == barcode]
        vcf = tmp_path / f"{barcode}.vcf"
        vcf.write_text(_vcf_of_maf_rows(mine, build))
        a, b = read(maf, build, tumor_column=barcode), read(vcf, build)
        assert sorted(v.hgvsp for v in a.variants if v.ref != "CA") == sorted(v.hgvsp for v in b.variants)
        assert [e.status for e in a.evidence] == [e.status for e in b.evidence]


# ------------------------------------------------------------------------------------------- hostile cells

@needs_corpus
@pytest.mark.parametrize("cell,value,message", [
    ("t_alt_count", "-3", "not a read count"), ("t_alt_count", "inf", "not a read count"),
    ("t_depth", "3", "exceeds the depth"), ("Start_Position", "999999999999", "not a position"),
    ("NCBI_Build", "hg17", "not a build name"),
])
def test_maf_hostile_cells_are_input_errors_naming_line_and_column(tmp_path: Path, cell, value, message) -> None:
    rows = _commpass_as_maf_rows("MMRF_1082")
    bad = next(r for r in rows if r["Hugo_Symbol"] == "KRAS")
    bad[cell] = value
    if cell == "t_depth":  # a MAF with t_alt_count and t_depth only
        bad["t_ref_count"] = ""
    p = tmp_path / "bad.maf.gz"
    _write_maf(p, rows)
    with pytest.raises(InputError) as e:
        read(p, "GRCh37", sample_id="MMRF_1082")
    prob = next(x for x in e.value.problems if message in x.message)
    assert prob.line is not None and prob.column == (cell if cell != "t_depth" else "t_alt_count")


@needs_corpus
def test_maf_panel_gene_outside_its_span_is_not_assessed_never_absent(tmp_path: Path) -> None:
    rows = _commpass_as_maf_rows("MMRF_1082")
    rows.append(dict(rows[0], Hugo_Symbol="TP53", Chromosome="17", Start_Position="1000", HGVSp_Short="p.R248Q"))
    p = tmp_path / "x.maf.gz"
    _write_maf(p, rows)
    r = read(p, "GRCh37", sample_id="MMRF_1082")
    assert r.evidence[0].status == "not_assessed" and "outside TP53" in r.genes_not_assessed["TP53"]
