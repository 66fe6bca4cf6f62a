"""The SV format layer (mmrisk.formats.sv): the dialect registry, per-dialect support, the junction reader."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

from mmrisk.errors import InputError
from mmrisk.formats.sv import GENERIC, REGISTRY, Fields, Support, detect_dialect, dialect, junctions, read_sv_vcf
from mmrisk.formats.sv.base import record_dialect
from mmrisk.sv import read_structural_variants
from mmrisk.textio import lines

#: a real file of each registered dialect: (corpus path, build, tumour column, the dialect detected)
REAL_FILES: dict[str, tuple[str, str, str | None, str]] = {
    "Manta": ("manta/somaticSV.vcf.gz", "GRCh38", "colo829-dna-illumina", "Manta"),
    # named only in the bcftools command lines of its header (the file name says delly2)
    "Delly": ("delly/colo829-dna-illumina-realigned_delly2_filtered.chr1.vcf.gz", "GRCh38", "colo829-dna-illumina",
              "Delly"),
    "GRIDSS": ("gridss/gridss294.colo829.somatic.vcf", "GRCh37", "COLO829T_dedup.realigned.bam", "GRIDSS"),
    "ESVEE": ("purple/tumor_sample.purple.sv.vcf", "GRCh37", None, "ESVEE"),
    # the one PURPLE file of the corpus is an ESVEE file annotated by PURPLE: its header names both, and
    # ESVEE's row comes first; PURPLE's own keys must still recognise it
    "PURPLE": ("purple/tumor_sample.purple.sv.vcf", "GRCh37", None, "ESVEE"),
    "LUMPY": ("lumpy/colo829-dna-illumina-realigned_lumpy.chr1.vcf", "GRCh38", "colo829-dna-illumina", "LUMPY"),
    "SvABA": ("svaba/am.svaba.germline.sv.vcf", "GRCh38", None, "SvABA"),
    "Sniffles": ("sniffles/expected_output.vcf", "GRCh37", None, "Sniffles"),
    "Severus": ("severus/severus_somatic.vcf", "GRCh38", None, "Severus"),
}


def corpus(rel: str) -> Path:
    p = CORPUS / rel
    if not p.exists():
        pytest.skip(f"corpus file {rel} is absent (shared corpus not mounted at {CORPUS})")
    return p


def header_text(path: Path) -> str:
    out = []
    for _, line in lines(path, "VCF"):
        if not line.startswith("##"):
            break
        out.append(line)
    return "\n".join(out)


def test_every_registered_dialect_has_a_real_file() -> None:
    assert sorted(REAL_FILES) == sorted(REGISTRY)
    assert all(name == d.name for name, d in REGISTRY.items())


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_registered_dialect_recognised_from_real_header(name: str) -> None:
    rel, build, tumour, detected = REAL_FILES[name]
    path = corpus(rel)
    header = header_text(path)
    assert REGISTRY[name].named_in(header)
    assert detect_dialect(header) == detected
    vcf = read_sv_vcf(path, build=build, tumor_column=tumour)
    assert vcf.header.dialect == detected
    assert vcf.header.file == path.name


@pytest.mark.parametrize("rel", ["mutect2/cfdna-unfiltered.vcf", "strelka2/test_strelka.vcf"])
def test_small_variant_files_are_generic(rel: str) -> None:
    assert detect_dialect(header_text(corpus(rel))) == GENERIC
    assert dialect(GENERIC).name == GENERIC and dialect("no such caller").name == GENERIC


def test_record_dialect_from_svmethod_of_a_generic_file() -> None:
    rows = REGISTRY.values()
    assert record_dialect(GENERIC, {"SVMETHOD": "EMBL.DELLYv1.1.6"}, rows) == "Delly"
    assert record_dialect(GENERIC, {"SVMETHOD": "Snifflesv1.0.12"}, rows) == "Sniffles"
    assert record_dialect(GENERIC, {"SVMETHOD": "other"}, rows) == GENERIC
    assert record_dialect("Manta", {"SVMETHOD": "EMBL.DELLYv1.1.6"}, rows) == "Manta"  # the header wins


def test_delly_recognised_from_records_of_a_header_that_names_no_caller() -> None:
    path = corpus("delly/test_delly.vcf")
    assert detect_dialect(header_text(path)) == GENERIC
    assert read_sv_vcf(path, build="GRCh37").header.dialect == GENERIC
    js = list(junctions(path, build="GRCh37"))
    assert js and all(j.dialect == "Delly" for j in js)  # from INFO/SVMETHOD=EMBL.DELLYv0.7.7
    assert read_structural_variants(path, build="GRCh37").dialect == "Delly"


def test_source_line_before_any_header_text() -> None:
    # a GRIDSS file whose INFO descriptions mention Manta is GRIDSS: ##source is looked at first
    header = '##fileformat=VCFv4.2\n##INFO=<ID=X,Description="as in Manta">\n##source=GRIDSS 2.9.4'
    assert detect_dialect(header) == "GRIDSS"
    assert detect_dialect('##fileformat=VCFv4.2\n##INFO=<ID=X,Description="as in Manta">') == "Manta"


def test_support_readers_per_dialect() -> None:
    def read(name: str, fmt: dict[str, str], info: dict[str, str | bool] | None = None,
             single: bool = False) -> Support:
        return dialect(name).support(Fields(info or {}, fmt, single))

    assert read("Manta", {"PR": "25,12", "SR": "30,9"}) == Support(9, 12)
    assert read("Delly", {"DV": "14", "RV": "5"}, {"PE": "15", "SR": "6"}) == Support(5, 14)
    assert read("Delly", {"DV": ".", "RV": "."}, {"PE": "15", "SR": "6"}) == Support(6, 15)
    for name in ("GRIDSS", "ESVEE", "PURPLE"):
        assert read(name, {"VF": "20", "BVF": "3"}) == Support(other=(("VF", 20.0),))
        assert read(name, {"VF": "20", "BVF": "3"}, single=True) == Support(other=(("BVF", 3.0),))
    assert read("LUMPY", {"SU": "9", "PE": "5", "SR": "4"}) == Support(4, 5, (("SU", 9.0),))
    assert read("SvABA", {"SR": "3", "DR": "2", "AD": "5"}) == Support(3, 2, (("AD", 5.0),))
    assert read("Sniffles", {"DV": "."}, {"RE": "12", "SUPPORT": "13"}) == Support(other=(("RE", 12.0),))
    assert read("Severus", {"DV": "7"}) == Support(other=(("DV", 7.0),))
    assert read(GENERIC, {"SR": "1,4", "PR": "3,5"}, {"VF": "2"}) == Support(4, 5, (("VF", 2.0),))
    assert read(GENERIC, {}).describe() == "support not given"


def test_junction_generator_counts_mate_pairs_once() -> None:
    path = corpus("manta/somaticSV.vcf.gz")
    js = list(junctions(path, build="GRCh38", tumor_column="colo829-dna-illumina"))
    r = read_structural_variants(path, build="GRCh38", tumor_column="colo829-dna-illumina", keep_all_junctions=True)
    assert len(js) == r.counts["junctions"] == len(r.junctions)
    assert js == r.junctions
    assert all(j.dialect == "Manta" and j.record.startswith("somaticSV.vcf.gz:") for j in js)


def test_delly_breakend_orientation_names_its_connection_type(tmp_path: Path) -> None:
    p = tmp_path / "d.vcf"
    p.write_text("##fileformat=VCFv4.2\n##source=DELLY\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                 "1\t100\tb1\tN\tN]16:78500000]\t.\tPASS\tSVTYPE=BND;CT=3to5;PE=4\n"
                 "1\t200\tb2\tN\t<BND>\t.\tPASS\tSVTYPE=BND;CT=3to5;CHR2=2;POS2=300;PE=4\n")
    a, b = junctions(p, build="GRCh37")
    assert a.orientation == "t]p] (CT=3to5)" and (a.chrom2, a.pos2) == ("16", 78500000)
    assert b.orientation == "3to5" and (b.chrom2, b.pos2) == ("2", 300)


def test_non_utf8_sv_file_refused_with_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "latin1.vcf"
    p.write_bytes(b"##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                  b"1\t100\tx\tN\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=500;NOTE=caf\xe9\n")
    with pytest.raises(InputError) as e:
        read_structural_variants(p, build="GRCh37")
    msg = str(e.value)
    assert "latin1.vcf" in msg and "line" in msg and "UTF-8" in msg


def test_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    p = tmp_path / "bom.vcf"
    p.write_bytes(b"\xef\xbb\xbf##fileformat=VCFv4.2\n##source=LUMPY\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                  b"1\t100\tx\tN\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=500;SU=4\n")
    (j,) = junctions(p, build="GRCh37")
    assert j.dialect == "LUMPY" and (j.pos1, j.pos2) == (100, 500) and j.support.total == 4


def test_format_layer_knows_nothing_of_lesions() -> None:
    code = ("import sys; import mmrisk.formats.sv; "
            "bad = [m for m in ('mmrisk.lesions', 'mmrisk.sv', 'mmrisk.evaluate') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT / "scripts")})
    assert proc.returncode == 0, proc.stdout + proc.stderr
