# Per-sample rules.


checkpoint evaluate_sample:
    input:
        sample_inputs,
    output:
        evaluation=f"{OUT}/samples/{{sample}}/evaluation.json",
    params:
        sample=sample_params,
        config=CONFIG,
        sheet=CONFIG["samples"],
    log:
        f"{OUT}/logs/evaluate_sample/{{sample}}.log",
    benchmark:
        f"{OUT}/benchmarks/evaluate_sample/{{sample}}.tsv"
    conda:
        "../../environment.yml"
    script:
        "../../scripts/evaluate_sample.py"


rule sample_outputs:
    input:
        evaluation=f"{OUT}/samples/{{sample}}/evaluation.json",
    output:
        risk=f"{OUT}/samples/{{sample}}/risk.json",
        lesions=f"{OUT}/samples/{{sample}}/lesions.tsv",
        variants=f"{OUT}/samples/{{sample}}/variants.tsv",
        report=report(
            f"{OUT}/samples/{{sample}}/report.html",
            caption="../report/sample.rst",
            category="Samples",
            labels={"sample": "{sample}"},
        ),
    params:
        patient_page=patient_page,
    log:
        f"{OUT}/logs/sample_outputs/{{sample}}.log",
    benchmark:
        f"{OUT}/benchmarks/sample_outputs/{{sample}}.tsv"
    conda:
        "../../environment.yml"
    script:
        "../../scripts/write_sample_outputs.py"
