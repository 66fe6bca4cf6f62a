"""The lesion model's merge step."""

from __future__ import annotations

import pytest

from mmrisk.lesions import LESION_IDS, Evidence, merge


def test_nothing_is_absent_by_default():
    calls, warnings = merge([])
    assert list(calls) == list(LESION_IDS)
    assert all(c.status == "not_assessed" and c.sources == [] for c in calls.values())
    assert warnings == []


def test_discordant_sources_present_wins_and_warns():
    calls, warnings = merge([
        Evidence("del(17p)", "present", "FISH", 0.4, origin="fish.tsv:3", detail="40% of nuclei"),
        Evidence("del(17p)", "absent", "CNV", origin="x.cns:12", detail="2 copies at TP53"),
    ])
    c = calls["del(17p)"]
    assert c.status == "present" and c.discordant and c.fraction == 0.4 and c.sources == ["FISH"]
    assert len(warnings) == 1 and "FISH (fish.tsv:3)" in warnings[0] and "CNV (x.cns:12)" in warnings[0]


def test_implications():
    calls, _ = merge([Evidence("amp(1q)", "present", "FISH", 0.3, copies=4),
                      Evidence("t(4;14)", "present", "FISH", 0.5)])
    assert calls["gain(1q)"].status == "present" and calls["gain(1q)"].copies == 4
    assert calls["IGH_rearrangement"].status == "present"
    calls, _ = merge([Evidence("gain(1q)", "absent", "FISH")])
    assert calls["amp(1q)"].status == "absent"
    calls, _ = merge([Evidence("IGH_rearrangement", "absent", "FISH")])
    assert all(calls[t].status == "absent" for t in ("t(4;14)", "t(14;16)", "t(14;20)", "t(11;14)", "t(6;14)"))
    calls, _ = merge([Evidence("IGH_rearrangement", "absent", "FISH")], igh_breakapart_excludes_partners=False)
    assert calls["t(4;14)"].status == "not_assessed"


def test_failed_test_stays_not_assessed_with_a_note():
    calls, _ = merge([Evidence("del(17p)", "not_assessed", "FISH", origin="f.tsv:2", detail="FISH failed")])
    c = calls["del(17p)"]
    assert c.status == "not_assessed" and c.sources == [] and "FISH failed" in c.notes[0]


def test_allelic_disagreement_is_biallelic_and_discordant():
    calls, warnings = merge([Evidence("del(1p32)", "present", "FISH", 0.3, allelic="mono"),
                             Evidence("del(1p32)", "present", "CNV", 0.5, allelic="biallelic")])
    c = calls["del(1p32)"]
    assert c.allelic == "biallelic" and c.discordant and c.sources == ["FISH", "CNV"] and warnings


def test_evidence_is_checked():
    with pytest.raises(ValueError):
        Evidence("del(18p)", "present", "FISH")
    with pytest.raises(ValueError):
        Evidence("del(17p)", "present", "FISH", fraction=45.0)


# --- the vocabulary ---------------------------------------------------------------------------


def test_vocabulary_holds_the_contract_ids_in_report_order() -> None:
    from mmrisk.lesions import IGH_TRANSLOCATIONS, LESIONS, VOCABULARY, lesion_label

    assert [k.id for k in VOCABULARY] == [
        "t(4;14)", "t(14;16)", "t(14;20)", "t(11;14)", "t(6;14)", "MYC_rearrangement", "IGH_rearrangement",
        "del(17p)", "TP53_mutation", "gain(1q)", "amp(1q)", "del(1p32)", "del(13q)", "hyperdiploidy"]
    assert IGH_TRANSLOCATIONS == ("t(4;14)", "t(14;16)", "t(14;20)", "t(11;14)", "t(6;14)")
    assert {k.id for k in VOCABULARY if k.carries == "copies"} == {"gain(1q)", "amp(1q)"}
    assert [k.id for k in VOCABULARY if k.carries == "allelic"] == ["del(1p32)"]
    assert lesion_label("TP53_mutation") == "TP53 mutation" and "_" not in "".join(k.label for k in VOCABULARY)
    assert LESIONS["t(14;16)"].partner == "MAF"


def test_vocabulary_rows_are_checked(tmp_path) -> None:
    import pytest

    from mmrisk.errors import InputError
    from mmrisk.lesions import load_vocabulary

    p = tmp_path / "lesions.tsv"
    p.write_text("id\tlabel\tgroup\tpartner\tcarries\tsource\nX\tx\tgain\t\tweight\ts\nY\ty\tgain\t\t-\ts\n"
                 "Y\ty\tgain\t\t-\ts\n")
    with pytest.raises(InputError) as ei:
        load_vocabulary(p)
    text = str(ei.value)
    assert "line 2" in text and "line 4" in text and "line 3" not in text
