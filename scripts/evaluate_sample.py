"""Rule evaluate_sample: read one sample's inputs, call its lesions and risk."""
import sys

sys.path.insert(0, snakemake.scriptdir)  # noqa: F821  (the mmrisk package lives beside this script)
from mmrisk.entry import run_evaluate, setup_logging
from mmrisk.sheet import Sample

setup_logging(snakemake.log[0])  # noqa: F821
cfg = snakemake.params.config  # noqa: F821
run_evaluate(Sample(**snakemake.params.sample), cfg, snakemake.params.sheet, snakemake.output.evaluation)  # noqa: F821
