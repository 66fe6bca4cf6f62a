"""Readers of input file formats, one module per format behind a registry per input kind.

- :mod:`mmrisk.formats.cn`: copy-number segment formats (VCF CN, CNVkit, GATK, SEG, PURPLE, ASCAT);
- :mod:`mmrisk.formats.sv`: structural-variant VCF dialects (Manta, GRIDSS, Delly, LUMPY, ...);
- :mod:`mmrisk.formats.annotation`: small-variant annotation dialects (VEP, SnpEff, BCSQ, Funcotator).

Each reader is a generator of plain typed records (segments, junctions, annotations) and knows
nothing of lesions or risk: the lesion calls are made from those records elsewhere. A new format is
one new module and one row of its kind's registry.
"""
