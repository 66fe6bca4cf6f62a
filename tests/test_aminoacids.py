"""The one amino-acid table and the one HGVS p. normaliser (scripts/mmrisk/aminoacids.py), used by the
annotation dialects and by the knowledge base."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from mmrisk import aminoacids, annotation, kb  # noqa: E402
from mmrisk.aminoacids import ONE_TO_THREE, THREE_LETTER, THREE_TO_ONE, normalise_hgvsp, three_letter  # noqa: E402


def test_one_table_both_ways():
    assert len(ONE_TO_THREE) == 23  # 20 standard residues, Sec, Pyl, stop
    assert ONE_TO_THREE["U"] == "Sec" and ONE_TO_THREE["O"] == "Pyl" and ONE_TO_THREE["*"] == "Ter"
    assert all(THREE_TO_ONE[three] == one for one, three in ONE_TO_THREE.items())
    assert THREE_LETTER.split("|") == [t for t in ONE_TO_THREE.values() if t != "Ter"]
    assert three_letter("ERQ*") == "GluArgGlnTer" and three_letter("X") == "Ter"


@pytest.mark.parametrize("raw, want", [
    # one-letter, with and without a transcript prefix
    ("p.R273H", "p.Arg273His"),
    ("ENSP00000269305.4:p.R273H", "p.Arg273His"),
    # three-letter stays
    ("p.Arg273His", "p.Arg273His"),
    ("ENSP00000269305.4:p.Arg72Pro", "p.Arg72Pro"),
    # stops: Ter and *
    ("p.Arg248Ter", "p.Arg248Ter"),
    ("p.Arg248*", "p.Arg248Ter"),
    ("p.R213*", "p.Arg213Ter"),
    ("p.R213X", "p.Arg213Ter"),
    # frameshifts
    ("p.Asp240GlufsTer35", "p.Asp240GlufsTer35"),
    ("p.Asp240Glufs*35", "p.Asp240GlufsTer35"),
    ("p.D240fs*35", "p.Asp240fsTer35"),
    ("p.D240fs", "p.Asp240fs"),
    # deletions and duplications
    ("p.E217del", "p.Glu217del"),
    ("p.ERQERL217del", "p.Glu217_Leu222del"),
    ("p.Q61dup", "p.Gln61dup"),
    ("p.Glu217_Leu222del", "p.Glu217_Leu222del"),
    # synonymous, %-encoded or not
    ("p.G12=", "p.Gly12="),
    ("ENSP00000269305.4:p.Pro72%3D", "p.Pro72="),
    ("p.Met1?", "p.Met1?"),
    # no p. change at all
    ("", None),
    (".", None),
    ("-", None),
    (None, None),
    ("c.215C>G", "c.215C>G"),
])
def test_normaliser(raw, want):
    assert normalise_hgvsp(raw) == want


def test_predicted_parentheses_kept_or_stripped():
    assert normalise_hgvsp("ENSP00000355225.2:p.(Ala108Thr)") == "p.(Ala108Thr)"
    assert normalise_hgvsp("p.(R248*)") == "p.(Arg248Ter)"
    assert normalise_hgvsp("ENSP00000355225.2:p.(Ala108Thr)", strip_parentheses=True) == "p.Ala108Thr"


def test_annotation_and_kb_call_the_one_normaliser():
    assert annotation.normalise_hgvsp is aminoacids.normalise_hgvsp
    assert kb.normalise_hgvsp("ENSP00000355225.2:p.(Ala108Thr)") == "p.Ala108Thr"
    assert kb.normalise_hgvsp("p.R273H") == annotation.normalise_hgvsp("p.R273H") == "p.Arg273His"


def test_kb_psmb5_mapping_uses_the_table():
    assert kb.psmb5_mature_to_hgvs("A49T") == "p.Ala108Thr"
    assert kb.psmb5_mature_to_hgvs("Ala49Thr") == "p.Ala108Thr"
    assert kb.ONE_TO_THREE is aminoacids.ONE_TO_THREE and kb._AA3 == aminoacids.THREE_LETTER
    for one, three in ONE_TO_THREE.items():
        if one != "*":
            assert kb.psmb5_mature_to_hgvs(f"{one}49T") == f"p.{three}108Thr"
