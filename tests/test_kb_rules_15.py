"""Knowledge base 1.5.0: the rows it adds (CRBN loss for IMiD/CELMoD, review level; the PSMB5 negative note of
Haertle et al. 2023; GPRC5D homozygous deletion and Lee et al. 2023 on BCMA loss; NRAS/KRAS hotspots as
investigational MEK-inhibitor findings, Heuck et al. 2015). Each row fires on a real-looking finding of the shipped
table; its near misses stay silent."""

from __future__ import annotations

import pytest
from mmrisk import kb
from mmrisk.sv import DeletionSpan
from mmrisk.svloss import SvGeneLoss
from test_kb import FLOOR, KB, match, var, view_of

HOMOZYGOUS = {"CRBN": {"state": "biallelic_deletion", "copies": 0.0}}
ONE_COPY = {"CRBN": {"state": "deletion", "copies": 1.0}}
STOP = var("CRBN", "p.Arg283Ter", ["stop_gained"])
FRAMESHIFT = var("CRBN", "p.Leu240SerfsTer12", ["frameshift_variant"])


def ids(found) -> list[str]:
    return sorted(x["rule_id"] for x in found)


def by_class(found, states=None, inputs=("SNV", "CNV")) -> dict[str, dict]:
    return {r["drug_class"]: r for r in view_of(found, {}, None, kb=KB, inputs_read=set(inputs), gene_states=states)}


def test_shipped_version_is_1_5_and_new_rows_cite_what_was_seen():
    assert (KB.version, KB.date) == ("1.5.0", "2026-12-03")
    rules = {r.id: r for r in KB.rules}
    for rid in ("CRBN_BIALLELIC_IMID", "CRBN_TRUNC_DEL_IMID"):
        r = rules[rid]
        assert (r.drug_class, r.effect, r.evidence, r.source_kind) == ("imid_celmod", "resistance", "preclinical",
                                                                         "review")
        assert r.citations == ("Chen et al., Front Oncol 2022; DOI 10.3389/fonc.2022.1038329",)
    neg = rules["PSMB5_MISSENSE_PI_NEG"]
    assert (neg.drug_class, neg.effect, neg.source_kind) == ("proteasome_inhibitor", "negative", "primary")
    assert neg.citations == ("Haertle et al., Clin Cancer Res 2023; DOI 10.1158/1078-0432.CCR-22-1161",)


# --- CRBN homozygous deletion -------------------------------------------------------------------------------


def test_crbn_homozygous_deletion_is_reduced_imid_sensitivity():
    f = match(KB, None, HOMOZYGOUS, None)
    assert ids(f) == ["CRBN_BIALLELIC_IMID"]
    [one] = f
    assert (one["alteration"], one["source"], one["drug_classes"], one["source_kind"]) == (
        "biallelic_deletion", "CNV", ["imid_celmod"], "review")
    row = by_class(f, HOMOZYGOUS)["imid_celmod"]
    assert row["status"] == "reduced_sensitivity" and row["basis"] == ["CRBN biallelic_deletion (CRBN homozygous deletion)"]


@pytest.mark.parametrize("states", [
    ONE_COPY,  # one copy lost: not a finding on its own
    {"CRBN": {"state": "neutral", "copies": 2.0}},
    {"CRBN": {"state": "not_covered"}},
    {"TNFRSF17": {"state": "deletion", "copies": 1.0}},  # another gene's one-copy loss
])
def test_crbn_homozygous_deletion_near_misses(states):
    assert [x for x in ids(match(KB, None, states, None)) if x.startswith("CRBN")] == []


# --- CRBN truncating variant on the remaining allele ----------------------------------------------------------


@pytest.mark.parametrize("variant", [STOP, FRAMESHIFT])
def test_crbn_truncation_with_a_lost_allele_is_biallelic_loss(variant):
    f = match(KB, [variant], ONE_COPY, None)
    assert ids(f) == ["CRBN_TRUNC_DEL_IMID"]
    assert f[0]["alteration"] == f"{variant.hgvsp} + deletion" and f[0]["source"] == "SNV+CNV"
    assert by_class(f, ONE_COPY)["imid_celmod"]["status"] == "reduced_sensitivity"


