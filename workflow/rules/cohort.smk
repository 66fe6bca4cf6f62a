# Cohort-level rules.


rule cohort:
    input:
        evaluations=lambda wildcards: [evaluation_of(s) for s in SAMPLES],
        reports=lambda wildcards: [f"{OUT}/samples/{s}/report.html" for s in SAMPLES if sample_ok(s)],
    output:
        summary=f"{OUT}/cohort/summary.tsv",
        index=report(f"{OUT}/cohort/index.html", caption="../report/cohort.rst", category="Cohort"),
        # MultiQC custom content: each sample's risk calls beside its QC in a lab's MultiQC page
        multiqc=f"{OUT}/cohort/mmrisk_risk_mqc.tsv",
    log:
        f"{OUT}/logs/cohort.log",
    benchmark:
        f"{OUT}/benchmarks/cohort.tsv"
    conda:
        "../../environment.yml"
    script:
        "../../scripts/write_cohort.py"
