"""Knowledge base 1.5.0: the rows it adds (CRBN loss for IMiD/CELMoD, review level; the PSMB5 negative note of
Haertle et al. 2023). Each row fires on a real-looking finding of the shipped table; its near misses stay silent."""

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
