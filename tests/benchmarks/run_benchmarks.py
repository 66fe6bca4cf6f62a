"""Benchmark suite of the workflow (not a test: nothing here is timed against a limit in CI).

    ./run.sh bench [--quick] [--workdir DIR] [--out FILE] [--skip-cohort]

Generates its own inputs deterministically (see ``generate.py``), then measures, each figure beside
its target and, where the issue asks, beside the reference tool in the same run:

1. one WGS-scale sample (5 M-record VCF, bgzipped and indexed; 20 000-breakend SV VCF; 2 000-segment
   CNV file): the whole per-sample processing (what the ``evaluate_sample`` job does, interpreter
   start-up included), wall time and peak RSS;
2. the same VCF without its index: our streaming extraction against ``bcftools view -T panel.bed``
   on the same file (the ratio);
3. peak RSS of that extraction at 0.5, 2 and 5 M records (flat in file size?);
4. a 1 000-sample cohort on 2 cores through Snakemake, end to end including the cohort and patient
   pages, the DAG build time (``snakemake -n``), and the per-sample marginal cost from a second,
   smaller cohort.

Prints each figure with the machine it ran on and writes them to ``--out`` (Markdown) and a JSON file
beside it. ``--quick`` uses 1/10 of every size (a smoke run of the suite itself).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(HERE))

PY = sys.executable


# ---------------------------------------------------------------------------------------- measuring

def measure(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> dict[str, float]:
    """Wall time and peak RSS (MB) of one child process (``wait4`` reports that child alone)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    # communicate() has reaped the child: read its rusage from /proc is impossible now, so the
    # child reports its own peak (ru_maxrss of itself and its children) on its last stdout line.
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode()[-3000:]}")
    rss = None
    for line in out.decode().splitlines()[::-1]:
        if line.startswith("PEAK_RSS_MB "):
            rss = float(line.split()[1])
            break
    return {"wall_s": round(wall, 3), "rss_mb": rss, "stdout": out.decode()}


def measure_external(cmd: list[str], cwd: Path | None = None) -> dict[str, float]:
    """Wall time and peak RSS of an external tool, via os.wait4 on its pid.

    Its output goes to a temporary file, never a pipe: a pipe nobody reads fills up and stops the
    tool (and, for Snakemake, every job writing to the inherited stderr).
    """
    import tempfile

    with tempfile.TemporaryFile() as errf:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errf)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            errf.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} failed: {errf.read().decode(errors='replace')[-3000:]}")
    return {"wall_s": round(wall, 3), "rss_mb": round(ru.ru_maxrss / 1024, 1)}


def peak_rss_line() -> str:
    import resource

    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return f"PEAK_RSS_MB {self_mb:.1f}"


def best_of(n: int, fn) -> dict[str, Any]:
    runs = [fn() for _ in range(n)]
    best = min(runs, key=lambda r: r["wall_s"])
    return {**best, "runs_s": [r["wall_s"] for r in runs]}


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    bcftools = shutil.which("bcftools")
    bver = subprocess.run([bcftools, "--version"], capture_output=True, text=True).stdout.splitlines()[0] if bcftools else None
    import snakemake

    return {"cpu": cpu, "cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)), "memory_gb": mem_gb,
            "python": platform.python_version(), "platform": platform.platform(), "bcftools": bver,
            "snakemake": snakemake.__version__}


# ------------------------------------------------------------------------------------- child modes

def child_sample(args: argparse.Namespace) -> None:
    """What the per-sample job does: evaluate, then write the outputs."""
    from mmrisk.entry import run_sample
    from mmrisk.sheet import read_sample_sheet, validate_config

    import yaml

    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    cfg["samples"] = args.sheet
    cfg = validate_config(cfg, "config")
    sample = read_sample_sheet(args.sheet, "GRCh38").samples[args.sample]
    status = run_sample(sample, cfg, args.sheet, args.out)
    assert status == "ok", (Path(args.out) / "evaluation.json").read_text()[:2000]
    print(peak_rss_line())


def child_snv(args: argparse.Namespace) -> None:
    """Small-variant extraction alone (panel genes), as evaluate_sample does it."""
    from mmrisk.snv import load_gene_regions, read_small_variants

    res = read_small_variants(args.vcf, build="GRCh38", genes=load_gene_regions(build="GRCh38"))
    print(f"MODE {res.mode} RECORDS {res.records_read} REPORTED {len(res.variants)}")
    print(peak_rss_line())


