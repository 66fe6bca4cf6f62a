"""Rule cohort: summary.tsv, index.html and the MultiQC table of the whole cohort."""
import sys

sys.path.insert(0, snakemake.scriptdir)  # noqa: F821  (the mmrisk package lives beside this script)
from mmrisk.entry import run_cohort
from mmrisk.joblog import setup_logging

setup_logging(snakemake.log[0])  # noqa: F821
run_cohort(snakemake.params.samples, snakemake.output.summary, snakemake.output.index,  # noqa: F821
           snakemake.output.multiqc, patients=snakemake.params.patients)  # noqa: F821
