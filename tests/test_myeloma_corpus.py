"""Every file of ../shared/corpus/myeloma/ that is an input kind of the workflow is read (#14 point 8).

Input kinds: small variants (MAF, the CoMMpass coding-mutation table), copy number (total/minor segments), SV
(IgCaller tables) and the FISH table (the CoMMpass translocation calls, given as a lab would: one row per call,
method seqFISH, no percent). The other files (clinical covariates, driver and GISTIC references, cell-line
characteristics, probe footprints, the OncoKB annotator's CNA/SV/fusion examples) are no input kind: listed so
a new file in the folder is noticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS
from mmrisk.copynumber import read_copy_number
from mmrisk.fish import fish_evidence, load_default_probes, load_default_targets, read_fish_table
from mmrisk.lesions import merge
from mmrisk.snv import load_gene_regions, read_small_variants
from mmrisk.sv import read_structural_variants

MM = CORPUS / "myeloma"
pytestmark = pytest.mark.skipif(not MM.is_dir(), reason=f"corpus folder {MM} is absent")

SNV = {"oncokb_annotator/example_maf.txt": ("GRCh37", "TCGA-02-0033-01"),
       "oncokb_annotator/example_maf_grch38.txt": ("GRCh38", "TCGA-02-0033-01"),
       "commpass_gcp_mm/CoMMpass_all_coding_mutations_annot_test.txt": ("GRCh37", "MMRF_1016")}
CNV = {"commpass_gcp_mm/commpass_cnv_test.txt": ("GRCh37", "MMRF_1016")}
SV = {"igcaller/v1_ferrannadeu/1344-01-03TD_output_oncogenic_IG_rearrangements.tsv": "GRCh37",
      "igcaller/v2_nadeulab/1344-01-03TD_output_oncogenic_rearrangements.tsv": "GRCh37"}
TRANSLOCATION_CALLS = ("commpass_gcp_mm/commpass_translocations.txt", "commpass_gcp_mm/commpass_info_test.txt")
NOT_INPUT = {
    "README.md", "commpass_gcp_mm/Driver_summary.txt", "commpass_gcp_mm/Genomic_Coordinates_GISTICpeaks.txt",
    "commpass_gcp_mm/clinic_info_test.txt", "keats_hmcl/keats_hmcl_characteristics_subset.tsv",
    "oncokb_annotator/example_atypical_alterations.txt", "oncokb_annotator/example_clinical.txt",
    "oncokb_annotator/example_cna.txt", "oncokb_annotator/example_fusions.txt",
    "oncokb_annotator/example_individual_cna.txt", "oncokb_annotator/example_sv.txt",
    "igcaller/v1_ferrannadeu/Demo_readme.md", "tgen_fish_probes/UPSTREAM_README.md",
}
#: IgCaller's other outputs (VDJ, class switch, its filtered verdict): read beside the oncogenic table, no input
IGCALLER_COMPANIONS = ("_CSR.tsv", "_IGH.tsv", "_IGK.tsv", "_IGL.tsv", "_output_filtered.tsv",
                       "_output_filtered.SEQ_OMITTED.tsv")


def test_every_file_is_known_as_an_input_kind_or_not() -> None:
    files = {str(p.relative_to(MM)) for p in MM.rglob("*") if p.is_file()}
    known = set(SNV) | set(CNV) | set(SV) | set(TRANSLOCATION_CALLS) | NOT_INPUT
    rest = {f for f in files - known if not f.startswith("tgen_fish_probes/")
            and not f.endswith(IGCALLER_COMPANIONS)}
    assert rest == set(), f"files of {MM} neither read nor listed as no input kind"


@pytest.mark.parametrize("rel", sorted(SNV))
def test_small_variant_files(rel: str) -> None:
    build, sample = SNV[rel]
    r = read_small_variants(MM / rel, build=build, genes=load_gene_regions(build=build), sample_id=sample)
    assert r.variants and all(e.status in ("present", "absent", "not_assessed") for e in r.evidence)


@pytest.mark.parametrize("rel", sorted(CNV))
def test_copy_number_files(rel: str) -> None:
    build, sample = CNV[rel]
    r = read_copy_number(MM / rel, build=build, sample_id=sample)
    assert {e.lesion for e in r.evidence} >= {"del(17p)", "gain(1q)"}


@pytest.mark.parametrize("rel", sorted(SV))
def test_sv_files(rel: str) -> None:
    r = read_structural_variants(MM / rel, build=SV[rel])
    assert r.dialect == "igcaller" and not any(e.status == "present" for e in r.evidence)


@pytest.mark.parametrize("rel", TRANSLOCATION_CALLS)
def test_translocation_calls_as_a_fish_table(tmp_path: Path, rel: str) -> None:
    lines = (MM / rel).read_text().splitlines()
    head = lines[0].split("\t")
    targets = {"t_CCND1": "t(11;14)", "t_MMSET": "t(4;14)", "t_MAF": "t_MAF"}
    out = ["sample\ttarget\tresult\tmethod"]
    for ln in lines[1:]:
        row = dict(zip(head, ln.split("\t")))
        out += [f"{row['sample']}\t{t}\t{'positive' if row[c] == '1' else 'negative'}\tseqFISH"
                for c, t in targets.items()]
    p = tmp_path / "fish.tsv"
    p.write_text("\n".join(out) + "\n")
    table = read_fish_table(p, load_default_targets(), load_default_probes())
    assert len(table.samples) == 30 and not any(table.problems(s) for s in table.samples)
    for s in table.samples:
        calls, _ = merge(fish_evidence(table.observations(s), {"fusion": 10.0})[0])
        assert calls["t(4;14)"].status in ("present", "absent") and calls["t(4;14)"].fraction is None


def test_readme_cohort_maf_segments_translocation_calls_and_iss_end_to_end(tmp_path: Path) -> None:
    """The README's example: the CoMMpass MAF-like table, total/minor segments, translocation calls as FISH rows
    (seqFISH, no percent) and the ISS stage / LDH category from the clinical covariates, evaluated in process."""
    from conftest import demo_config
    from mmrisk.entry import evaluate
    from mmrisk.outputs import risk_document, validate_risk
    from mmrisk.sheet import read_sample_sheet

    cm = MM / "commpass_gcp_mm"
    patients = ("MMRF_1016", "MMRF_1054")
    calls = {ln.split("\t")[0]: ln.split("\t") for ln in (cm / "commpass_translocations.txt").read_text().splitlines()}
    fish = ["sample\ttarget\tresult\tmethod"]
    for p in patients:
        _, ccnd1, mmset, maf = calls[p][:4]
        fish += [f"{p}\t{t}\t{'positive' if v == '1' else 'negative'}\tseqFISH"
                 for t, v in (("t(4;14)", mmset), ("t(11;14)", ccnd1), ("MAF translocation", maf))]
    (tmp_path / "fish.tsv").write_text("\n".join(fish) + "\n")
    clin_lines = (cm / "clinic_info_test.txt").read_text().splitlines()
    head = clin_lines[0].split("\t")
    clin = ["sample\tiss\tldh_level"]
    for ln in clin_lines[1:]:
        row = dict(zip(head, ln.split("\t")))
        if row["sample"] in patients:
            clin.append(f"{row['sample']}\t{row['ISS']}\t{row['LDH_level'].lower()}")
    (tmp_path / "clinical.tsv").write_text("\n".join(clin) + "\n")
    sheet = ["sample\tpatient\tbuild\tsnv_vcf\tcnv\tfish"] + [
        f"{p}\t{p}\tGRCh37\t{cm / 'CoMMpass_all_coding_mutations_annot_test.txt'}\t{cm / 'commpass_cnv_test.txt'}"
        f"\t{tmp_path / 'fish.tsv'}" for p in patients]
    (tmp_path / "samples.tsv").write_text("\n".join(sheet) + "\n")
    config = dict(demo_config())
    config["samples"], config["clinical"] = str(tmp_path / "samples.tsv"), str(tmp_path / "clinical.tsv")
    samples = read_sample_sheet(config["samples"], "GRCh37").samples
    docs = {}
    for p in patients:
        outcome = evaluate(samples[p], config, config["samples"])
        assert outcome.result is not None, outcome.error
        docs[p] = risk_document(outcome.result)
        validate_risk(docs[p])
    t414 = docs["MMRF_1016"]["lesions"]["t(4;14)"]
    assert t414["status"] == "present" and t414["fraction"] is None and t414["sources"] == ["FISH"]
    assert docs["MMRF_1054"]["lesions"]["t(11;14)"]["status"] == "present"
    assert docs["MMRF_1016"]["risk"]["iss"]["stage"] == "I"  # ISS1, recorded as a stage
    for p in patients:  # the segments and the mutation table spoke too
        assert docs[p]["lesions"]["del(17p)"]["sources"] == ["CNV"]
        assert docs[p]["lesions"]["TP53_mutation"]["status"] in ("present", "absent")