# ------------------------------------------------------------------------------------------ the suite

def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def ensure(path: Path, make) -> Path:
    if not path.exists():
        t0 = time.perf_counter()
        make(path)
        log(f"generated {path.name} in {time.perf_counter() - t0:.1f} s")
    return path


def run(args: argparse.Namespace) -> dict[str, Any]:
    import generate as gen

    scale = 0.1 if args.quick else 1.0
    work = Path(args.workdir).resolve()
    work.mkdir(parents=True, exist_ok=True)
    sizes = {"vcf": [int(500_000 * scale), int(2_000_000 * scale), int(5_000_000 * scale)],
             "sv": int(20_000 * scale), "cnv": int(2_000 * scale) or 200, "cohort": int(1000 * scale),
             "cohort_small": int(200 * scale)}
    res: dict[str, Any] = {"machine": machine(), "sizes": sizes, "quick": bool(args.quick)}
    log(f"machine: {res['machine']}")

    vcfs = {}
    for n in sizes["vcf"]:
        vcfs[n] = ensure(work / f"wgs_{n}.vcf.gz", lambda p, n=n: gen.wgs_vcf(p, n))
    big = sizes["vcf"][-1]
    sv = ensure(work / f"sv_{sizes['sv']}.vcf.gz", lambda p: gen.sv_vcf(p, sizes["sv"]))
    cnv = ensure(work / f"cnv_{sizes['cnv']}.cns", lambda p: gen.cnv_cns(p, sizes["cnv"]))
    bed = gen.panel_bed(work / "panel.bed")
    res["inputs"] = {"vcf_bytes": {str(n): p.stat().st_size for n, p in vcfs.items()},
                     "sv_bytes": sv.stat().st_size, "cnv_segments": sizes["cnv"]}

    # 1. one WGS-scale sample, indexed inputs -----------------------------------------------------
    sheet = work / "wgs_sample.tsv"
    sheet.write_text("sample\tpatient\tbuild\tsnv_vcf\tsv_vcf\tcnv\ttumor_column\tpurity\n"
                     f"WGS1\tWGS1\tGRCh38\t{vcfs[big].name}\t{sv.name}\t{cnv.name}\tBENCH_tumor\t0.8\n")
    out = work / "wgs_out"
    out.mkdir(exist_ok=True)
    cmd = [PY, __file__, "child-sample", "--sheet", str(sheet), "--sample", "WGS1", "--out", str(out)]
    sample = best_of(3, lambda: measure(cmd, cwd=ROOT))
    res["per_sample_indexed"] = {"wall_s": sample["wall_s"], "rss_mb": sample["rss_mb"], "runs_s": sample["runs_s"],
                                 "target": "<= 3 s wall, <= 300 MB peak RSS"}
    log(f"1. WGS sample (indexed): {sample['wall_s']} s, {sample['rss_mb']} MB")

    # 2./3. unindexed streaming vs bcftools view -T ------------------------------------------------
    stream = {}
    for n, p in vcfs.items():
        plain = work / f"noindex_{n}.vcf.gz"
        if not plain.exists():
            os.link(p, plain)
        ours = best_of(2, lambda: measure([PY, __file__, "child-snv", "--vcf", str(plain)], cwd=ROOT))
        row = {"records": n, "ours_s": ours["wall_s"], "ours_rss_mb": ours["rss_mb"],
               "ours_detail": ours["stdout"].splitlines()[0]}
        if shutil.which("bcftools"):
            ref = best_of(2, lambda: measure_external(["bcftools", "view", "-T", str(bed), "-Ov", "-o", "/dev/null",
                                                       str(plain)]))
            row.update(bcftools_s=ref["wall_s"], bcftools_rss_mb=ref["rss_mb"],
                       ratio=round(ours["wall_s"] / ref["wall_s"], 2))
        stream[str(n)] = row
        log(f"2. unindexed {n} records: ours {row['ours_s']} s / {row['ours_rss_mb']} MB; "
            f"bcftools {row.get('bcftools_s')} s; ratio {row.get('ratio')}")
    res["streaming_unindexed"] = {"by_records": stream, "target": "ours / bcftools view -T <= 1.5; RSS flat"}

    # 4. cohorts through Snakemake ------------------------------------------------------------------
    if not args.skip_cohort:
        res["cohort"] = {}
        for label, n in (("small", sizes["cohort_small"]), ("large", sizes["cohort"])):
            folder = work / f"cohort_{n}"
            if folder.exists():
                shutil.rmtree(folder)
            sheet = gen.cohort(folder, n)
            # run as a user does: from the repository root (so profiles/default applies)
            smk = [str(Path(PY).with_name("snakemake")), "--config", f"samples={sheet}", f"clinical={folder / 'clinical.tsv'}",
                   f"outdir={folder / 'results'}"]
            dag = measure_external(smk + ["-n", "--quiet", "all"], cwd=ROOT)
            full = measure_external(smk + ["--cores", "2", "--quiet", "all"], cwd=ROOT)
            res["cohort"][label] = {"samples": n, "dag_s": dag["wall_s"], "end_to_end_s": full["wall_s"],
                                    "snakemake_rss_mb": full["rss_mb"]}
            log(f"4. cohort of {n}: DAG {dag['wall_s']} s, end to end {full['wall_s']} s")
        s, l = res["cohort"]["small"], res["cohort"]["large"]
        res["cohort"]["marginal_s_per_sample"] = round((l["end_to_end_s"] - s["end_to_end_s"]) /
                                                       (l["samples"] - s["samples"]), 3)
        res["cohort"]["target"] = "1000 samples <= 600 s end to end on 2 cores; DAG <= 30 s"
        log(f"4. marginal cost: {res['cohort']['marginal_s_per_sample']} s per sample")
    return res


