"""Knowledge base 1.3.0/1.4.0: new match kinds (in-frame deletions, biallelic, TP53 Double-Hit, gene loss from an SV
deletion spanning the gene), source_kind, negative notes, per-class coverage and the driver-gene context list. Each rule fires; its near misses stay silent."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from conftest import CORPUS
from mmrisk import kb
from mmrisk.errors import InputError

from test_kb import COLUMNS, KB, gstates, lcalls, match, row, var, view_of, write_kb

ROOT = Path(__file__).resolve().parents[1]


def ids(found) -> list[str]:
    return sorted(x["rule_id"] for x in found)


# --- source_kind ---------------------------------------------------------------------------------------


def test_every_shipped_rule_has_a_source_kind_and_findings_carry_it():
    assert {r.source_kind for r in KB.rules} <= set(kb.SOURCE_KINDS)
    f = match(KB, [var("NRAS", "p.Gln61Arg", ["missense_variant"])], None, None)
    assert [x["source_kind"] for x in f] == ["primary"]


def test_unknown_source_kind_rejected(tmp_path):
    p = write_kb(tmp_path, row(source_kind="blog"))
    with pytest.raises(InputError, match="source_kind"):
        kb.load_knowledge_base(p)


def test_source_kind_column_required(tmp_path):
    p = tmp_path / "kb.tsv"
    cols = [c for c in COLUMNS if c != "source_kind"]
    p.write_text("# version: 9.9.9  date: 2026-01-01\n" + "\t".join(cols) + "\n")
    with pytest.raises(InputError, match="source_kind"):
        kb.load_knowledge_base(p)


# --- in-frame deletions ---------------------------------------------------------------------------------


def test_inframe_deletion_rule_fires_and_near_misses_stay_silent(tmp_path):
    k = kb.load_knowledge_base(write_kb(tmp_path, row(id="BCMA_S30DEL", gene_or_lesion="TNFRSF17", match_kind="hgvsp",
                                                      match="p.Ser30del", drug_class="bcma_directed")))
    f = match(k, [var("TNFRSF17", "ENSP1.1:p.Ser30del", ["inframe_deletion"])], None, None)
    assert ids(f) == ["BCMA_S30DEL"]
    assert match(k, [var("TNFRSF17", "p.S30del", ["inframe_deletion"])], None, None)  # one-letter code
    assert match(k, [var("TNFRSF17", "p.Ser31del", ["inframe_deletion"])], None, None) == []  # other residue
    assert match(k, [var("TNFRSF17", "p.Ser30_Pro34del", ["inframe_deletion"])], None, None) == []  # longer
    assert match(k, [var("TNFRSF17", "p.Ser30=", ["synonymous_variant"])], None, None) == []
    assert match(k, [var("GPRC5D", "p.Ser30del", ["inframe_deletion"])], None, None) == []  # other gene


def test_range_deletion_is_a_valid_rule_and_garbage_is_not(tmp_path):
    kb.load_knowledge_base(write_kb(tmp_path, row(match_kind="hgvsp", match="p.Pro34_Ser35del")))
    with pytest.raises(InputError, match="in-frame deletion"):
        kb.load_knowledge_base(write_kb(tmp_path, row(match_kind="hgvsp", match="p.Ser30delins")))


# --- biallelic (combined) -------------------------------------------------------------------------------

LOSS = {"TP53": {"state": "deletion", "copies": 1.0}}


def test_tp53_mutation_with_one_copy_loss_is_biallelic():
    f = match(KB, [var("TP53", "p.Arg248Gln", ["missense_variant"])], LOSS, None)
    assert "TP53_MUT_DEL_PROG" in ids(f)
    one = next(x for x in f if x["rule_id"] == "TP53_MUT_DEL_PROG")
    assert one["alteration"] == "p.Arg248Gln + deletion" and one["source"] == "SNV+CNV"
    assert one["effect"] == "prognostic" and one["drug_classes"] == []


@pytest.mark.parametrize("variants,states", [
    ([var("TP53", "p.Arg248Gln", ["missense_variant"])], None),  # no copy number read
    ([var("TP53", "p.Arg248Gln", ["missense_variant"])], {"TP53": {"state": "neutral", "copies": 2.0}}),
    ([var("TP53", "p.Arg248=", ["synonymous_variant"])], LOSS),  # synonymous
    ([var("TP53", "p.Arg248Gln", ["missense_variant"], vaf=0.01)], LOSS),  # below the VAF floor
    ([var("TP53", "p.Pro72Arg", ["missense_variant"], flags=["benign_list"])], LOSS),  # known polymorphism
    ([var("KRAS", "p.Gly12Asp", ["missense_variant"])], LOSS),  # wrong gene
    (None, LOSS),  # copy loss alone
])
def test_biallelic_near_misses(variants, states):
    assert "TP53_MUT_DEL_PROG" not in ids(match(KB, variants, states, None))


def test_biallelic_rule_validation(tmp_path):
    with pytest.raises(InputError, match="biallelic"):
        kb.load_knowledge_base(write_kb(tmp_path, row(match_kind="biallelic", match="deletion")))


# --- TP53 Double-Hit (Walker et al. 2019) ----------------------------------------------------------------


def dh(variants=None, states=None, lesions=None, iss=None) -> list[dict]:
    f = kb.match(KB, variants, gstates(states), lcalls(lesions), vaf_floor=0.05, iss_stage=iss)
    return [x.to_json() for x in f if x.rule.id == "TP53_DOUBLE_HIT_PROG"]


def test_double_hit_biallelic_tp53_forms():
    assert dh(states={"TP53": {"state": "biallelic_deletion", "copies": 0.0}})
    assert dh([var("TP53", "p.Arg196Ter", ["stop_gained"])], LOSS)
    assert dh([var("TP53", "p.Arg248Gln", ["missense_variant"])], None, {"del(17p)": {"status": "present"}})


def test_double_hit_amp1q_needs_iss_iii():
    amp = {"amp(1q)": {"status": "present", "sources": ["CNV"]}}
    f = dh(lesions=amp, iss="III")
    assert f and "amp(1q) with ISS III" in f[0]["alteration"] and f[0]["effect"] == "prognostic"
    assert dh(lesions=amp, iss="II") == []
    assert dh(lesions=amp, iss=None) == []  # ISS unknown: not a Double-Hit
    assert dh(lesions={"gain(1q)": {"status": "present"}}, iss="III") == []  # gain (3 copies) is not amp


def test_double_hit_near_misses():
    assert dh([var("TP53", "p.Arg248Gln", ["missense_variant"])]) == []  # one hit only
    assert dh(states=LOSS) == []  # one copy lost only
    assert dh([var("TP53", "p.Arg248Gln", ["missense_variant"])], None, {"del(17p)": {"status": "absent"}}) == []
    assert dh([var("TP53", "p.Arg248=", ["synonymous_variant"])], LOSS) == []


# --- BRAF, negative notes ---------------------------------------------------------------------------------


def test_braf_v600e_investigational_and_near_misses():
    f = match(KB, [var("BRAF", "p.Val600Glu", ["missense_variant"])], None, None)
    assert [(x["rule_id"], x["effect"], x["drug_classes"]) for x in f] == [
        ("BRAF_V600E_BRAFMEK", "investigational", ["braf_mek_inhibitor"])]
    for v in (var("BRAF", "p.Val600Lys", ["missense_variant"]), var("BRAF", "p.Val600=", ["synonymous_variant"]),
              var("NRAS", "p.Val600Glu", ["missense_variant"]), var("BRAF", "p.Gly469Ala", ["missense_variant"])):
        assert match(KB, [v], None, None) == []


def test_negative_notes_never_change_the_class_status():
    lesions = {"t(4;14)": {"status": "present", "sources": ["FISH"]}}
    f = match(KB, [var("KRAS", "p.Gly12Asp", ["missense_variant"])], None, lesions)
    assert ids(f) == ["KRAS_G12_PI_NEG", "T4_14_FGFR_NEG"] and {x["effect"] for x in f} == {"negative"}
    by = {r["drug_class"]: r for r in view_of(f, lesions, None, kb=KB, inputs_read={"SNV", "FISH"})}
    assert by["fgfr_inhibitor"]["status"] == "no_finding" and by["fgfr_inhibitor"]["negative"]
    assert by["proteasome_inhibitor"]["status"] == "no_finding"
    assert by["proteasome_inhibitor"]["negative"] == ["KRAS p.Gly12Asp (G12)"]
    assert match(KB, [var("KRAS", "p.Gly60Arg", ["missense_variant"])], None, None) == []


# --- coverage ---------------------------------------------------------------------------------------------


def test_coverage_distinguishes_not_covered_from_covered_nothing_found():
    by = {r["drug_class"]: r for r in view_of([], {}, None, kb=KB, inputs_read={"SNV"})}
    assert by["anti_cd38"]["coverage"] == "not_covered" and by["anti_cd38"]["rules"] == 0
    assert by["proteasome_inhibitor"]["coverage"] == "assessed" and by["proteasome_inhibitor"]["rules"] == 10
    assert any("NRAS p.Gly12" in c for c in by["proteasome_inhibitor"]["covers"])
    none = {r["drug_class"]: r for r in view_of([], {}, None, kb=KB)}
    assert none["proteasome_inhibitor"]["coverage"] == "not_assessed"


# --- driver genes -----------------------------------------------------------------------------------------


def test_driver_gene_list_is_cited_and_loads():
    text = (ROOT / "resources" / "driver_genes.tsv").read_text(encoding="utf-8")
    assert "PMID 29884741" in text and "9828f79d5fc5efd1f2fef8ea40e097a90f5ea74f" in text
    drivers = kb.load_driver_genes()
    for g in ("DIS3", "TENT5C", "FAM46C", "TRAF3", "CYLD", "KRAS", "NRAS", "TP53", "BRAF"):
        assert g in drivers
    assert "PSMB5" not in drivers and "CRBN" not in drivers


def test_bad_driver_gene_symbol_rejected(tmp_path):
    p = tmp_path / "d.tsv"
    p.write_text("gene\trole\nDIS3 x\tTSG\n")
    with pytest.raises(InputError, match="gene symbol"):
        kb.load_driver_genes(p)


# --- driver genes read from small-variant files (panel 1.2.0) ---------------------------------------------

COMMPASS = CORPUS / "myeloma" / "commpass_gcp_mm" / "CoMMpass_all_coding_mutations_annot_test.txt"


def _panel_rows() -> list[dict[str, str]]:
    from mmrisk.tables import read_tsv
    return [r.cells for r in read_tsv(ROOT / "resources" / "panel_genes.tsv", required_columns=("gene",)).rows]


def test_driver_panel_genes_have_an_id_and_spans_on_both_builds():
    from mmrisk.snv import load_gene_regions
    drivers = kb.load_driver_genes()
    rows = [r for r in _panel_rows() if r["why"].startswith("driver_gene")]
    assert {"DIS3", "TENT5C", "FAM46C", "TRAF3", "CYLD"} <= {r["gene"] for r in rows}
    ids_seen = [r["ensembl_gene"] for r in _panel_rows() if r["ensembl_gene"]]
    assert len(ids_seen) == len(set(ids_seen))  # one id per symbol
    spans = {b: load_gene_regions(build=b) for b in ("GRCh37", "GRCh38")}
    for r in rows:
        assert r["gene"] in drivers
        if r["gene"] == "FAM46C":  # the former symbol: no id, no span of its own (TENT5C's region reads it)
            assert not r["ensembl_gene"] and all("FAM46C" not in s for s in spans.values())
            continue
        assert r["ensembl_gene"].startswith("ENSG") and all(r["gene"] in s for s in spans.values())


@pytest.mark.skipif(not COMMPASS.is_file(), reason="the real myeloma corpus is absent")
@pytest.mark.parametrize("patient,gene,hgvsp", [
    ("MMRF_1090", "DIS3", "p.Asp479Val"), ("MMRF_1030", "CYLD", "p.His825Tyr"), ("MMRF_1082", "FAM46C", "p.Ser115Phe")])
def test_driver_gene_variants_of_real_commpass_rows_are_read_and_flagged(patient, gene, hgvsp):
    from mmrisk.snv import load_gene_regions, read_small_variants
    r = read_small_variants(COMMPASS, build="GRCh37", genes=load_gene_regions(build="GRCh37"), sample_id=patient)
    got = {(v.gene, v.hgvsp) for v in r.variants}
    assert (gene, hgvsp) in got
    assert not any(g == "PRDM16" for g, _ in got)  # near miss: a gene of neither the panel nor the driver list
    drivers = kb.load_driver_genes()
    assert gene in drivers
    # context only: no knowledge-base rule matches a driver-gene variant
    hit = next(v for v in r.variants if v.gene == gene)
    assert kb.match_all(KB, [hit], None, None, vaf_floor=0.05).findings == []


# --- gene loss from an SV deletion spanning the gene (kb 1.4.0) ----------------------------------------------

MANTA = CORPUS / "manta" / "somaticSV.vcf.gz"
#: a real PASS Manta deletion (chr1:207807884 END=207841472, PR 111,14 / SR 92,9 in the tumour), moved below
MANTA_DEL_ID = "MantaDEL:17682:0:1:0:0:0"
TNFRSF17_38 = (11965210, 11968068)  # resources/genome/genes.tsv, GRCh38
TP53_38 = (7661779, 7687550)


def manta_deletion(tmp_path: Path, chrom: str, pos: int, end: int, filt: str = "PASS") -> Path:
    """The corpus Manta file's header and its PASS deletion record, moved to ``chrom:pos-end``."""
    lines = gzip.open(MANTA, "rt").read().splitlines()
    header = [x for x in lines if x.startswith("#")]
    rec = next(x for x in lines if MANTA_DEL_ID in x).split("\t")
    info = ";".join(f"END={end}" if k.startswith("END=") else f"SVLEN=-{end - pos}" if k.startswith("SVLEN=")
                    else k for k in rec[7].split(";"))
    rec[0], rec[1], rec[6], rec[7] = chrom, str(pos), filt, info
    p = tmp_path / "manta_del.vcf"
    p.write_text("\n".join(header + ["\t".join(rec)]) + "\n")
    return p


