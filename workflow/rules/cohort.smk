# Cohort-level rules.


rule cohort:
    input:
        samples=[sample_dir(s) for s in SAMPLES],
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
        patients=PATIENTS,
    script:
        "../../scripts/write_cohort.py"


rule patient_evolution:
    input:
        samples=patient_samples,
    output:
        html=report(
            f"{OUT}/patients/{{patient}}/evolution.html",
            caption="../report/evolution.rst",
            category="Patients",
            labels={"patient": "{patient}"},
        ),
        tsv=f"{OUT}/patients/{{patient}}/evolution.tsv",
    log:
        f"{OUT}/logs/patient_evolution/{{patient}}.log",
    benchmark:
        f"{OUT}/benchmarks/patient_evolution/{{patient}}.tsv"
    group:
        "patients"
    conda:
        "../envs/mmrisk.yaml"
    resources:
        mem_mb=CONFIG["limits"]["patient_memory_mb"],
        runtime=CONFIG["limits"]["patient_runtime_min"],
    params:
        rows=lambda wildcards: json.dumps(PATIENTS[wildcards.patient], sort_keys=True),
        cohort_index=f"{OUT}/cohort/index.html",
        python=PYTHON,
        job=JOB,
    shell:
        "{params.python:q} {params.job:q} patient --patient {wildcards.patient:q} --rows-json {params.rows:q}"
        " --html {output.html:q} --tsv {output.tsv:q} --cohort-index {params.cohort_index:q} --log {log:q}"
        " {input.samples:q}"