def markdown(res: dict[str, Any]) -> str:
    m = res["machine"]
    lines = [f"# mmrisk benchmark{' (quick)' if res['quick'] else ''}", "",
             f"Machine: {m['cpu']}, {m['usable_cores']} usable of {m['cores']} cores, {m['memory_gb']} GB; "
             f"Python {m['python']}; Snakemake {m['snakemake']}; {m['bcftools'] or 'bcftools not installed'}.", "",
             "| measurement | result | target |", "|---|---|---|"]
    p = res["per_sample_indexed"]
    lines.append(f"| one WGS-scale sample, indexed ({res['sizes']['vcf'][-1]:,} SNV records, {res['sizes']['sv']:,} "
                 f"breakends, {res['sizes']['cnv']:,} segments): whole per-sample processing | {p['wall_s']} s, "
                 f"{p['rss_mb']} MB peak RSS | ≤ 3 s, ≤ 300 MB |")
    for n, r in res["streaming_unindexed"]["by_records"].items():
        ref = f"; bcftools view -T {r['bcftools_s']} s; ratio {r['ratio']}" if "ratio" in r else ""
        lines.append(f"| unindexed VCF, {int(n):,} records: panel extraction | {r['ours_s']} s, {r['ours_rss_mb']} MB"
                     f"{ref} | ratio ≤ 1.5; RSS flat |")
    if "cohort" in res:
        c = res["cohort"]
        for k in ("small", "large"):
            lines.append(f"| cohort of {c[k]['samples']:,} samples on 2 cores, end to end | {c[k]['end_to_end_s']} s "
                         f"(DAG {c[k]['dag_s']} s) | 1,000 samples ≤ 600 s, DAG ≤ 30 s |")
        lines.append(f"| per-sample marginal cost | {c['marginal_s_per_sample']} s | |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="mode")
    cs = sub.add_parser("child-sample")
    cs.add_argument("--sheet", required=True)
    cs.add_argument("--sample", required=True)
    cs.add_argument("--out", required=True)
    cv = sub.add_parser("child-snv")
    cv.add_argument("--vcf", required=True)
    ap.add_argument("--quick", action="store_true", help="1/10 of every size (a smoke run of the suite)")
    ap.add_argument("--workdir", default="/tmp/mmrisk-bench", help="generated inputs and outputs (default %(default)s)")
    ap.add_argument("--out", default="benchmark-results.md", help="Markdown report; JSON beside it (default %(default)s)")
    ap.add_argument("--skip-cohort", action="store_true", help="leave out the cohort runs")
    args = ap.parse_args(argv)
    if args.mode == "child-sample":
        child_sample(args)
        return 0
    if args.mode == "child-snv":
        child_snv(args)
        return 0
    res = run(args)
    md = markdown(res)
    print(md)
    Path(args.out).write_text(md, encoding="utf-8")
    Path(args.out).with_suffix(".json").write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    log(f"wrote {args.out} and {Path(args.out).with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