def test_crbn_truncation_with_an_sv_deletion_spanning_crbn_is_biallelic_loss():
    loss = {"CRBN": SvGeneLoss("CRBN", DeletionSpan("3", 3_000_000, 3_300_000, "manta.vcf:12", "PR 14,SR 9"))}
    found = kb.match_all(KB, [STOP], None, None, vaf_floor=FLOOR, sv_losses=loss).findings
    [one] = [x.to_json() for x in found if x.rule.id == "CRBN_TRUNC_DEL_IMID"]
    assert one["source"] == "SNV+SV" and one["alteration"] == "p.Arg283Ter + deletion (SV)"


@pytest.mark.parametrize("variants,states", [
    ([STOP], None),  # copy number not read
    ([STOP], {"CRBN": {"state": "neutral", "copies": 2.0}}),  # a heterozygous truncation alone
    ([var("CRBN", "p.Tyr384Cys", ["missense_variant"])], ONE_COPY),  # missense is not the row's class
    ([var("CRBN", "p.Arg283Ter", ["stop_gained"], vaf=0.01)], ONE_COPY),  # below the VAF floor
    ([var("CRBN", "p.Arg283Ter", ["stop_gained"], flags=["polymorphism"])], ONE_COPY),
    ([var("CRBN", "p.Arg283=", ["synonymous_variant"])], ONE_COPY),
    ([var("IKZF1", "p.Arg283Ter", ["stop_gained"])], ONE_COPY),  # another gene's truncation
])
def test_crbn_truncation_near_misses(variants, states):
    assert "CRBN_TRUNC_DEL_IMID" not in ids(match(KB, variants, states, None))


def test_imid_class_is_now_covered_and_says_what_it_covers():
    neutral = {"CRBN": {"state": "neutral", "copies": 2.0}}
    row = by_class([], neutral)["imid_celmod"]
    assert (row["coverage"], row["status"], row["rules"]) == ("assessed", "no_finding", 2)
    assert row["covers"] == ["CRBN biallelic_deletion (gene_biallelic_loss, resistance, preclinical, review)",
                             "CRBN truncating (biallelic, resistance, preclinical, review)"]
    # small variants alone cannot speak to a CRBN copy loss: the class is not assessed, not "nothing found"
    assert by_class([], None, inputs=("SNV",))["imid_celmod"]["coverage"] == "not_assessed"
    assert by_class([], None)["anti_cd38"]["coverage"] == "not_covered"


# --- PSMB5 negative note (Haertle et al. 2023) ---------------------------------------------------------------


def test_psmb5_missense_gets_the_rarity_note_without_changing_the_class():
    f = match(KB, [var("PSMB5", "p.Met104Val", ["missense_variant"])], None, None)
    assert ids(f) == ["PSMB5_MISSENSE_PI_NEG"] and f[0]["effect"] == "negative"
    row = by_class(f, inputs=("SNV",))["proteasome_inhibitor"]
    assert row["status"] == "no_finding" and row["negative"] == ["PSMB5 p.Met104Val (PSMB5 missense (rare in patients))"]


def test_preclinical_psmb5_change_keeps_its_resistance_finding_beside_the_note():
    f = match(KB, [var("PSMB5", "p.Ala108Thr", ["missense_variant"])], None, None)
    assert ids(f) == ["PSMB5_A108T_PI", "PSMB5_MISSENSE_PI_NEG"]
    row = by_class(f, inputs=("SNV",))["proteasome_inhibitor"]
    assert row["status"] == "reduced_sensitivity" and row["basis"] == ["PSMB5 p.Ala108Thr (A49T (mature β5 numbering; cDNA G322A))"]
    assert row["negative"] == ["PSMB5 p.Ala108Thr (PSMB5 missense (rare in patients))"]


@pytest.mark.parametrize("variant", [
    var("PSMB5", "p.Arg200Ter", ["stop_gained"]),  # truncating is not the note's class
    var("PSMB5", "p.Ala108=", ["synonymous_variant"]),
    var("NRAS", "p.Met104Val", ["missense_variant"]),  # the same change in another gene
    var("PSMB5", "p.Met104Val", ["missense_variant"], flags=["benign_list"]),
])
def test_psmb5_note_near_misses(variant):
    assert "PSMB5_MISSENSE_PI_NEG" not in ids(match(KB, [variant], None, None))


def test_psmb5_missense_below_the_floor_is_held_apart():
    res = kb.match_all(KB, [var("PSMB5", "p.Met104Val", ["missense_variant"], vaf=0.01)], None, None, vaf_floor=FLOOR)
    assert res.findings == [] and [f.rule.id for f in res.below_floor] == ["PSMB5_MISSENSE_PI_NEG"]


