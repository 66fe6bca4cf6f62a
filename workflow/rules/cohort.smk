# Cohort-level rules.


rule cohort:
    input:
        # the batch jobs' manifests: each batch's sample folders (and patient pages) are written
        batches=[batch_manifest(b) for b in BATCHES],
    output:
        summary=f"{OUT}/cohort/summary.tsv",
        index=report(
            f"{OUT}/cohort/index.html",
            caption="../report/cohort.rst",
            category="Cohort",
        ),
        # MultiQC custom content: each sample's risk calls beside its QC in a lab's MultiQC page
        multiqc=f"{OUT}/cohort/mmrisk_risk_mqc.tsv",
    log:
        f"{OUT}/logs/cohort.log",
    benchmark:
        f"{OUT}/benchmarks/cohort.tsv"
    conda:
        "../envs/mmrisk.yaml"
    resources:
        mem_mb=CONFIG["limits"]["cohort_memory_mb"],
        runtime=CONFIG["limits"]["cohort_runtime_min"],
    params:
        samples=[sample_dir(s) for s in SAMPLES],
        patients=PATIENTS,
    script:
        "../../scripts/write_cohort.py"


# A patient's evolution pages (patients/{patient}/evolution.html and .tsv) are written by the batch job
# of its samples (rules/sample.smk, mmrisk.batch), which a patient's samples share.