def losses_of(path: Path):
    from mmrisk.regions import load_genes
    from mmrisk.sv import read_structural_variants
    from mmrisk.svloss import sv_gene_losses
    res = read_structural_variants(path, build="GRCh38", tumor_column="colo829-dna-illumina")
    return res, sv_gene_losses(res.deletions, load_genes()["GRCh38"])


needs_manta = pytest.mark.skipif(not MANTA.is_file(), reason="the Manta corpus file is absent")


@needs_manta
def test_real_manta_deletion_spanning_tnfrsf17_is_one_lost_allele(tmp_path):
    res, losses = losses_of(manta_deletion(tmp_path, "chr16", 11900000, 11990000))
    [d] = res.deletions
    n_header = sum(1 for x in gzip.open(MANTA, "rt") if x.startswith("#"))
    assert (d.chrom, d.start, d.end) == ("16", 11900001, 11990000) and d.record.endswith(f":{n_header + 1}")
    assert "TNFRSF17" in losses.genes and not losses.partial
    assert losses.genes["TNFRSF17"].origin().startswith(d.record)


@needs_manta
@pytest.mark.parametrize("chrom,pos,end,filt,partial", [
    ("chr16", 11900000, TNFRSF17_38[0] + 1000, "PASS", True),  # ends inside the gene: partial, not a loss
    ("chr16", TNFRSF17_38[0] + 10, 11990000, "PASS", True),  # starts inside the gene
    ("chr17", 11900000, 11990000, "PASS", False),  # the same positions on another chromosome
    ("chr16", 11900000, 11990000, "MinSomaticScore", False),  # a filtered record
    ("chr16", 11900000, TNFRSF17_38[0] - 1, "PASS", False),  # ends just before the gene
])
def test_sv_deletion_near_misses_are_no_gene_loss(tmp_path, chrom, pos, end, filt, partial):
    _, losses = losses_of(manta_deletion(tmp_path, chrom, pos, end, filt))
    assert "TNFRSF17" not in losses.genes
    assert ("TNFRSF17" in losses.partial) is partial
    if partial:
        assert "ends inside TNFRSF17" in losses.warnings()[0]
    found = kb.match_all(KB, [var("TNFRSF17", "p.Gln25Ter", ["stop_gained"])], None, None, vaf_floor=0.05,
                         sv_losses=losses.genes).findings
    assert "TNFRSF17_TRUNC_DEL_BCMA" not in [f.rule.id for f in found]


