"""MAF small-variant tables read as a sample's ``snv_vcf``: GDC/vcf2maf MAF, MAF-lite, dNdScv tables.

:func:`is_maf` tells a MAF from a VCF by its name (``.maf``, ``.maf.gz``) or its column header
(``Hugo_Symbol`` with ``Variant_Classification`` or a protein change; or the dNdScv-style
``sampleID ... gene ... impact``); :func:`read_maf` reads it into the same
:class:`~mmrisk.snv.SnvResult` as a VCF, by the same rules (panel genes, FILTER, protein-altering,
benign list, population AF, VAF floor, TP53_mutation, genes not assessed), so a MAF and a VCF of the
same variants give the same findings.

Rules of the MAF (:mod:`.reader`):

- the sample: one file may hold many samples (``Tumor_Sample_Barcode``). The sheet's
  ``tumor_column`` names the barcode (exact); else the sample id (exact, else the one barcode that
  contains it or is contained in it); else the file's only barcode; else an InputError naming them —
  the multi-sample VCF's tumour-column rule;
- the build: ``NCBI_Build`` on a row of the chosen sample that names another build than the sample's is
  an InputError (file, line, both builds); a panel gene's row whose position lies outside the gene's span
  in the sample's build makes the gene not assessed, as in a VCF;
- the consequence: ``Consequence`` (SO terms, vcf2maf) when given, else ``Variant_Classification``
  mapped by :data:`.vocab.CLASSIFICATION`; a value outside the vocabulary is reported with flag
  ``unknown_consequence`` and makes the gene not assessed (never guessed);
- the protein change: ``HGVSp_Short``, else ``HGVSp`` (:func:`.vocab.maf_hgvsp`);
- VAF and depth: ``t_alt_count`` over ``t_ref_count + t_alt_count`` (else over ``t_depth``); counts are
  non-negative whole numbers and the alt count no more than the depth, else an InputError naming the cell;
- a row of a panel gene without a position cannot be placed on the build: the gene is not assessed.
"""

from __future__ import annotations

from .reader import is_maf, read_maf

__all__ = ["is_maf", "read_maf"]
