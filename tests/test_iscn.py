"""Tests of the ISCN reader (scripts/mmrisk/iscn.py, iscnsyntax.py) and the FISH knowledge tables
(scripts/mmrisk/fishvocab.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

import mmrisk.fishvocab
import mmrisk.iscn
from mmrisk.errors import InputError
from mmrisk.fishvocab import (
    HYPERDIPLOIDY_CHROMOSOMES,
    ProbeTable,
    TargetTable,
    load_default_probes,
    load_default_targets,
    load_probes,
    load_targets,
    normalise_name,
)
from mmrisk.iscn import ISCN_EXAMPLE, IscnObservation, parse_iscn
from mmrisk.lesions import LESION_IDS


@pytest.fixture(scope="module")
def targets() -> TargetTable:
    return load_default_targets()


@pytest.fixture(scope="module")
def probes() -> ProbeTable:
    return load_default_probes()


def read(text: str, targets: TargetTable, probes: ProbeTable) -> dict[str, IscnObservation]:
    found = parse_iscn(text, targets, probes)
    by_lesion = {o.lesion: o for o in found}
    assert len(by_lesion) == len(found), f"two observations of one lesion: {found}"
    return by_lesion


# ---------------------------------------------------------------------------
# fusion probes


@pytest.mark.parametrize(
    "text",
    [
        "nuc ish(FGFR3,IGH)x3(FGFR3 con IGHx2)[170/200]",
        "nuc ish(IGH,FGFR3)x3(IGH con FGFR3x2)[170/200]",
        "nuc ish (FGFR3, IGH) x3 (FGFR3 con IGH x2) [170/200]",
        "nuc ish 4p16.3(FGFR3x3),14q32.33(IGHx3)(FGFR3 con IGHx2)[170/200]",
        "NUC ISH(fgfr3,igh)x3(fgfr3 CON igh x2)[170/200]",
    ],
)
def test_dual_fusion_fgfr3_igh(text, targets, probes):
    obs = read(text, targets, probes)
    assert set(obs) == {"t(4;14)"}
    o = obs["t(4;14)"]
    assert o.positive is True
    assert o.percent == 85.0
    assert o.probe_kind == "fusion"
    assert o.cells_scored == 200
    assert "170/200" in o.text


@pytest.mark.parametrize(
    "partner, lesion",
    [("FGFR3", "t(4;14)"), ("NSD2", "t(4;14)"), ("MAF", "t(14;16)"), ("MAFB", "t(14;20)"),
     ("CCND1", "t(11;14)"), ("CCND3", "t(6;14)"), ("MYC", "MYC_rearrangement")],
)
def test_fusion_partner_names_the_translocation(partner, lesion, targets, probes):
    obs = read(f"nuc ish({partner},IGH)x3({partner} con IGHx2)[50/200]", targets, probes)
    assert set(obs) == {lesion}
    assert obs[lesion].positive and obs[lesion].percent == 25.0
    # the same probe pair without a fusion signal is a negative test of the same lesion
    neg = read(f"nuc ish({partner},IGH)x2[200]", targets, probes)
    assert set(neg) == {lesion}
    assert neg[lesion].positive is False and neg[lesion].percent == 0.0


@pytest.mark.parametrize("partner", ["IGL", "IGK"])
def test_myc_con_anything_is_myc_rearrangement(partner, targets, probes):
    obs = read(f"nuc ish(MYC,{partner})x3(MYC con {partner}x1)[40/200]", targets, probes)
    assert set(obs) == {"MYC_rearrangement"}
    assert obs["MYC_rearrangement"].positive and obs["MYC_rearrangement"].percent == 20.0


def test_igh_con_unnamed_partner_is_igh_rearrangement(targets, probes):
    obs = read("nuc ish(CCND2,IGH)x3(CCND2 con IGHx2)[60/200]", targets, probes)
    assert set(obs) == {"IGH_rearrangement"}
    assert obs["IGH_rearrangement"].positive and obs["IGH_rearrangement"].percent == 30.0


def test_fusion_probe_does_not_speak_to_igh_rearrangement_when_negative(targets, probes):
    # a negative IGH/FGFR3 probe says nothing about other IGH partners
    obs = read("nuc ish(FGFR3,IGH)x3[200]", targets, probes)
    assert set(obs) == {"t(4;14)"}
    assert obs["t(4;14)"].positive is False


# ---------------------------------------------------------------------------
# deletions and gains


def test_tp53_monoallelic_deletion(targets, probes):
    o = read("nuc ish(TP53x1,D17Z1x2)[40/200]", targets, probes)["del(17p)"]
    assert (o.positive, o.percent, o.copies, o.probe_kind) == (True, 20.0, 1, "deletion")


def test_tp53_biallelic_deletion(targets, probes):
    o = read("nuc ish(TP53x0,D17Z1x2)[40/200]", targets, probes)["del(17p)"]
    assert (o.positive, o.copies) == (True, 0)


def test_tp53_loss_with_monosomy_17_is_a_loss(targets, probes):
    o = read("nuc ish(TP53x1,D17Z1x1)[60/200]", targets, probes)["del(17p)"]
    assert o.positive and o.copies == 1 and o.percent == 30.0


def test_tp53_relative_loss_against_control(targets, probes):
    o = read("nuc ish(TP53x2,D17Z1x3)[60/200]", targets, probes)["del(17p)"]
    assert o.positive and o.copies == 2
    assert "relative" in o.text


def test_cdkn2c_loss_and_cks1b_normal(targets, probes):
    obs = read("nuc ish(CDKN2Cx1,CKS1Bx2)[50/200]", targets, probes)
    assert set(obs) == {"del(1p32)", "gain(1q)"}
    d = obs["del(1p32)"]
    assert (d.positive, d.percent, d.copies) == (True, 25.0, 1)
    g = obs["gain(1q)"]
    assert g.positive is False and g.copies == 2


def test_cks1b_four_copies_and_cdkn2c_normal(targets, probes):
    obs = read("nuc ish(CDKN2Cx2,CKS1Bx4)[60/200]", targets, probes)
    g = obs["gain(1q)"]
    assert (g.positive, g.percent, g.copies, g.probe_kind) == (True, 30.0, 4, "gain")
    assert obs["del(1p32)"].positive is False


def test_cks1b_three_copies(targets, probes):
    g = read("nuc ish(CDKN2C,CKS1B)x3[120/200]", targets, probes)["gain(1q)"]
    assert (g.positive, g.percent, g.copies) == (True, 60.0, 3)


def test_13q_deletion_with_lamp1_control(targets, probes):
    obs = read("nuc ish(D13S319x1,LAMP1x2)[90/200]", targets, probes)
    assert set(obs) == {"del(13q)"}  # LAMP1 is a control, not a lesion
    assert obs["del(13q)"].positive and obs["del(13q)"].percent == 45.0


# ---------------------------------------------------------------------------
# break-apart probes


@pytest.mark.parametrize("gene, lesion", [("IGH", "IGH_rearrangement"), ("MYC", "MYC_rearrangement")])
def test_break_apart_split(gene, lesion, targets, probes):
    obs = read(f"nuc ish({gene}x2)(5'{gene} sep 3'{gene}x1)[30/200]", targets, probes)
    assert set(obs) == {lesion}
    o = obs[lesion]
    assert (o.positive, o.percent, o.probe_kind) == (True, 15.0, "breakapart")


def test_break_apart_intact(targets, probes):
    o = read("nuc ish(5'IGH,3'IGH)x2(5'IGH con 3'IGHx2)[200]", targets, probes)["IGH_rearrangement"]
    assert (o.positive, o.percent) == (False, 0.0)


def test_break_apart_fewer_fused_than_signals_is_split(targets, probes):
    o = read("nuc ish(5'IGH,3'IGH)x2(5'IGH con 3'IGHx1)[44/200]", targets, probes)["IGH_rearrangement"]
    assert (o.positive, o.percent) == (True, 22.0)


def test_typographic_quotes_are_read(targets, probes):
    o = read("nuc ish(IGHx2)(5\u2019IGH sep 3\u2019IGHx1)[30/200]", targets, probes)["IGH_rearrangement"]
    assert o.positive


# ---------------------------------------------------------------------------
# normal results


@pytest.mark.parametrize(
    "text, lesion",
    [("nuc ish(TP53,D17Z1)x2[200]", "del(17p)"),
     ("nuc ish(FGFR3,IGH)x2[200]", "t(4;14)"),
     ("nuc ish(IGHx2)[200]", "IGH_rearrangement"),
     ("nuc ish(MYCx2)[100]", "MYC_rearrangement")],
)
def test_normal_results_are_negative(text, lesion, targets, probes):
    obs = read(text, targets, probes)
    assert set(obs) == {lesion}
    assert obs[lesion].positive is False
    assert obs[lesion].percent == 0.0


def test_normal_pattern_in_part_of_the_nuclei_has_no_percent(targets, probes):
    o = read("nuc ish(TP53,D17Z1)x2[180/200]", targets, probes)["del(17p)"]
    assert o.positive is False and o.percent is None


def test_all_nuclei_abnormal_without_slash(targets, probes):
    o = read("nuc ish(TP53x1,D17Z1x2)[50]", targets, probes)["del(17p)"]
    assert o.positive and o.percent == 100.0 and o.cells_scored == 50


# ---------------------------------------------------------------------------
# centromere probes


def test_centromere_probes_give_trisomies(targets, probes):
    obs = read("nuc ish(D5Z2,D9Z1,D15Z4)x3[80/200]", targets, probes)
    assert set(obs) == {"trisomy_5", "trisomy_9", "trisomy_15"}
    for o in obs.values():
        assert (o.positive, o.percent, o.copies, o.probe_kind) == (True, 40.0, 3, "gain")


def test_disomic_centromere_is_negative_trisomy(targets, probes):
    obs = read("nuc ish(D5Z2x3,D9Z1x2,D15Z4x3)[80/200]", targets, probes)
    assert obs["trisomy_9"].positive is False
    assert obs["trisomy_5"].positive and obs["trisomy_15"].positive


# ---------------------------------------------------------------------------
# several populations


def test_populations_are_summed_with_highest_copies(targets, probes):
    obs = read("nuc ish(CKS1Bx3)[50/200]/(CKS1Bx4)[30/200]", targets, probes)
    g = obs["gain(1q)"]
    assert (g.positive, g.percent, g.copies) == (True, 40.0, 4)
    assert "together 80/200" in g.text and "highest" in g.text


def test_populations_without_denominator_share_the_total(targets, probes):
    obs = read("nuc ish(D13S319x1,LAMP1x2)[120]/(D13S319,LAMP1)x2[80]", targets, probes)
    d = obs["del(13q)"]
    assert (d.positive, d.percent, d.cells_scored) == (True, 60.0, 200)


def test_populations_deletion_takes_lowest_copies(targets, probes):
    d = read("nuc ish(TP53x1,D17Z1x2)[30/200]/(TP53x0,D17Z1x2)[20/200]", targets, probes)["del(17p)"]
    assert (d.percent, d.copies) == (25.0, 0)


def test_population_lesions_are_kept_apart(targets, probes):
    obs = read("nuc ish(CDKN2Cx1,CKS1Bx3)[40/200]/(CDKN2Cx2,CKS1Bx3)[30/200]", targets, probes)
    assert obs["del(1p32)"].percent == 20.0
    assert obs["gain(1q)"].percent == 35.0


# ---------------------------------------------------------------------------
# strings that cannot be read


@pytest.mark.parametrize(
    "text, token",
    [
        ("ish(TP53x1)[40/200]", "'ish"),
        ("nuc ish(TP53x1,D17Z1x2)[40/200", "at the end"),
        ("nuc ish(FOOx2)[200]", "'FOOx2'"),
        ("nuc ish(TP53x1~2,D17Z1x2)[40/200]", "'~2'"),
        ("nuc ish(CKS1B amp)[40/200]", "'amp'"),
        ("nuc ish(TP53,D17Z1)[200]", "'TP53'"),
        ("nuc ish(TP53x1)[250/200]", "'['"),
        ("nuc ish(TP53x1,D17Z1x2)40/200", "'40"),
        ("nuc ish(CKS1Bx3)[50/200]/(CKS1Bx4)[30/100]", "'('"),
        ("nuc ish(CKS1Bx3)[150/200]/(CKS1Bx4)[80/200]", "'('"),
        ("nuc ish(TP53x1)[40/200] and more", "'and'"),
    ],
)
def test_unreadable_strings_name_string_position_and_example(text, token, targets, probes):
    with pytest.raises(InputError) as err:
        parse_iscn(text, targets, probes, file="fish.tsv", line=7)
    msg = str(err.value)
    assert repr(text) in msg
    assert token in msg
    assert ISCN_EXAMPLE in msg
    assert "fish.tsv, line 7, column 'iscn'" in msg
    if token != "at the end":
        assert "position" in msg


def test_unknown_probe_message_points_to_the_probe_table(targets, probes):
    with pytest.raises(InputError) as err:
        parse_iscn("nuc ish(XYZ1x1,D17Z1x2)[40/200]", targets, probes)
    assert "unknown probe 'XYZ1'" in str(err.value)
    assert "resources/fish_probes.tsv" in str(err.value)


def test_string_testing_no_lesion(targets, probes):
    with pytest.raises(InputError) as err:
        parse_iscn("nuc ish(D17Z1x3)[20/200]", targets, probes)
    assert "D17Z1" in str(err.value) and "fish_targets.tsv" in str(err.value)


# ---------------------------------------------------------------------------
# the knowledge is data


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_custom_tables_teach_a_new_probe(tmp_path):
    targets = load_targets(_write(tmp_path / "t.tsv", "# test\nsynonym\tlesion\tprobe_kind\n"
                                                       "ATM\tdel(13q)\tdeletion\n"))
    probes = load_probes(_write(tmp_path / "p.tsv", "probe\tlocus\trole\tchromosome\n"
                                                      "ATM\t11q22.3\tgene\t11\nD11Z1\t11cen\tcentromere\t11\n"))
    o = parse_iscn("nuc ish(ATMx1,D11Z1x2)[100/200]", targets, probes)
    assert [(x.lesion, x.positive, x.percent) for x in o] == [("del(13q)", True, 50.0)]
    with pytest.raises(InputError):  # TP53 is not in these tables
        parse_iscn("nuc ish(TP53x1)[100/200]", targets, probes)


def test_target_table_rejects_bad_rows(tmp_path):
    path = _write(tmp_path / "t.tsv", "synonym\tlesion\tprobe_kind\n"
                                      "foo\tdel(18q)\tdeletion\n"
                                      "bar\ttrisomy_4\tgain\n"
                                      "baz\tdel(17p)\tloss\n"
                                      "TP53\tdel(17p)\tdeletion\n"
                                      "tp53\tgain(1q)\tgain\n")
    with pytest.raises(InputError) as err:
        load_targets(path)
    lines = {p.line for p in err.value.problems}
    assert lines == {2, 3, 4, 6}


def test_probe_table_rejects_bad_rows(tmp_path):
    path = _write(tmp_path / "p.tsv", "probe\tlocus\trole\tchromosome\n"
                                      "TP53\t17p13.1\tgene\t17\n"
                                      "TP53\t17p13.1\tgene\t17\n"
                                      "X\t1q\treference\t1\n"
                                      "Y\t1q\tgene\t23\n")
    with pytest.raises(InputError) as err:
        load_probes(path)
    assert {p.line for p in err.value.problems} == {3, 4, 5}


def test_default_tables_have_versions(targets, probes):
    assert targets.version and probes.version
    assert len(targets) > 150 and len(probes) > 30


def test_name_normalisation():
    assert normalise_name("  FGFR3  /  IGH ") == normalise_name("fgfr3/igh")
    assert normalise_name("IGH break \u2013 apart") == "igh break-apart"
    assert normalise_name("Trisomy   9") == "trisomy 9"


def test_every_odd_chromosome_centromere_probe_maps_to_its_trisomy(targets, probes):
    for p in probes.entries.values():
        if p.role == "centromere" and int(p.chromosome) in HYPERDIPLOIDY_CHROMOSOMES:
            t = targets.lookup(p.probe)
            assert t is not None and t.lesion == f"trisomy_{p.chromosome}", p.probe


def test_every_fish_lesion_id_maps_to_itself(targets):
    for lesion in LESION_IDS:
        t = targets.lookup(lesion)
        assert t is not None and t.lesion == lesion, lesion
    # a lab's TP53 sequencing result may sit in the FISH table; the bare gene name is the deletion probe
    assert targets.lookup("TP53_mutation").probe_kind == "mutation"
    assert targets.lookup("TP53").lesion == "del(17p)"


def test_iscn_re_exports_the_fish_vocabulary():
    # evaluate.py and older callers import the tables from mmrisk.iscn: the very same objects
    for name in ("HYPERDIPLOIDY_CHROMOSOMES", "PROBE_KINDS", "PROBE_ROLES", "Probe", "ProbeKind", "ProbeRole",
                 "ProbeTable", "Target", "TargetTable", "display_path", "is_lesion_or_trisomy",
                 "load_default_probes", "load_default_targets", "load_probes", "load_targets",
                 "normalise_name"):
        assert getattr(mmrisk.iscn, name) is getattr(mmrisk.fishvocab, name), name
        assert name in mmrisk.iscn.__all__, name
