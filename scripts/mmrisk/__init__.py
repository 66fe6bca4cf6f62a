"""mmrisk: multiple myeloma genomic risk stratification (research use only).

The package holds all logic of the Snakemake workflow in ``workflow/``: one
module per concern, plain typed functions that tests call directly.
"""

__version__ = "0.1.0"