@needs_manta
def test_tnfrsf17_sv_deletion_plus_truncating_variant_is_biallelic_bcma_loss(tmp_path):
    _, losses = losses_of(manta_deletion(tmp_path, "chr16", 11900000, 11990000))
    stop = var("TNFRSF17", "p.Gln25Ter", ["stop_gained"])
    f = [x.to_json() for x in kb.match_all(KB, [stop], None, None, vaf_floor=0.05, sv_losses=losses.genes).findings]
    [one] = [x for x in f if x["rule_id"] == "TNFRSF17_TRUNC_DEL_BCMA"]
    assert one["source"] == "SNV+SV" and one["alteration"] == "p.Gln25Ter + deletion (SV)"
    assert one["drug_classes"] == ["bcma_directed"] and one["effect"] == "resistance"
    assert "manta_del.vcf" in one["origin"] and one["source_kind"] == "primary"
    by = {r.drug_class: r for r in kb.therapy_view(kb.match_all(KB, [stop], None, None, vaf_floor=0.05,
                                                                 sv_losses=losses.genes).findings,
                                                   None, None, kb=KB, inputs_read={"SNV", "SV"})}
    assert by["bcma_directed"].status == "reduced_sensitivity"


@needs_manta
def test_sv_deletion_alone_or_with_a_copy_loss_is_not_a_biallelic_deletion(tmp_path):
    _, losses = losses_of(manta_deletion(tmp_path, "chr16", 11900000, 11990000))
    for states in (None, {"TNFRSF17": {"state": "deletion", "copies": 1.0}}):
        f = kb.match_all(KB, [], gstates(states), None, vaf_floor=0.05, sv_losses=losses.genes).findings
        assert "TNFRSF17_BIALLELIC_BCMA" not in [x.rule.id for x in f]  # one allele, seen twice at most
    # a missense variant is not the truncating class of the row
    f = kb.match_all(KB, [var("TNFRSF17", "p.Arg27Pro", ["missense_variant"])], None, None, vaf_floor=0.05,
                     sv_losses=losses.genes).findings
    assert "TNFRSF17_TRUNC_DEL_BCMA" not in [x.rule.id for x in f]