# --- GPRC5D homozygous deletion and BCMA loss (Lee et al. 2023) -------------------------------------------------

LEE = "Lee et al., Nat Med 2023; DOI 10.1038/s41591-023-02491-5"


def test_gprc5d_homozygous_deletion_is_reduced_gprc5d_directed_sensitivity():
    states = {"GPRC5D": {"state": "biallelic_deletion", "copies": 0.0}}
    f = match(KB, None, states, None)
    assert ids(f) == ["GPRC5D_BIALLELIC_GPRC5D"] and f[0]["references"] == [LEE]
    row = by_class(f, states)["gprc5d_directed"]
    assert row["status"] == "reduced_sensitivity" and row["basis"] == ["GPRC5D biallelic_deletion (GPRC5D homozygous deletion)"]
    assert by_class(f, states)["bcma_directed"]["status"] == "no_finding"  # the other antigen is not touched


@pytest.mark.parametrize("variants,states", [
    (None, {"GPRC5D": {"state": "deletion", "copies": 1.0}}),  # one copy lost only
    (None, {"GPRC5D": {"state": "neutral", "copies": 2.0}}),
    (None, {"GPRC5D": {"state": "not_covered"}}),
    (None, {"CRBN": {"state": "biallelic_deletion", "copies": 0.0}}),  # another gene's homozygous deletion
    ([var("GPRC5D", "p.Arg233Ter", ["stop_gained"])], {"GPRC5D": {"state": "deletion", "copies": 1.0}}),  # not shipped
])
def test_gprc5d_near_misses(variants, states):
    assert [x for x in ids(match(KB, variants, states, None)) if x.startswith("GPRC5D")] == []


def test_bcma_homozygous_deletion_now_also_cites_lee_for_t_cell_engagers():
    rule = next(r for r in KB.rules if r.id == "TNFRSF17_BIALLELIC_BCMA")
    assert rule.citations == ("Da Vià et al., Nat Med 2021; PMID 33619368; DOI 10.1038/s41591-021-01245-5", LEE)
    assert "teclistamab" in rule.note
    f = match(KB, None, {"TNFRSF17": {"state": "biallelic_deletion", "copies": 0.0}}, None)
    assert ids(f) == ["TNFRSF17_BIALLELIC_BCMA"] and f[0]["references"] == list(rule.citations)


# --- NRAS/KRAS hotspots: investigational MEK inhibition (Heuck et al. 2015) ---------------------------------------


@pytest.mark.parametrize("gene,hgvsp,rid", [
    ("NRAS", "p.Gln61Arg", "NRAS_Q61_MEK"), ("NRAS", "p.Gly12Asp", "NRAS_G12_MEK"), ("NRAS", "p.Gly13Arg", "NRAS_G13_MEK"),
    ("KRAS", "p.Gly12Val", "KRAS_G12_MEK"), ("KRAS", "p.Gly13Asp", "KRAS_G13_MEK"), ("KRAS", "p.Gln61His", "KRAS_Q61_MEK"),
])
def test_ras_hotspot_is_an_investigational_mek_finding(gene, hgvsp, rid):
    f = match(KB, [var(gene, hgvsp, ["missense_variant"])], None, None)
    [mek] = [x for x in f if x["drug_classes"] == ["braf_mek_inhibitor"]]
    assert (mek["rule_id"], mek["effect"], mek["references"]) == (
        rid, "investigational", ["Heuck et al., Leukemia 2015; DOI 10.1038/leu.2015.208"])
    row = by_class(f, inputs=("SNV",))["braf_mek_inhibitor"]
    assert row["status"] == "no_finding" and row["investigational"] == [f"{gene} {hgvsp} ({rid.split('_')[1]})"]


@pytest.mark.parametrize("variant", [
    var("NRAS", "p.Gly60Arg", ["missense_variant"]),  # another codon
    var("KRAS", "p.Ala146Thr", ["missense_variant"]),  # a KRAS change outside codons 12, 13, 61
    var("NRAS", "p.Gly120Asp", ["missense_variant"]),  # codon 12's digits as a prefix
    var("KRAS", "p.Gly12=", ["synonymous_variant"]),
    var("HRAS", "p.Gly12Val", ["missense_variant"]),  # HRAS is not in the rows
    var("NRAS", "p.Gln61Arg", ["missense_variant"], vaf=0.01),  # below the VAF floor: held apart
])
def test_ras_mek_near_misses(variant):
    assert [x for x in ids(match(KB, [variant], None, None)) if x.endswith("_MEK")] == []
