# Per-sample rule: one job per sample.


rule evaluate_sample:
    """Read one sample's inputs, call its lesions, risk and findings, and write its folder:
    evaluation.json always (ok, or failed with the reason: the sample fails alone), and for a
    sample that did not fail risk.json, lesions.tsv, variants.tsv and report.html."""
    input:
        sample_inputs,
    output:
        folder=report(
            directory(f"{OUT}/samples/{{sample}}"),
            patterns=["{name}.html"],
            caption="../report/sample.rst",
            category="Samples",
            labels={"sample": "{sample}"},
        ),
    log:
        f"{OUT}/logs/evaluate_sample/{{sample}}.log",
    benchmark:
        f"{OUT}/benchmarks/evaluate_sample/{{sample}}.tsv"
    # On a cluster, --group-components samples=K submits K samples per job (profiles/slurm: 20);
    # locally groups are ignored. Each sample stays its own job inside the group: one that fails (or
    # is new) is rerun alone, and its evaluation.json records why it failed.
    group:
        "samples"
    conda:
        "../envs/mmrisk.yaml"
    resources:
        # the evaluation's limits (mmrisk.supervise): also what a cluster is asked for
        mem_mb=CONFIG["limits"]["sample_memory_mb"],
        runtime=CONFIG["limits"]["sample_runtime_min"],
    params:
        sample=lambda wildcards: json.dumps(sample_params(wildcards), sort_keys=True),
        config=CONFIG_JSON,
        config_file=CONFIG_FILE,
        untracked=sample_untracked,
        sheet=CONFIG["samples"],
        patient_page=patient_page,
        python=PYTHON,
        job=JOB,
    shell:
        "{params.python:q} {params.job:q} sample --sample-json {params.sample:q} --config-file {params.config_file:q}"
        " --sheet {params.sheet:q} --out {output.folder:q} --patient-page={params.patient_page:q}"
        " --memory-mb {resources.mem_mb} --runtime-min {resources.runtime} --log {log:q}"
