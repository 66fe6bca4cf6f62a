"""Rule evaluate_sample: one sample's evaluation.json and, unless it failed, its outputs."""
import sys

sys.path.insert(0, snakemake.scriptdir)  # noqa: F821  (the mmrisk package lives beside this script)
from mmrisk.entry import run_sample, setup_logging
from mmrisk.sheet import Sample

setup_logging(snakemake.log[0])  # noqa: F821
run_sample(Sample(**snakemake.params.sample), snakemake.params.config, snakemake.params.sheet,  # noqa: F821
           snakemake.output.folder, patient_page=snakemake.params.patient_page or None)  # noqa: F821
