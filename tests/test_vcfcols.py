"""The tumour column rule shared by every VCF reader."""

from __future__ import annotations

import pytest

from mmrisk.errors import InputError
from mmrisk.vcfcols import choose_tumor_column


def test_given_name_wins_in_a_multi_sample_file():
    assert choose_tumor_column(["NORMAL", "RELAPSE", "DIAG"], "", "RELAPSE", "x.vcf") == ("RELAPSE", None)


def test_given_name_missing_from_a_multi_sample_file_is_an_error_naming_the_columns():
    with pytest.raises(InputError) as ei:
        choose_tumor_column(["NORMAL", "TUMOR"], "", "RELAPSE", "x.vcf")
    assert "NORMAL, TUMOR" in str(ei.value) and "RELAPSE" in str(ei.value)


def test_single_sample_file_speaks_for_itself_with_a_note():
    col, note = choose_tumor_column(["P1_tumor"], "", "TUMOR", "x.vcf")
    assert col == "P1_tumor" and note and "'TUMOR'" in note and "'P1_tumor'" in note


@pytest.mark.parametrize("samples, header, expected", [
    (["NORMAL", "TUMOR"], "", "TUMOR"),
    (["N1", "T1"], "##tumor_sample=T1\n", "T1"),
    (["only"], "", "only"),
    (["p_normal.bam", "p_tumour.bam"], "", "p_tumour.bam"),
])
def test_detection(samples, header, expected):
    assert choose_tumor_column(samples, header, None, "x.vcf") == (expected, None)


def test_undecidable_is_an_error():
    with pytest.raises(InputError, match="cannot tell which"):
        choose_tumor_column(["A", "B"], "", None, "x.vcf")
    assert choose_tumor_column([], "", "T", "x.vcf") == (None, None)
