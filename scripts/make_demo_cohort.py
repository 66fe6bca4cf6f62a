#!/usr/bin/env python3
"""Write the bundled demo cohort: deterministic, from the scenarios below.

    python scripts/make_demo_cohort.py            # (re)writes resources/demo/ and config/samples.tsv
    python scripts/make_demo_cohort.py --check    # exits 1 if the committed files differ

Each scenario is a fictional sample built to reach one outcome of the risk
systems (DOMAIN.md); together they reach every one: high risk by each IMS/IMWG
2025 criterion, standard, not evaluable, every ISS, R-ISS and R2-ISS stage,
and a treatment history of each refractoriness class. The outcome each one was
designed for is written to ``resources/demo/expected.tsv``, worked out by hand
from the published definitions (see the ``why`` of each scenario), so the
workflow tests compare the workflow against the definitions, not against
itself. FISH rows use a mix of lesion ids, lab synonyms and ISCN strings, as
labs write them.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # demo_sequencing beside this script
DEMO = ROOT / "resources" / "demo"
SHEET = ROOT / "config" / "samples.tsv"

FISH_COLUMNS = ("sample", "target", "result", "percent", "copies", "cells_scored", "probe", "iscn", "comment")
CLINICAL_COLUMNS = ("sample", "b2m_mg_l", "albumin_g_dl", "albumin_g_l", "ldh_u_l", "ldh_uln_u_l", "ldh_high",
                    "creatinine_mg_dl", "exposed_to", "refractory_to", "prior_lines", "mrd", "mrd_method",
                    "mrd_sensitivity", "m_protein_g_dl", "involved_flc_mg_l", "involved_flc_chain")
SHEET_COLUMNS = ("sample", "patient", "timepoint", "collection_date", "build", "fish", "snv_vcf", "sv_vcf", "cnv",
                 "tumor_column", "purity")
LINES_COLUMNS = ("patient", "line", "drugs", "start", "end", "best_response", "progression_date", "reason_stopped")
# Patient DP17's lines of therapy (fictional). At DEMO-17 (diagnosis, 2023-03-14) no line had started; at
# DEMO-18 (2025-01-20) line 1 had progressed 21 days after its last dose (within 60: refractory after a
# VGPR, so relapsed and refractory, double refractory); at DEMO-19 (2025-09-02) line 2 had progressed 19 days
# after its last dose (relapsed and refractory; triple-class: bortezomib, lenalidomide, daratumumab, without
# carfilzomib no penta); line 3 starts after DEMO-19 and is not counted there.
TREATMENT_LINES: tuple[dict[str, str], ...] = (
    {"patient": "DP17", "line": "1", "drugs": "bortezomib;lenalidomide;dexamethasone", "start": "2023-03-20",
     "end": "2024-12-20", "best_response": "VGPR", "progression_date": "2025-01-10", "reason_stopped": "progression"},
    {"patient": "DP17", "line": "2", "drugs": "daratumumab;pomalidomide;dexamethasone", "start": "2025-01-27",
     "end": "2025-08-01", "best_response": "PR", "progression_date": "2025-08-20", "reason_stopped": "progression"},
    {"patient": "DP17", "line": "3", "drugs": "carfilzomib;selinexor;dexamethasone", "start": "2025-09-10",
     "end": "", "best_response": "MR", "progression_date": "", "reason_stopped": ""},
    # DP08: primary refractory (stable disease, then progression on therapy, on the only line before DEMO-08).
    {"patient": "DP08", "line": "1", "drugs": "daratumumab;bortezomib;dexamethasone", "start": "2023-12-04",
     "end": "2024-04-30", "best_response": "SD", "progression_date": "2024-04-22", "reason_stopped": "progression"},
    # DP20: the MRD series. Line 1 reached CR (MRD negative at DEMO-21), progression 288 days after its last
    # dose (relapsed, not refractory) before DEMO-22; line 2 starts after DEMO-22 and is ongoing.
    {"patient": "DP20", "line": "1", "drugs": "daratumumab;bortezomib;lenalidomide;dexamethasone",
     "start": "2023-06-20", "end": "2024-06-30", "best_response": "CR", "progression_date": "2025-04-14",
     "reason_stopped": "completed"},
    {"patient": "DP20", "line": "2", "drugs": "carfilzomib;pomalidomide;dexamethasone", "start": "2025-05-12",
     "end": "", "best_response": "VGPR", "progression_date": "", "reason_stopped": ""},
)
EXPECTED_COLUMNS = ("sample", "status", "imwg2025", "imwg2025_criteria", "msmart3", "iss", "riss", "r2iss",
                    "r2iss_score", "refractory", "why")

# Negative results for the lesions a complete myeloma FISH panel tests (plus a TP53 sequencing result).
NEG_PANEL = {
    "t(4;14)": "IGH::FGFR3",
    "t(14;16)": "IGH::MAF",
    "t(14;20)": "IGH/MAFB",
    "del(17p)": "TP53/CEP17",
    "gain(1q)": "CKS1B",
    "del(1p32)": "CDKN2C",
    "TP53_mutation": "TP53_mutation",
}


@dataclass
class Scenario:
    sample: str
    patient: str
    timepoint: str
    date: str
    why: str
    fish: list[dict[str, str]]
    clinical: dict[str, str] | None
    expect: dict[str, str]
    negatives: tuple[str, ...] = tuple(NEG_PANEL)  # lesions of NEG_PANEL written as negative rows
    sheet_extra: dict[str, str] = field(default_factory=dict)


def pos(target: str, percent: float, copies: int | None = None, **kw: str) -> dict[str, str]:
    row = {"target": target, "result": "positive", "percent": f"{percent:g}", "cells_scored": "200"}
    if copies is not None:
        row["copies"] = str(copies)
    row.update(kw)
    return row


def iscn(text: str, **kw: str) -> dict[str, str]:
    return {"iscn": text, **kw}


LABS_NORMAL = {"b2m_mg_l": "2.1", "albumin_g_dl": "4.0", "ldh_u_l": "180", "ldh_uln_u_l": "250",
               "creatinine_mg_dl": "0.8"}

SCENARIOS: list[Scenario] = [
    Scenario(
        "DEMO-01", "DP01", "diagnosis", "2024-01-15",
        "IMWG criterion 1: del(17p) in 45% > 20%. ISS I (b2M 2.8 < 3.5, albumin 4.1 >= 3.5); "
        "R-ISS II (ISS I but high-risk CA); R2-ISS 1 point (del17p) = II; mSMART high (del17p).",
        [pos("17p-", 45, 1, probe="TP53/CEP17")],
        {"b2m_mg_l": "2.8", "albumin_g_dl": "4.1", "ldh_high": "false", "creatinine_mg_dl": "0.9",
         "exposed_to": "", "refractory_to": "", "prior_lines": "0"},
        {"status": "ok", "imwg2025": "high", "imwg2025_criteria": "del(17p) in > 20% of tumour cells",
         "msmart3": "high", "iss": "I", "riss": "II", "r2iss": "II", "r2iss_score": "1",
         "refractory": "not_refractory"},
        negatives=tuple(k for k in NEG_PANEL if k != "del(17p)"),
    ),
    Scenario(
        "DEMO-02", "DP02", "diagnosis", "2024-02-03",
        "IMWG criterion 2: t(4;14) with gain(1q) (3 copies). ISS II (b2M 4.2); R-ISS II; "
        "R2-ISS 1 (ISS II) + 1 (t(4;14)) + 0.5 (1q) = 2.5 = III; mSMART double hit; refractory to lenalidomide.",
        [pos("t(4;14)(p16;q32)", 62, probe="IGH/FGFR3 dual fusion"), pos("1q21 gain", 45, 3, probe="CKS1B/CDKN2C")],
        {"b2m_mg_l": "4.2", "albumin_g_l": "32", "ldh_u_l": "210", "ldh_uln_u_l": "250",
         "creatinine_mg_dl": "1.0", "exposed_to": "Revlimid;dexamethasone", "refractory_to": "lenalidomide",
         "prior_lines": "1"},
        {"status": "ok", "imwg2025": "high", "imwg2025_criteria": "t(4;14) with gain(1q)",
         "msmart3": "high", "iss": "II", "riss": "II", "r2iss": "III", "r2iss_score": "2.5",
         "refractory": "refractory"},
        negatives=tuple(k for k in NEG_PANEL if k not in ("t(4;14)", "gain(1q)")),
    ),
    Scenario(
        "DEMO-03", "DP03", "relapse1", "2023-11-20",
        "IMWG criterion 3: biallelic del(1p32) (0 copies). ISS III (b2M 6.1 >= 5.5); criterion 4 not met "
        "(creatinine 1.5 >= 1.2); R-ISS III (ISS III and high LDH); R2-ISS 1.5 + 1 (LDH) = 2.5 = III; "
        "mSMART high via R-ISS III; double refractory (bortezomib, lenalidomide).",
        [pos("CDKN2C", 38, 0, probe="CDKN2C/CKS1B")],
        {"b2m_mg_l": "6.1", "albumin_g_dl": "3.0", "ldh_u_l": "410", "ldh_uln_u_l": "250",
         "creatinine_mg_dl": "1.5", "exposed_to": "bortezomib;lenalidomide;dexamethasone",
         "refractory_to": "Velcade;lenalidomide", "prior_lines": "2"},
        {"status": "ok", "imwg2025": "high", "imwg2025_criteria": "biallelic del(1p32)",
         "msmart3": "high", "iss": "III", "riss": "III", "r2iss": "III", "r2iss_score": "2.5",
         "refractory": "double_refractory"},
        negatives=tuple(k for k in NEG_PANEL if k != "del(1p32)"),
    ),
    Scenario(
        "DEMO-04", "DP04", "relapse2", "2024-03-08",
        "IMWG criterion 3: monoallelic del(1p32) with amp(1q) (4 copies), from one ISCN string. ISS I; "
        "R-ISS I (no R-ISS CA, normal LDH); R2-ISS 0.5 (1q) = II; mSMART high (gain(1q)); "
        "triple-class refractory (carfilzomib, pomalidomide, daratumumab).",
        [iscn("nuc ish(CDKN2Cx1,CKS1Bx4)[110/200]", probe="CDKN2C/CKS1B")],
        {"b2m_mg_l": "3.0", "albumin_g_dl": "3.8", "ldh_high": "false", "creatinine_mg_dl": "0.8",
         "exposed_to": "bortezomib;lenalidomide", "refractory_to": "carfilzomib;pomalidomide;daratumumab",
         "prior_lines": "3"},
        {"status": "ok", "imwg2025": "high", "imwg2025_criteria": "monoallelic del(1p32) with gain(1q)",
         "msmart3": "high", "iss": "I", "riss": "I", "r2iss": "II", "r2iss_score": "0.5",
         "refractory": "triple_class_refractory"},
        negatives=tuple(k for k in NEG_PANEL if k not in ("del(1p32)", "gain(1q)")),
    ),
    Scenario(
        "DEMO-05", "DP05", "relapse3", "2024-04-22",
        "IMWG criterion 4: b2M 7.2 >= 5.5 with creatinine 0.9 < 1.2; all genetic lesions absent. ISS III; "
        "R-ISS II (ISS III, no CA, normal LDH); R2-ISS 1.5 = III; mSMART standard (no genetic factor, "
        "R-ISS not III); penta-refractory.",
        [],
        {"b2m_mg_l": "7.2", "albumin_g_dl": "3.4", "ldh_u_l": "200", "ldh_uln_u_l": "250",
         "creatinine_mg_dl": "0.9",
         "exposed_to": "bortezomib;carfilzomib;lenalidomide;pomalidomide;daratumumab;isatuximab",
         "refractory_to": "bortezomib;carfilzomib;lenalidomide;pomalidomide;Darzalex", "prior_lines": "5"},
        {"status": "ok", "imwg2025": "high",
         "imwg2025_criteria": "β2-microglobulin ≥ 5.5 mg/L with creatinine < 1.2 mg/dL",
         "msmart3": "standard", "iss": "III", "riss": "II", "r2iss": "III", "r2iss_score": "1.5",
         "refractory": "penta_refractory"},
    ),
    Scenario(
        "DEMO-06", "DP06", "diagnosis", "2024-05-02",
        "Standard risk: every IMWG criterion evaluated and none met (TP53 sequenced, wild type); t(11;14) "
        "is a standard-risk marker. ISS I, R-ISS I, R2-ISS 0 = I, mSMART standard; not refractory.",
        [pos("IGH::CCND1", 40, probe="IGH/CCND1 dual fusion")],
        {**LABS_NORMAL, "exposed_to": "", "refractory_to": "", "prior_lines": "0"},
        {"status": "ok", "imwg2025": "standard", "imwg2025_criteria": "", "msmart3": "standard",
         "iss": "I", "riss": "I", "r2iss": "I", "r2iss_score": "0", "refractory": "not_refractory"},
    ),
    Scenario(
        "DEMO-07", "DP07", "diagnosis", "2024-05-19",
        "Not evaluable: FISH without 1p32 and no TP53 result, no clinical row (so no labs, no history): "
        "no IMWG criterion met and several unknown; no stage computable; refractoriness unknown.",
        [iscn("nuc ish(IGHx2)[200]", probe="IGH break-apart"), iscn("nuc ish(TP53,D17Z1)x2[200]"),
         {"target": "+1q", "result": "negative", "cells_scored": "200"}],
        None,
        {"status": "ok", "imwg2025": "not_evaluable", "imwg2025_criteria": "", "msmart3": "not_evaluable",
         "iss": "NA", "riss": "NA", "r2iss": "NA", "r2iss_score": "NA", "refractory": "NA"},
        negatives=(),
    ),
    Scenario(
        "DEMO-08", "DP08", "relapse1", "2024-06-11",
        "del(17p) in exactly 20%: positive by the EMN 20% cut-off (R-ISS, R2-ISS, mSMART count it) but not "
        "> 20% for IMWG criterion 1; high by criterion 2 (t(4;14) with gain(1q)); criterion 4 not met (creatinine "
        "1.4 >= 1.2). ISS III (b2M 8.0), R-ISS III, "
        "R2-ISS 1.5 + 1 + 1 + 1 + 0.5 = 5 = IV; mSMART triple hit. Primary refractory: its only line "
        "(daratumumab-bortezomib-dexamethasone) reached stable disease and progressed on therapy, so no line "
        "reached a minimal response; refractory to daratumumab, bortezomib and dexamethasone (a proteasome "
        "inhibitor and an anti-CD38 antibody without an IMiD: refractory, not double refractory).",
        [pos("FGFR3/IGH", 70), pos("TP53 deletion", 20, 1), pos("gain(1q)", 50, 3)],
        {"b2m_mg_l": "8.0", "albumin_g_dl": "2.9", "ldh_high": "true", "creatinine_mg_dl": "1.4",
         "exposed_to": "daratumumab;bortezomib;dexamethasone", "refractory_to": "daratumumab;bortezomib;dexamethasone",
         "prior_lines": "1", "m_protein_g_dl": "3.6"},
        {"status": "ok", "imwg2025": "high", "imwg2025_criteria": "t(4;14) with gain(1q)", "msmart3": "high",
         "iss": "III", "riss": "III", "r2iss": "IV", "r2iss_score": "5", "refractory": "refractory"},
        negatives=("t(14;16)", "t(14;20)", "del(1p32)", "TP53_mutation"),
    ),
    Scenario(
        "DEMO-09", "DP09", "diagnosis", "2024-07-01",
        "IMWG criterion 2 from ISCN: t(14;16) (IGH con MAF) with monoallelic del(1p32). ISS II (b2M 5.0); "
        "R-ISS II; R2-ISS 1 = II; mSMART high (t(14;16)); not refractory.",
        [iscn("nuc ish(IGH,MAF)x3(IGH con MAFx2)[96/200]", probe="IGH/MAF dual fusion"),
         iscn("nuc ish(CDKN2Cx1,CKS1Bx2)[70/200]", probe="CDKN2C/CKS1B")],
        {"b2m_mg_l": "5.0", "albumin_g_dl": "3.6", "ldh_u_l": "250", "ldh_uln_u_l": "250",
         "creatinine_mg_dl": "1.1", "exposed_to": "none", "refractory_to": "none", "prior_lines": "0"},
        {"status": "ok", "imwg2025": "high", "imwg2025_criteria": "t(14;16) with del(1p32)", "msmart3": "high",
         "iss": "II", "riss": "II", "r2iss": "II", "r2iss_score": "1", "refractory": "not_refractory"},
        negatives=("t(4;14)", "t(14;20)", "del(17p)", "TP53_mutation"),
    ),
    Scenario(
        "DEMO-10", "DP10", "diagnosis", "2024-08-14",
        "Standard risk with hyperdiploidy (trisomies 5, 9, 15 by CEP probes), del(13q) and a MYC break-apart. "
        "ISS I, R-ISS I, R2-ISS I, mSMART standard; bortezomib exposure only: not refractory.",
        [iscn("nuc ish(D5Z2,D9Z1,D15Z4)x3[120/200]", probe="CEP5/CEP9/CEP15"),
         pos("13q-", 65, 1, probe="RB1/13q14"), pos("MYC break-apart", 22)],
        {"b2m_mg_l": "3.2", "albumin_g_dl": "3.9", "ldh_high": "no", "creatinine_mg_dl": "1.0",
         "exposed_to": "bortezomib", "refractory_to": "", "prior_lines": "1"},
        {"status": "ok", "imwg2025": "standard", "imwg2025_criteria": "", "msmart3": "standard", "iss": "I",
         "riss": "I", "r2iss": "I", "r2iss_score": "0", "refractory": "not_refractory"},
    ),
    Scenario(
        "DEMO-12", "DP12", "diagnosis", "2024-10-02",
        "Sequencing only (GRCh38, chr names, purity 0.8): Mutect2+VEP shows TP53 p.Arg248Gln (IMWG criterion 1) "
        "and the TP53 p.Pro72Arg polymorphism (flagged, not a mutation) and a filtered p.Arg175His; Manta shows an "
        "IGH-NSD2 junction, t(4;14); CNVkit shows 1q gained to 3 copies (criterion 2 with t(4;14)); 17p and 1p32 "
        "at 2 copies (absent). ISS I (b2M 3.0, albumin 4.0); R-ISS II (t(4;14)); R2-ISS 1 + 0.5 = 1.5 = III; "
        "mSMART triple hit (t(4;14), TP53 mutation, gain(1q)); refractory to bortezomib.",
        [],
        {"b2m_mg_l": "3.0", "albumin_g_dl": "4.0", "ldh_high": "false", "creatinine_mg_dl": "0.9",
         "exposed_to": "bortezomib;lenalidomide;dexamethasone", "refractory_to": "bortezomib", "prior_lines": "1"},
        {"status": "ok", "imwg2025": "high", "imwg2025_criteria": "TP53 mutation", "msmart3": "high", "iss": "I",
         "riss": "II", "r2iss": "III", "r2iss_score": "1.5", "refractory": "refractory"},
        negatives=(),
        sheet_extra={"fish": "", "snv_vcf": "../resources/demo/DEMO-12.snv.vcf.gz",
                     "sv_vcf": "../resources/demo/DEMO-12.sv.vcf.gz", "cnv": "../resources/demo/DEMO-12.cnv.cns",
                     "tumor_column": "DP12_tumor", "purity": "0.8"},
    ),
    Scenario(
        "DEMO-13", "DP13", "diagnosis", "2024-10-19",
        "FISH and sequencing disagree (GRCh37, no chr, purity 0.7): FISH TP53/CEP17 negative but GATK copy ratio "
        "shows 17p at 1 copy in ~97% of tumour cells, so del(17p) is present, discordant, and meets IMWG criterion "
        "1; t(11;14) by FISH and by a Delly IGH-CCND1 junction (concordant); SnpEff-annotated VarScan calls: NRAS "
        "p.Gln61Lys reported, TP53 p.Pro72Arg benign, so no TP53 mutation. ISS II (b2M 4.5); R-ISS II; R2-ISS 1 + 1 "
        "= 2 = III; mSMART high (del(17p)); not refractory.",
        [pos("IGH/CCND1", 45, probe="IGH/CCND1 dual fusion")],
        {"b2m_mg_l": "4.5", "albumin_g_dl": "3.8", "ldh_u_l": "190", "ldh_uln_u_l": "246", "creatinine_mg_dl": "1.0",
         "exposed_to": "", "refractory_to": "", "prior_lines": "0"},
        {"status": "ok", "imwg2025": "high", "imwg2025_criteria": "del(17p) in > 20% of tumour cells",
         "msmart3": "high", "iss": "II", "riss": "II", "r2iss": "III", "r2iss_score": "2",
         "refractory": "not_refractory"},
        negatives=("t(4;14)", "t(14;16)", "t(14;20)", "del(17p)", "gain(1q)", "del(1p32)"),
        sheet_extra={"build": "GRCh37", "snv_vcf": "../resources/demo/DEMO-13.snv.vcf",
                     "sv_vcf": "../resources/demo/DEMO-13.sv.vcf", "cnv": "../resources/demo/DEMO-13.cnv.seg",
                     "tumor_column": "TUMOR", "purity": "0.7"},
    ),
    Scenario(
        "DEMO-14", "DP14", "relapse2", "2024-11-05",
        "Sequencing only (GRCh38 without chr names, purity 0.65): GRIDSS breakends IGH-WWOX, t(14;16), and "
        "IGL-MYC; PURPLE copy number: 1q at 4 copies (amp), a homozygous deletion at CDKN2C (biallelic del(1p32)), "
        "chromosome 13 at 1 copy, trisomies 3, 5, 9, 15, 19, 21 (hyperdiploid). IMWG criteria 2 and 3; no small-"
        "variant file, so TP53 is not assessed (the call is high regardless). ISS III (b2M 5.8); R-ISS III "
        "(t(14;16)); R2-ISS 1.5 + 1 (LDH) + 0.5 (1q) = 3 = IV; mSMART double hit; triple-class refractory.",
        [],
        {"b2m_mg_l": "5.8", "albumin_g_dl": "3.1", "ldh_high": "true", "creatinine_mg_dl": "1.4",
         "exposed_to": "bortezomib;lenalidomide;daratumumab;dexamethasone",
         "refractory_to": "bortezomib;lenalidomide;daratumumab", "prior_lines": "3"},
        {"status": "ok", "imwg2025": "high", "imwg2025_criteria": "biallelic del(1p32)", "msmart3": "high",
         "iss": "III", "riss": "III", "r2iss": "IV", "r2iss_score": "3", "refractory": "triple_class_refractory"},
        negatives=(),
        sheet_extra={"fish": "", "sv_vcf": "../resources/demo/DEMO-14.sv.vcf",
                     "cnv": "../resources/demo/DEMO-14.cnv.tsv", "tumor_column": "DP14_tumor.bam", "purity": "0.65"},
    ),
    Scenario(
        "DEMO-15", "DP15", "diagnosis", "2024-11-12",
        "Long-read and unannotated inputs (GRCh37 with chr names): a Sniffles translocation IGH-MAFB, t(14;20); "
        "ASCAT segments of two samples in one file (this one picked by id) with 1q gained (3 copies): IMWG "
        "criterion 2. Strelka calls without annotation: the TP53 variant is reported with consequence unknown "
        "and a warning, TP53 is not assessed. No clinical row: no stage, refractoriness unknown.",
        [],
        None,
        {"status": "ok", "imwg2025": "high", "imwg2025_criteria": "t(14;20) with gain(1q)", "msmart3": "high",
         "iss": "NA", "riss": "NA", "r2iss": "NA", "r2iss_score": "NA", "refractory": "NA"},
        negatives=(),
        sheet_extra={"build": "GRCh37", "fish": "", "snv_vcf": "../resources/demo/DEMO-15.snv.vcf",
                     "sv_vcf": "../resources/demo/DEMO-15.sv.vcf", "cnv": "../resources/demo/DEMO-15.cnv.txt",
                     "tumor_column": "TUMOR"},
    ),
    Scenario(
        "DEMO-16", "DP16", "diagnosis", "2024-11-20",
        "A LUMPY translocation IGH-CCND3, t(6;14) (a standard-risk marker), and nothing else: the other IGH "
        "translocations are absent (the SV file was read) but copy number, TP53 and labs are unknown, so IMWG "
        "and mSMART are not evaluable and name what is missing.",
        [],
        None,
        {"status": "ok", "imwg2025": "not_evaluable", "imwg2025_criteria": "", "msmart3": "not_evaluable",
         "iss": "NA", "riss": "NA", "r2iss": "NA", "r2iss_score": "NA", "refractory": "NA"},
        negatives=(),
        sheet_extra={"fish": "", "sv_vcf": "../resources/demo/DEMO-16.sv.vcf", "tumor_column": "DP16_tumor"},
    ),
    # Patient DP17 at three timepoints (clonal evolution): diagnosis and first relapse sequenced, second
    # relapse by FISH only, so its small variants are "not assessed", never "not detected".
    Scenario(
        "DEMO-17", "DP17", "diagnosis", "2023-03-14",
        "Patient DP17 at diagnosis (Mutect2+VEP, purity 0.8, full FISH panel): t(11;14) in 70% (a standard-risk "
        "marker), NRAS p.Gln61Arg and a KRAS p.Gly12Asp subclone, TP53 wild type (only the p.Pro72Arg polymorphism); "
        "every IMWG criterion evaluated and none met: standard. ISS I (b2M 2.4, albumin 4.2); R-ISS I (normal LDH, "
        "no high-risk CA); R2-ISS 0 = I; mSMART standard; untreated.",
        [pos("t(11;14)", 70, probe="IGH/CCND1 dual fusion")],
        {"b2m_mg_l": "2.4", "albumin_g_dl": "4.2", "ldh_u_l": "190", "ldh_uln_u_l": "250", "creatinine_mg_dl": "0.8",
         "exposed_to": "", "refractory_to": "", "prior_lines": "0", "m_protein_g_dl": "3.1",
         "involved_flc_mg_l": "410", "involved_flc_chain": "kappa"},
        {"status": "ok", "imwg2025": "standard", "imwg2025_criteria": "", "msmart3": "standard", "iss": "I",
         "riss": "I", "r2iss": "I", "r2iss_score": "0", "refractory": "not_refractory"},
        negatives=("t(4;14)", "t(14;16)", "t(14;20)", "del(17p)", "gain(1q)", "del(1p32)"),
        sheet_extra={"snv_vcf": "../resources/demo/DEMO-17.snv.vcf", "tumor_column": "DP17_dx_tumor",
                     "purity": "0.8"},
    ),
    Scenario(
        "DEMO-18", "DP17", "relapse1", "2025-01-20",
        "Patient DP17 at first relapse after bortezomib-lenalidomide-dexamethasone (purity 0.85): del(17p) acquired "
        "in 55% and TP53 p.Arg175His acquired (IMWG criterion 1, standard -> high); PSMB5 p.Ala108Thr (mature A49T) "
        "acquired after bortezomib; NRAS p.Gln61Arg persists; the KRAS p.Gly12Asp subclone is not detected (lost); "
        "t(11;14) persists. ISS II (b2M 3.9); R-ISS II; R2-ISS 1 (ISS II) + 1 (del(17p)) = 2 = III; mSMART high; "
        "double refractory (bortezomib, lenalidomide; line 1 progressed 21 days after its last dose after a VGPR: "
        "relapsed and refractory).",
        [pos("t(11;14)", 75, probe="IGH/CCND1 dual fusion"), pos("17p-", 55, 1, probe="TP53/CEP17")],
        {"b2m_mg_l": "3.9", "albumin_g_dl": "3.6", "ldh_u_l": "230", "ldh_uln_u_l": "250", "creatinine_mg_dl": "1.0",
         "exposed_to": "bortezomib;lenalidomide;dexamethasone",
         "refractory_to": "bortezomib;lenalidomide;dexamethasone", "prior_lines": "1", "m_protein_g_dl": "1.9",
         "involved_flc_mg_l": "240", "involved_flc_chain": "kappa"},
        {"status": "ok", "imwg2025": "high", "imwg2025_criteria": "del(17p) in > 20% of tumour cells; TP53 mutation",
         "msmart3": "high", "iss": "II", "riss": "II", "r2iss": "III", "r2iss_score": "2",
         "refractory": "double_refractory"},
        negatives=("t(4;14)", "t(14;16)", "t(14;20)", "gain(1q)", "del(1p32)"),
        sheet_extra={"snv_vcf": "../resources/demo/DEMO-18.snv.vcf", "tumor_column": "DP17_rel_tumor",
                     "purity": "0.85"},
    ),
    Scenario(
        "DEMO-19", "DP17", "relapse2", "2025-09-02",
        "Patient DP17 at second relapse, FISH only: del(17p) in 80%, gain(1q) acquired (3 copies, 35%), t(11;14) "
        "persists; no small-variant file, so TP53 and every variant are not assessed (IMWG high by del(17p) "
        "regardless). ISS III (b2M 6.0); R-ISS III (ISS III with del(17p)); R2-ISS 1.5 + 1 (del(17p)) + 1 (LDH) "
        "+ 0.5 (1q) = 4 = IV; mSMART high; triple-class refractory (line 2, daratumumab-pomalidomide, progressed 19 "
        "days after its last dose: relapsed and refractory, 2 prior lines; line 3 starts after this sample).",
        [pos("t(11;14)", 80, probe="IGH/CCND1 dual fusion"), pos("17p-", 80, 1, probe="TP53/CEP17"),
         pos("1q21 gain", 35, 3, probe="CKS1B/CDKN2C")],
        {"b2m_mg_l": "6.0", "albumin_g_dl": "3.0", "ldh_u_l": "400", "ldh_uln_u_l": "250", "creatinine_mg_dl": "1.3",
         "exposed_to": "bortezomib;lenalidomide;dexamethasone;daratumumab;pomalidomide",
         "refractory_to": "bortezomib;lenalidomide;dexamethasone;daratumumab;pomalidomide", "prior_lines": "2",
         "m_protein_g_dl": "2.6", "involved_flc_mg_l": "380", "involved_flc_chain": "kappa"},
        {"status": "ok", "imwg2025": "high", "imwg2025_criteria": "del(17p) in > 20% of tumour cells",
         "msmart3": "high", "iss": "III", "riss": "III", "r2iss": "IV", "r2iss_score": "4",
         "refractory": "triple_class_refractory"},
        negatives=("t(4;14)", "t(14;16)", "t(14;20)", "del(1p32)"),
    ),
    # Patient DP20: the MRD series (diagnosis, MRD-negative remission without a genomic input, relapse).
    Scenario(
        "DEMO-20", "DP20", "diagnosis", "2023-06-05",
        "Patient DP20 at diagnosis (full FISH panel): t(11;14) in 65% (a standard-risk marker), every IMWG "
        "criterion evaluated and none met: standard. ISS I (b2M 2.4, albumin 4.2); R-ISS I (normal LDH, no "
        "high-risk CA); R2-ISS 0 = I; mSMART standard; untreated. M-protein 4.2 g/dL, involved lambda 1250 mg/L, "
        "MRD not assessed.",
        [pos("t(11;14)", 65, probe="IGH/CCND1 dual fusion")],
        {"b2m_mg_l": "2.4", "albumin_g_dl": "4.2", "ldh_u_l": "190", "ldh_uln_u_l": "250", "creatinine_mg_dl": "0.8",
         "exposed_to": "", "refractory_to": "", "prior_lines": "0", "m_protein_g_dl": "4.2",
         "involved_flc_mg_l": "1250", "involved_flc_chain": "lambda"},
        {"status": "ok", "imwg2025": "standard", "imwg2025_criteria": "", "msmart3": "standard", "iss": "I",
         "riss": "I", "r2iss": "I", "r2iss_score": "0", "refractory": "not_refractory"},
        negatives=("t(4;14)", "t(14;16)", "t(14;20)", "del(17p)", "gain(1q)", "del(1p32)", "TP53_mutation"),
    ),
    Scenario(
        "DEMO-21", "DP20", "remission", "2024-08-01",
        "Patient DP20 in complete response after line 1, FISH on the remission marrow negative for every target "
        "(t(11;14) no longer detected), TP53 wild type: every IMWG criterion evaluated and none met: standard; "
        "mSMART standard. ISS I (b2M 1.9, albumin 4.3); R-ISS I; R2-ISS 0 = I. MRD negative by NGS at 10^-6, "
        "M-protein not detectable (0 g/dL), involved lambda 14 mg/L. Line 1 reached CR without progression by "
        "this date: responding, not refractory.",
        [{"target": "IGH/CCND1", "result": "negative", "cells_scored": "200", "probe": "IGH/CCND1 dual fusion"}],
        {"b2m_mg_l": "1.9", "albumin_g_dl": "4.3", "ldh_u_l": "170", "ldh_uln_u_l": "250", "creatinine_mg_dl": "0.8",
         "exposed_to": "daratumumab;bortezomib;lenalidomide;dexamethasone", "refractory_to": "", "prior_lines": "1",
         "mrd": "negative", "mrd_method": "NGS", "mrd_sensitivity": "10^-6", "m_protein_g_dl": "0",
         "involved_flc_mg_l": "14", "involved_flc_chain": "lambda"},
        {"status": "ok", "imwg2025": "standard", "imwg2025_criteria": "", "msmart3": "standard", "iss": "I",
         "riss": "I", "r2iss": "I", "r2iss_score": "0", "refractory": "not_refractory"},
    ),
    Scenario(
        "DEMO-22", "DP20", "relapse1", "2025-04-28",
        "Patient DP20 at first relapse, 288 days after the last dose of line 1 (relapsed, not refractory): "
        "t(11;14) persists in 75% and gain(1q) is acquired (3 copies, 30%), no other IMWG criterion: standard; "
        "mSMART high (gain(1q)). ISS I (b2M 3.2, albumin 3.8); R-ISS I (normal LDH, no R-ISS high-risk CA); "
        "R2-ISS 0.5 (1q) = II. MRD positive by next-generation flow at 2e-6; M-protein 1.1 g/dL, involved "
        "lambda 210 mg/L. Line 2 starts after this sample.",
        [pos("t(11;14)", 75, probe="IGH/CCND1 dual fusion"), pos("1q21 gain", 30, 3, probe="CKS1B/CDKN2C")],
        {"b2m_mg_l": "3.2", "albumin_g_dl": "3.8", "ldh_u_l": "210", "ldh_uln_u_l": "250", "creatinine_mg_dl": "0.9",
         "exposed_to": "daratumumab;bortezomib;lenalidomide;dexamethasone", "refractory_to": "", "prior_lines": "1",
         "mrd": "positive", "mrd_method": "NGF", "mrd_sensitivity": "2e-6", "m_protein_g_dl": "1.1",
         "involved_flc_mg_l": "210", "involved_flc_chain": "lambda"},
        {"status": "ok", "imwg2025": "standard", "imwg2025_criteria": "", "msmart3": "high", "iss": "I",
         "riss": "I", "r2iss": "II", "r2iss_score": "0.5", "refractory": "not_refractory"},
        negatives=("t(4;14)", "t(14;16)", "t(14;20)", "del(17p)", "del(1p32)", "TP53_mutation"),
    ),
    Scenario(
        "DEMO-11", "DP11", "diagnosis", "2024-09-09",
        "A broken input: a FISH percent of 120 is impossible; this sample fails alone with a message naming "
        "the file, line and column, and the rest of the cohort is reported.",
        [pos("t(4;14)", 120)],
        {**LABS_NORMAL, "exposed_to": "", "refractory_to": "", "prior_lines": "0"},
        {"status": "failed", "imwg2025": "NA", "imwg2025_criteria": "", "msmart3": "NA", "iss": "NA",
         "riss": "NA", "r2iss": "NA", "r2iss_score": "NA", "refractory": "NA"},
        negatives=(),
    ),
]


def _tsv(columns: tuple[str, ...], rows: list[dict[str, str]], comment: str) -> str:
    lines = [f"# {line}" if line else "#" for line in comment.splitlines()]
    lines.append("\t".join(columns))
    for r in rows:
        lines.append("\t".join(r.get(c, "") for c in columns))
    return "\n".join(lines) + "\n"


def _bgzip_indexed(text: str) -> tuple[bytes, bytes]:
    """bgzip a VCF and tabix-index it, as Mutect2/Manta leave their output (deterministic bytes)."""
    import tempfile

    import pysam

    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "x.vcf"
        plain.write_text(text, encoding="utf-8")
        gz = pysam.tabix_index(str(plain), preset="vcf", force=True)
        return Path(gz).read_bytes(), Path(gz + ".tbi").read_bytes()


def sequencing_files() -> dict[Path, str | bytes]:
    import demo_sequencing as ds

    out: dict[Path, str | bytes] = {}
    for name, text in (("DEMO-12.snv.vcf.gz", ds.demo12_snv()), ("DEMO-12.sv.vcf.gz", ds.demo12_sv())):
        gz, tbi = _bgzip_indexed(text)
        out[DEMO / name] = gz
        out[DEMO / (name + ".tbi")] = tbi
    out[DEMO / "DEMO-12.cnv.cns"] = ds.demo12_cnv(purity=0.8)
    out[DEMO / "DEMO-13.snv.vcf"] = ds.demo13_snv()
    out[DEMO / "DEMO-13.sv.vcf"] = ds.demo13_sv()
    out[DEMO / "DEMO-13.cnv.seg"] = ds.demo13_cnv(purity=0.7)
    out[DEMO / "DEMO-14.sv.vcf"] = ds.demo14_sv()
    out[DEMO / "DEMO-14.cnv.tsv"] = ds.demo14_cnv()
    out[DEMO / "DEMO-15.sv.vcf"] = ds.demo15_sv()
    out[DEMO / "DEMO-15.cnv.txt"] = ds.demo15_cnv()
    out[DEMO / "DEMO-15.snv.vcf"] = ds.demo15_snv()
    out[DEMO / "DEMO-16.sv.vcf"] = ds.demo16_sv()
    out[DEMO / "DEMO-17.snv.vcf"] = ds.demo17_snv()
    out[DEMO / "DEMO-18.snv.vcf"] = ds.demo18_snv()
    return out


def render() -> dict[Path, str | bytes]:
    fish_rows: list[dict[str, str]] = []
    clin_rows: list[dict[str, str]] = []
    exp_rows: list[dict[str, str]] = []
    sheet_rows: list[dict[str, str]] = []
    for sc in SCENARIOS:
        for r in sc.fish:
            fish_rows.append({"sample": sc.sample, **r})
        for lesion in sc.negatives:
            fish_rows.append({"sample": sc.sample, "target": NEG_PANEL[lesion], "result": "negative",
                              "cells_scored": "200" if lesion != "TP53_mutation" else "",
                              "comment": "TP53 sequencing (lab panel)" if lesion == "TP53_mutation" else ""})
        if sc.clinical is not None:
            clin_rows.append({"sample": sc.sample, **sc.clinical})
        exp_rows.append({"sample": sc.sample, **sc.expect, "why": sc.why})
        sheet_rows.append({"sample": sc.sample, "patient": sc.patient, "timepoint": sc.timepoint,
                           "collection_date": sc.date, "build": "GRCh38",
                           "fish": "../resources/demo/fish.tsv", **sc.sheet_extra})
    header = "Demo cohort of fictional samples, written by scripts/make_demo_cohort.py: do not edit by hand."
    return {
        DEMO / "fish.tsv": _tsv(FISH_COLUMNS, fish_rows, header + "\nFISH results (and the lab's TP53 result)."),
        DEMO / "clinical.tsv": _tsv(CLINICAL_COLUMNS, clin_rows, header),
        DEMO / "treatment_lines.tsv": _tsv(LINES_COLUMNS, list(TREATMENT_LINES),
                                           header + "\nLines of therapy, one row per line of a patient."),
        DEMO / "expected.tsv": _tsv(EXPECTED_COLUMNS, exp_rows,
                                    header + "\nThe outcome each sample was designed to reach, from the published "
                                    "definitions (see 'why')."),
        SHEET: _tsv(SHEET_COLUMNS, sheet_rows, header + "\nPaths are relative to this file's folder."),
        **sequencing_files(),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare with the files on disk instead of writing")
    args = ap.parse_args(argv)
    files = render()
    if args.check:
        stale = [str(p) for p, data in files.items()
                 if not p.exists() or p.read_bytes() != (data if isinstance(data, bytes) else data.encode("utf-8"))]
        if stale:
            print("out of date: " + ", ".join(stale), file=sys.stderr)
            return 1
        return 0
    for p, data in files.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        print(f"wrote {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
