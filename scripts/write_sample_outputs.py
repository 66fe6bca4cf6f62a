"""Rule sample_outputs: risk.json, lesions.tsv, variants.tsv and report.html of one sample."""
import sys

sys.path.insert(0, snakemake.scriptdir)  # noqa: F821  (the mmrisk package lives beside this script)
from mmrisk.entry import run_sample_outputs, setup_logging

setup_logging(snakemake.log[0])  # noqa: F821
run_sample_outputs(snakemake.input.evaluation, snakemake.output.risk, snakemake.output.lesions,  # noqa: F821
                   snakemake.output.variants, snakemake.output.report,  # noqa: F821
                   patient_page=snakemake.params.patient_page or None)  # noqa: F821
