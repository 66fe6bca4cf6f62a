# Per-batch rule: one job evaluates a batch of samples (mmrisk.batches says which; a patient's samples
# share one), each sample in its own supervised child process, and writes their folders and their
# patients' evolution pages (mmrisk.batch). A sample whose inputs, configuration, knowledge base and
# code are unchanged is up to date and is not evaluated again.


rule evaluate_batch:
    """Evaluate the batch's samples and write each sample's folder: evaluation.json always (ok, or failed
    with the reason: the sample fails alone), and for a sample that did not fail risk.json, lesions.tsv,
    variants.tsv and report.html; then the evolution pages of its patients with two or more samples.
    The declared output is the batch's manifest (never the sample folders, which Snakemake would delete
    before the job: up-to-date samples are kept as they are)."""
    input:
        batch_inputs,
    output:
        manifest=f"{OUT}/.mmrisk/batches/{{batch}}.json",
    log:
        f"{OUT}/logs/evaluate_batch/{{batch}}.log",
    benchmark:
        f"{OUT}/benchmarks/evaluate_batch/{{batch}}.tsv"
    conda:
        "../envs/mmrisk.yaml"
    resources:
        # samples are evaluated one after another: the memory of one sample (also its evaluation's limit,
        # mmrisk.supervise); the time of the whole batch
        mem_mb=CONFIG["limits"]["sample_memory_mb"],
        runtime=CONFIG["limits"]["batch_runtime_min"],
    params:
        members=lambda wildcards: MEMBERS[wildcards.batch],
        config=CONFIG_JSON,
        config_file=CONFIG_FILE,
        code=CODE,
        untracked=batch_untracked,
        rows=batch_rows,
        sheet=CONFIG["samples"],
        sample_runtime=CONFIG["limits"]["sample_runtime_min"],
        timings=lambda wildcards: f"{OUT}/benchmarks/evaluate_batch/{wildcards.batch}.samples.tsv",
        python=PYTHON,
        job=JOB,
    shell:
        "{params.python:q} {params.job:q} batch --members {params.members:q} --config-file {params.config_file:q}"
        " --sheet {params.sheet:q} --manifest {output.manifest:q} --memory-mb {resources.mem_mb}"
        " --runtime-min {params.sample_runtime} --batch-runtime-min {resources.runtime}"
        " --timings {params.timings:q} --log {log:q}"
