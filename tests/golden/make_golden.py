#!/usr/bin/env python3
"""Golden outputs: every output of the demo cohort and of every corpus file, normalised.

Made once before the "one typed evidence model" restructuring (issue 12) and compared with the
current code by ``tests/test_golden.py``: a refactoring must not change what users get.

    python tests/golden/make_golden.py OUTDIR      # write the current code's outputs to OUTDIR
    python tests/golden/make_golden.py --update    # rewrite tests/golden/expected/ (review the git diff!)

What is produced:
- ``demo/``: the demo cohort run through the real workflow (Snakemake), every file under ``results/``
  except logs and benchmarks;
- ``corpus/<folder>/<file>/<build>/``: each file of ``../shared/corpus`` (not ``myeloma/``, which has
  its own tests) evaluated as a one-sample cohort of its input kind in both builds: ``evaluation.json``
  (the result, or the sample's failure message) and, when it did not fail, lesions.tsv, variants.tsv
  and report.html.

Normalised so that only what the code computes is compared: absolute paths of the temporary
folder, of the corpus and of the repository become ``<work>``, ``<corpus>`` and ``<repo>``, the report date is fixed through
``SOURCE_DATE_EPOCH``, and the installed software versions become ``<version>``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
EXPECTED = Path(__file__).resolve().parent / "expected"
sys.path.insert(0, str(ROOT / "scripts"))

#: input kind of each corpus folder (a file named here overrides its folder)
CORPUS_KINDS = {
    "ascat": "cnv", "cnvkit": "cnv", "gatk_cnv": "cnv",
    "bcftools_csq": "snv_vcf", "deepsomatic": "snv_vcf", "funcotator": "snv_vcf", "mutect": "snv_vcf",
    "mutect2": "snv_vcf", "snpeff": "snv_vcf", "somatic_misc": "snv_vcf", "strelka2": "snv_vcf",
    "varscan2": "snv_vcf", "vep_csq": "snv_vcf",
    "delly": "sv_vcf", "gridss": "sv_vcf", "lumpy": "sv_vcf", "manta": "sv_vcf", "severus": "sv_vcf",
    "sniffles": "sv_vcf", "svaba": "sv_vcf",
    "purple/tumor_sample.purple.cnv.somatic.tsv": "cnv", "purple/tumor_sample.purple.sv.vcf": "sv_vcf",
}
EPOCH = "86400"  # 1970-01-02: the report date of every golden page
SKIP_DIRS = {"logs", "benchmarks", ".mmrisk"}  # .mmrisk: the run lock and the jobs' config file (named by a digest of absolute paths)


def corpus_files() -> list[tuple[str, str]]:
    """(path relative to the corpus, input kind) of every corpus input file."""
    out = []
    for p in sorted(CORPUS.rglob("*")):
        rel = p.relative_to(CORPUS).as_posix()
        if not p.is_file() or rel.startswith("myeloma/") or p.suffix in (".tbi", ".csi", ".md", ".tsv") and \
                rel not in CORPUS_KINDS:
            continue
        kind = CORPUS_KINDS.get(rel) or CORPUS_KINDS.get(rel.split("/")[0])
        if kind:
            out.append((rel, kind))
    return out


def normalise(text: str, work: Path) -> str:
    """Machine paths as ``<work>``, ``<corpus>``, ``<repo>``, also where a page breaks them with ``<wbr>``."""
    for path, name in ((work.resolve(), "<work>"), (work, "<work>"), (CORPUS.resolve(), "<corpus>"),
                       (CORPUS, "<corpus>"), (ROOT, "<repo>")):
        text = text.replace(str(path), name).replace("/<wbr>".join(str(path).split("/")), name)
    # a page's place in a zip report hashes its folder's path, a temporary one for the corpus pages
    # (the ids themselves: tests/test_snakemake_report.py against a real zip report)
    return re.sub(r'data-report-self="[0-9a-f]{16}/', 'data-report-self="<report-id>/', text)


def _software(text: str) -> str:
    """Installed versions vary between machines: compared as ``<version>``."""
    from mmrisk.evaluate import software_versions

    for name, version in software_versions().items():
        if name == "mmrisk":
            continue
        text = re.sub(rf'("{re.escape(name)}": )"{re.escape(version)}"', r'\1"<version>"', text)
        text = text.replace(f"{name} {version}", f"{name} <version>")
    return text


def _copy_tree(src: Path, dst: Path, work: Path) -> None:
    for p in sorted(src.rglob("*")):
        rel = p.relative_to(src)
        if p.is_dir() or rel.parts[0] in SKIP_DIRS:
            continue
        target = dst / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_software(normalise(p.read_text(encoding="utf-8"), work)), encoding="utf-8")


def make_demo(out: Path) -> None:
    """The demo cohort through the real workflow."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "config", work / "config")
        shutil.copytree(ROOT / "resources", work / "resources")
        bindir = Path(sys.executable).parent
        snakemake = str(bindir / "snakemake") if (bindir / "snakemake").exists() else "snakemake"
        env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"}
        proc = subprocess.run([snakemake, "--snakefile", str(ROOT / "workflow" / "Snakefile"), "--directory",
                               str(work), "--cores", "2", "--keep-going"], cwd=work, env=env, text=True,
                              capture_output=True)
        if proc.returncode != 0:
            raise SystemExit(f"demo run failed:\n{proc.stderr[-4000:]}")
        _copy_tree(work / "results", out / "demo", work)


def make_corpus(out: Path) -> None:
    """Each corpus file as a one-sample cohort of its kind, in both builds."""
    from mmrisk.entry import run_sample
    from mmrisk.settings import load_config
    from mmrisk.sheet import Sample

    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    config = load_config(ROOT / "config" / "config.yaml", ROOT, clinical="")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for rel, kind in corpus_files():
            for build in ("GRCh37", "GRCh38"):
                sample = Sample(sample="CORPUS", patient="CORPUS", build=build, **{kind: str(CORPUS / rel)})
                folder = work / rel / build
                run_sample(sample, config, "samples.tsv", str(folder))
                _copy_tree(folder, out / "corpus" / rel / build, work)


def make_all(out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    make_demo(out)
    if CORPUS.is_dir():
        make_corpus(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", nargs="?", help="where to write the current code's outputs")
    ap.add_argument("--update", action="store_true", help=f"rewrite {EXPECTED.relative_to(ROOT)}")
    args = ap.parse_args()
    if not args.update and not args.outdir:
        ap.error("give OUTDIR or --update")
    make_all(EXPECTED if args.update else Path(args.outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