@needs_manta
def test_tp53_sv_deletion_with_a_tp53_mutation_is_biallelic_and_double_hit(tmp_path):
    _, losses = losses_of(manta_deletion(tmp_path, "chr17", TP53_38[0] - 5000, TP53_38[1] + 5000))
    assert "TP53" in losses.genes
    mut = var("TP53", "p.Arg248Gln", ["missense_variant"])
    ids_ = [x.rule.id for x in kb.match_all(KB, [mut], None, None, vaf_floor=0.05, sv_losses=losses.genes).findings]
    assert "TP53_MUT_DEL_PROG" in ids_ and "TP53_DOUBLE_HIT_PROG" in ids_
    ids_ = [x.rule.id for x in kb.match_all(KB, [mut], None, None, vaf_floor=0.05, sv_losses={}).findings]
    assert "TP53_MUT_DEL_PROG" not in ids_ and "TP53_DOUBLE_HIT_PROG" not in ids_  # no SV deletion: one hit


def test_gene_loss_rule_fires_on_an_sv_deletion_unless_copy_number_already_did(tmp_path):
    from mmrisk.sv import DeletionSpan
    from mmrisk.svloss import SvGeneLoss
    k = kb.load_knowledge_base(write_kb(tmp_path, row(gene_or_lesion="CRBN", match_kind="gene_loss", match="deletion",
                                                      drug_class="imid_celmod")))
    loss = {"CRBN": SvGeneLoss("CRBN", DeletionSpan("3", 1, 10 ** 7, "x.vcf:9", "PR 3"))}
    [f] = kb.match_all(k, None, None, None, vaf_floor=0.05, sv_losses=loss).findings
    assert (f.source, f.alteration, f.origin) == ("SV", "deletion (SV)", "x.vcf:9 (deletion 3:1-10,000,000)")
    cn = gstates({"CRBN": {"state": "deletion", "copies": 1.0}})
    assert [x.source for x in kb.match_all(k, None, cn, None, vaf_floor=0.05, sv_losses=loss).findings] == ["CNV"]
