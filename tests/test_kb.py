"""Therapy-relevance knowledge base: the shipped table, its validation, matching and the therapy view."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from mmrisk import kb
from mmrisk.cnv import GeneState
from mmrisk.lesions import LesionCall
from mmrisk.settings import Settings
from mmrisk.snv import SmallVariant
from mmrisk.clinical import DRUG_CLASSES
from mmrisk.errors import InputError
from mmrisk.tables import load_schema, read_tsv, validate_rows

KB = kb.load_knowledge_base()
COLUMNS = ("id", "gene_or_lesion", "match_kind", "match", "alias", "drug_class", "effect", "evidence",
           "source_kind", "citations", "note")
CITE = "Example et al., Test J 2020; PMID 123"


FLOOR = Settings.defaults().snv.vaf_floor


def var(gene: str, hgvsp: str | None, csq: list[str], vaf: float | None = 0.3,
        flags: list[str] | None = None) -> SmallVariant:
    return SmallVariant(gene=gene, chrom="1", pos=1, ref="A", alt="T", consequence=csq, hgvsp=hgvsp, vaf=vaf,
                        depth=100, filter="PASS", flags=flags or [], record="t.vcf:1")


def gstates(spec: dict[str, dict] | None) -> dict[str, GeneState] | None:
    """Gene copy states from ``{gene: {"state": ..., "copies": ...}}``."""
    if spec is None:
        return None
    return {g: GeneState(g, d["state"], copies=d.get("copies")) for g, d in spec.items()}


def lcalls(spec: dict[str, dict] | None) -> dict[str, LesionCall] | None:
    """Merged lesion calls from ``{lesion: {"status": ..., "fraction": ..., "sources": [...]}}``."""
    if spec is None:
        return None
    return {lid: LesionCall(lid, d["status"], fraction=d.get("fraction"), sources=list(d.get("sources") or []))
            for lid, d in spec.items()}


class Found(list):
    """The findings as risk.json writes them, with the typed records kept for the therapy view."""

    def __init__(self, findings: list) -> None:
        super().__init__(f.to_json() for f in findings)
        self.findings = findings


def match(k, variants, gene_states, lesions, vaf_floor: float = FLOOR) -> Found:
    return Found(kb.match(k, variants, gstates(gene_states), lcalls(lesions), vaf_floor=vaf_floor))


def view_of(found, lesions, history, **kw) -> list[dict]:
    findings = found.findings if isinstance(found, Found) else []
    gs = kw.pop("gene_states", None)
    rows = kb.therapy_view(findings, lcalls(lesions), (history or {}).get("by_class"), gene_states=gstates(gs), **kw)
    return [r.to_json() for r in rows]


def write_kb(tmp_path: Path, *rows: dict[str, str], header: str = "# version: 9.9.9  date: 2026-01-01\n") -> Path:
    p = tmp_path / "kb.tsv"
    lines = [header, "\t".join(COLUMNS)]
    for r in rows:
        full = {"alias": "", "note": "", "drug_class": "", "source_kind": "primary", **r}
        lines.append("\t".join(full.get(c, "") for c in COLUMNS))
    p.write_text("\n".join(lines) + "\n")
    return p


def row(**kw: str) -> dict[str, str]:
    base = {"id": "R1", "gene_or_lesion": "NRAS", "match_kind": "codon", "match": "p.Gly12",
            "drug_class": "proteasome_inhibitor", "effect": "resistance", "evidence": "clinical", "citations": CITE}
    return {**base, **kw}


# --- the shipped table ---------------------------------------------------------------------------


def test_version_and_date():
    assert KB.version == "1.5.0" and KB.date == "2026-12-03"


def test_shipped_rows_validate_against_schema():
    table = read_tsv(kb.DEFAULT_KB)
    rows, problems = validate_rows(table, load_schema("knowledge_base"))
    assert problems == [] and len(rows) == len(KB.rules) >= 8
    Draft202012Validator.check_schema(load_schema("knowledge_base"))


def test_every_row_has_a_complete_citation():
    for rule in KB.rules:
        assert rule.citations, rule.id
        for c in rule.citations:
            assert kb.citation_complete(c), (rule.id, c)
            author_journal_year, *ids = [p.strip() for p in c.split(";")]
            assert " et al., " in author_journal_year and author_journal_year[-4:].isdigit()
            assert any(i.startswith(("PMID ", "DOI 10.")) for i in ids)


def test_drug_classes_are_contract_vocabulary():
    for rule in KB.rules:
        assert rule.drug_class in DRUG_CLASSES or (rule.drug_class is None and rule.effect == "prognostic")


# --- validation errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("bad, needle", [
    (row(drug_class="cd38_magic"), "drug_class"),
    (row(gene_or_lesion="NOTAGENE"), "gene not in the panel"),
    (row(gene_or_lesion="t(9;22)", match_kind="lesion", match="t(9;22)"), "unknown lesion id"),
    (row(citations="Example et al., Test J 2020"), "citations"),
    (row(citations="Some paper; PMID 1"), "citations"),
    (row(match="Gly12"), "not a codon"),
    (row(drug_class="", effect="resistance"), "drug class is required"),
])
def test_bad_rows_rejected_with_clear_message(tmp_path, bad, needle):
    p = write_kb(tmp_path, bad)
    with pytest.raises(InputError) as ei:
        kb.load_knowledge_base(p)
    text = str(ei.value)
    assert needle in text and str(p) in text and "line" in text


def test_unknown_drug_class_lists_allowed(tmp_path):
    with pytest.raises(InputError) as ei:
        kb.load_knowledge_base(write_kb(tmp_path, row(drug_class="cd38_magic")))
    assert "cd38_magic" in str(ei.value) and "proteasome_inhibitor" in str(ei.value)


def test_missing_version_header_rejected(tmp_path):
    with pytest.raises(InputError, match="version"):
        kb.load_knowledge_base(write_kb(tmp_path, row(), header="# no version here\n"))


def test_duplicate_ids_rejected(tmp_path):
    with pytest.raises(InputError, match="duplicated"):
        kb.load_knowledge_base(write_kb(tmp_path, row(), row()))


# --- matching: each shipped rule fires and stays silent on near misses ----------------------------


@pytest.mark.parametrize("hgvsp", ["p.Gly12Asp", "p.Gly13Arg", "p.Gln61Lys"])
def test_nras_hotspots_fire(hgvsp):
    f = match(KB, [var("NRAS", hgvsp, ["missense_variant"])], None, None)
    assert [x["drug_classes"] for x in f] == [["proteasome_inhibitor"]]
    assert f[0]["effect"] == "resistance" and f[0]["source"] == "SNV" and f[0]["references"]


@pytest.mark.parametrize("v", [
    var("NRAS", "p.Gly60Arg", ["missense_variant"]),          # same gene, other codon
    var("NRAS", "p.Gly120Asp", ["missense_variant"]),         # codon prefix must not match 12x
    var("NRAS", "p.Gly12=", ["synonymous_variant"]),          # synonymous
    var("HRAS", "p.Gly12Asp", ["missense_variant"]),          # other gene
    var("NRAS", "p.Gln61Lys", ["missense_variant"], vaf=0.02),  # below floor
    var("NRAS", "p.Gln61Lys", ["missense_variant"], flags=["polymorphism"]),
    var("NRAS", "p.Gln61Lys", ["missense_variant"], flags=["benign_list"]),
])
def test_nras_near_misses_silent(v):
    assert match(KB, [v], None, None) == []


def test_below_floor_reported_apart():
    v = var("NRAS", "p.Gln61Lys", ["missense_variant"], vaf=0.02)
    res = kb.match_all(KB, [v], None, None, vaf_floor=0.05)
    assert res.findings == [] and [x.rule.id for x in res.below_floor] == ["NRAS_Q61_PI"]
    assert res.variant_matches == {0: ["NRAS_Q61_PI (below VAF floor)"]}
    assert match(KB, [v], None, None, vaf_floor=0.01)  # a lower floor lets it through


def test_tp53_truncating_and_missense_prognostic():
    f = match(KB, [var("TP53", "p.Arg196Ter", ["stop_gained"]), var("TP53", "p.Arg248Gln", ["missense_variant"])],
                 None, None)
    assert sorted(x["rule_id"] for x in f) == ["TP53_MISSENSE_PROG", "TP53_TRUNC_PROG"]
    assert all(x["effect"] == "prognostic" and x["drug_classes"] == [] for x in f)
    assert match(KB, [var("TP53", "p.Arg248=", ["synonymous_variant"])], None, None) == []
    assert match(KB, [var("TP53", "p.Arg248Gln", ["missense_variant"], flags=["polymorphism"])], None, None) == []


def test_biallelic_deletions():
    gs = {"TNFRSF17": {"gene": "TNFRSF17", "state": "biallelic_deletion", "copies": 0.0},
          "TP53": {"gene": "TP53", "state": "biallelic_deletion", "copies": 0.1}}
    f = match(KB, None, gs, None)
    assert sorted(x["rule_id"] for x in f) == ["TNFRSF17_BIALLELIC_BCMA", "TP53_BIALLELIC_PROG",
                                               "TP53_DOUBLE_HIT_PROG"]
    assert all(x["source"] == "CNV" for x in f if x["rule_id"] != "TP53_DOUBLE_HIT_PROG")
    for state in ("deletion", "neutral", "gain", "not_covered"):
        assert match(KB, None, {"TNFRSF17": {"gene": "TNFRSF17", "state": state, "copies": 1.0}}, None) == []


def test_bcma_and_gprc5d_rows_dropped_in_1_3_are_silent():
    """1.3.0 dropped TNFRSF17 truncating (Samur et al.) and GPRC5D biallelic loss (Lee et al.): citations not seen.
    1.4.0 ships Samur et al. as a biallelic rule only: a truncating TNFRSF17 variant without a lost allele is silent."""
    assert match(KB, [var("TNFRSF17", "p.Gln45Ter", ["stop_gained"])], None, None) == []
    assert match(KB, [var("TNFRSF17", "p.Arg27Pro", ["missense_variant"])], None, None) == []  # not shipped
    assert match(KB, None, {"GPRC5D": {"gene": "GPRC5D", "state": "biallelic_deletion", "copies": 0.0}}, None) == []


def test_t11_14_lesion():
    f = match(KB, None, None, {"t(11;14)": {"status": "present", "fraction": 0.8, "sources": ["FISH"]}})
    assert [(x["rule_id"], x["effect"], x["source"]) for x in f] == [("T11_14_BCL2", "sensitivity", "lesion")]
    for status in ("absent", "not_assessed"):
        assert match(KB, None, None, {"t(11;14)": {"status": status}}) == []
    f = match(KB, None, None, {"t(4;14)": {"status": "present"}})  # only the FGFR-inhibitor negative note
    assert [(x["rule_id"], x["effect"]) for x in f] == [("T4_14_FGFR_NEG", "negative")]


def test_every_shipped_rule_can_fire():
    fired = set()
    examples = {"codon": lambda r: var(r.gene_or_lesion, r.match + "Val", ["missense_variant"]),
                "hgvsp": lambda r: var(r.gene_or_lesion, r.match, ["missense_variant"]),
                "consequence_class": lambda r: var(r.gene_or_lesion, "p.Arg100Ter" if "trunc" in r.match else
                                                   "p.Arg100Gln", ["stop_gained"] if "trunc" in r.match else
                                                   ["missense_variant"])}
    for r in KB.rules:
        if r.match_kind in examples:
            f = match(KB, [examples[r.match_kind](r)], None, None)
        elif r.match_kind == "biallelic":
            f = match(KB, [var(r.gene_or_lesion, "p.Arg100Ter", ["stop_gained"])],
                      {r.gene_or_lesion: {"state": "deletion", "copies": 1.0}}, None)
        elif r.match_kind == "double_hit":
            f = match(KB, None, {"TP53": {"state": "biallelic_deletion", "copies": 0.0}}, None)
        elif r.match_kind in kb.CNV_KINDS:
            f = match(KB, None, {r.gene_or_lesion: {"state": "biallelic_deletion", "copies": 0.0}}, None)
        else:
            f = match(KB, None, None, {r.gene_or_lesion: {"status": "present"}})
        fired |= {x["rule_id"] for x in f}
    assert fired == {r.id for r in KB.rules}


@pytest.mark.parametrize("hgvsp,alias", [("p.Ala108Thr", "A49T"), ("p.Ala108Val", "A49V"), ("p.Ala109Val", "A50V")])
def test_shipped_psmb5_rules_fire_with_their_mature_alias(hgvsp, alias):
    found = match(KB, [var("PSMB5", hgvsp, ["missense_variant"])], None, None)
    # every PSMB5 missense also carries the negative note of 1.5.0 (tests/test_kb_rules_15.py)
    f = [x for x in found if x["effect"] != "negative"]
    assert [x["drug_classes"] for x in f] == [["proteasome_inhibitor"]]
    assert f[0]["evidence"] == "preclinical" and f[0]["alias"].startswith(alias)
    assert "PMID 19426847" in f[0]["references"][0]


def test_shipped_psmb5_aliases_agree_with_the_numbering():
    rows = [r for r in KB.rules if r.gene_or_lesion == "PSMB5" and r.match_kind == "hgvsp"]
    assert len(rows) == 3
    for r in rows:
        assert kb.psmb5_mature_to_hgvs(r.alias.split(" ")[0]) == r.match, r.id


@pytest.mark.parametrize("v", [
    var("PSMB5", "p.Ala108Ser", ["missense_variant"]),          # same codon, other change
    var("PSMB5", "p.Ala110Val", ["missense_variant"]),          # next codon
    var("PSMB5", "p.Ala108=", ["synonymous_variant"]),          # synonymous
    var("PSMB5", "p.Ala108Thr", ["missense_variant"], vaf=0.02),  # below floor
    var("PSMB8", "p.Ala108Thr", ["missense_variant"]),          # other gene
])
def test_shipped_psmb5_near_misses_silent(v):
    # the preclinical change rules stay silent; a PSMB5 missense still gets the 1.5.0 negative note only
    assert [x["rule_id"] for x in match(KB, [v], None, None) if x["effect"] != "negative"] == []


# --- hgvsp rules, ranges and the PSMB5 alias (on a test table) ------------------------------------


def test_psmb5_mature_numbering():
    assert kb.psmb5_mature_to_hgvs("A49T") == "p.Ala108Thr"
    assert kb.psmb5_mature_to_hgvs("Ala50Val") == "p.Ala109Val"
    assert kb.psmb5_mature_to_hgvs("C52F") == "p.Cys111Phe"
    assert kb.psmb5_mature_to_hgvs("M45I") == "p.Met104Ile"
    assert kb.hgvs_to_psmb5_mature("p.Ala108Thr") == "Ala49Thr"


def test_hgvsp_rule_alias_and_near_misses(tmp_path):
    p = write_kb(tmp_path, row(id="PSMB5_A49T", gene_or_lesion="PSMB5", match_kind="hgvsp", match="p.Ala108Thr",
                               alias="A49T (mature beta5)"),
                 row(id="GPRC5D_MS", gene_or_lesion="GPRC5D", match_kind="consequence_class", match="missense:20-54",
                     drug_class="gprc5d_directed", evidence="preclinical"))
    k = kb.load_knowledge_base(p)
    assert k.version == "9.9.9"
    f = match(k, [var("PSMB5", "ENSP00000355225.2:p.(Ala108Thr)", ["missense_variant"], vaf=0.18)], None, None)
    assert f[0]["alias"] == "A49T (mature beta5)" and f[0]["alteration"] == "p.Ala108Thr" and f[0]["vaf"] == 0.18
    assert match(k, [var("PSMB5", "p.Ala109Val", ["missense_variant"])], None, None) == []  # other codon
    assert match(k, [var("PSMB5", "p.Ala108=", ["synonymous_variant"])], None, None) == []
    assert match(k, [var("GPRC5D", "p.Arg30Gln", ["missense_variant"])], None, None)
    assert match(k, [var("GPRC5D", "p.Arg60Gln", ["missense_variant"])], None, None) == []  # outside range
    assert match(k, [var("GPRC5D", "p.Arg30=", ["synonymous_variant"])], None, None) == []
    view = view_of(f, {}, None, kb=k, inputs_read={"SNV"})
    pi = next(r for r in view if r["drug_class"] == "proteasome_inhibitor")
    assert pi["status"] == "reduced_sensitivity" and pi["basis"] == ["PSMB5 p.Ala108Thr (A49T (mature beta5))"]


# --- therapy view ---------------------------------------------------------------------------------


def test_therapy_view_lists_every_class_with_history_and_assessment():
    lesions = {"t(11;14)": {"status": "present", "sources": ["FISH"]}}
    f = match(KB, [var("NRAS", "p.Gln61Arg", ["missense_variant"])], {}, lesions)
    history = {"by_class": {dc: "not_exposed" for dc in DRUG_CLASSES} | {"proteasome_inhibitor": "refractory"}}
    view = view_of(f, lesions, history, kb=KB, inputs_read={"SNV"})
    assert [r["drug_class"] for r in view] == list(DRUG_CLASSES)
    by = {r["drug_class"]: r for r in view}
    assert by["proteasome_inhibitor"]["status"] == "reduced_sensitivity"
    assert by["proteasome_inhibitor"]["basis"] == ["NRAS p.Gln61Arg (Q61)"]
    assert by["proteasome_inhibitor"]["history"] == "refractory"
    assert by["bcl2_inhibitor"]["status"] == "possible_benefit" and by["bcl2_inhibitor"]["basis"]
    assert by["anti_cd38"]["status"] == "no_finding" and by["anti_cd38"]["assessed"] is False
    # gprc5d_directed has no rule in 1.3.0: not covered, distinct from "covered, nothing found"
    assert by["gprc5d_directed"]["status"] == "no_finding" and by["gprc5d_directed"]["coverage"] == "not_covered"
    assert by["gprc5d_directed"]["rules"] == 0 and by["gprc5d_directed"]["covers"] == []
    # bcma_directed has a CNV rule only (TNFRSF17 biallelic loss): no CNV input -> not assessed
    assert by["bcma_directed"]["coverage"] == "not_assessed" and by["bcma_directed"]["assessed"] is False
    # braf_mek_inhibitor has a small-variant rule (BRAF p.Val600Glu): covered, nothing found
    assert by["braf_mek_inhibitor"]["coverage"] == "assessed" and by["braf_mek_inhibitor"]["status"] == "no_finding"
    assert by["braf_mek_inhibitor"]["covers"] == ["BRAF p.Val600Glu (hgvsp, investigational, investigational, primary)"]


def test_therapy_view_without_inputs_is_not_assessed_and_history_unknown():
    view = view_of([], {}, None, kb=KB)
    assert len(view) == len(DRUG_CLASSES)
    assert all(r["status"] == "no_finding" and r["assessed"] is False and r["history"] == "unknown" for r in view)


def test_therapy_view_cnv_coverage_decides_assessment():
    covered = view_of([], {}, None, kb=KB, inputs_read={"CNV"},
                              gene_states={"TNFRSF17": {"state": "neutral"}})
    uncovered = view_of([], {}, None, kb=KB, inputs_read={"CNV"},
                                gene_states={"TNFRSF17": {"state": "not_covered"}})
    get = lambda v: next(r for r in v if r["drug_class"] == "bcma_directed")  # noqa: E731
    assert get(covered)["assessed"] is True and get(covered)["assessed_by"] == ["CNV"]
    assert get(uncovered)["assessed"] is False


# --- kb_match of variants.tsv ---------------------------------------------------------------------


def test_kb_match_names_every_rule_a_variant_matched(demo_run):
    """Every SNV finding's rule stands in kb_match of its variant's row, and only matched rows carry one."""
    import csv
    import json

    checked = 0
    for folder in sorted((demo_run / "samples").iterdir()):
        if not (folder / "risk.json").exists():
            continue
        doc = json.loads((folder / "risk.json").read_text())
        with open(folder / "variants.tsv", newline="") as fh:
            rows = {r["record"]: r for r in csv.DictReader(fh, delimiter="\t")}
        matched: dict[str, set[str]] = {}
        for f in doc["findings"]:
            if f["source"] == "SNV":
                matched.setdefault(f["origin"], set()).add(f["rule_id"])
        for f in doc["findings_below_vaf_floor"]:
            matched.setdefault(f["origin"], set()).add(f["rule_id"] + kb.BELOW_FLOOR_MARK)
        for record, row in rows.items():
            got = set() if row["kb_match"] == "NA" else set(row["kb_match"].split(";"))
            assert got == matched.get(record, set()), (folder.name, record)
            checked += bool(got)
    assert checked >= 5
    with open(demo_run / "samples" / "DEMO-18" / "variants.tsv", newline="") as fh:
        nras = [r for r in csv.DictReader(fh, delimiter="\t") if r["gene"] == "NRAS"]
    assert [r["kb_match"] for r in nras] == ["NRAS_Q61_PI"]
