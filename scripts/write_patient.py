"""Rule patient_evolution: evolution.html and evolution.tsv of one patient with two or more samples."""
import sys

sys.path.insert(0, snakemake.scriptdir)  # noqa: F821  (the mmrisk package lives beside this script)
from mmrisk.entry import run_patient, setup_logging

setup_logging(snakemake.log[0])  # noqa: F821
run_patient(snakemake.input.samples, snakemake.params.rows, snakemake.wildcards.patient,  # noqa: F821
            snakemake.output.html, snakemake.output.tsv, snakemake.params.cohort_index)  # noqa: F821
