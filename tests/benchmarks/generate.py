"""Deterministic, realistic benchmark inputs (GRCh38, ``chr`` names).

- :func:`wgs_vcf`: a Mutect2-style WGS small-variant VCF, records spread over every chromosome in
  proportion to its length, most of them filtered (as Mutect2 leaves an unfiltered WGS call set),
  VEP CSQ on a share of them (the panel genes' records always annotated), and real hotspots planted
  at their real positions (TP53 p.Arg248Gln, NRAS p.Gln61Arg, KRAS p.Gly12Asp). bgzipped, optionally
  tabix-indexed.
- :func:`sv_vcf`: a Manta-style SV VCF of breakend pairs, deletions and duplications, with an IGH-NSD2
  junction, t(4;14), among them.
- :func:`cnv_cns`: a CNVkit ``.cns`` of many segments with 1q gained.
- :func:`cohort`: a sample sheet, FISH table and clinical table for many small samples (FISH for all,
  a small annotated VCF for every fifth), patients with two timepoints among them.

The same arguments always give the same bytes (a seeded generator, no clocks).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import demo_sequencing as ds  # noqa: E402  (locus tables and caller headers of the demo)

BUILD = "GRCh38"
FILTERS = ("weak_evidence", "germline", "normal_artifact", "strand_bias", "clustered_events")
PLANTED = {  # chrom -> (pos, ref, alt, CSQ key of demo_sequencing.CSQ)
    "17": (7674220, "C", "T", "TP53 R248Q"),
    "1": (114713908, "T", "C", "NRAS Q61R"),
    "12": (25245350, "C", "T", "KRAS G12D"),
}
BASES = "ACGT"


def _panel_spans() -> dict[str, list[tuple[int, int, str]]]:
    from mmrisk.snv import load_gene_regions, load_panel

    out: dict[str, list[tuple[int, int, str]]] = {}
    for g, r in load_gene_regions(build=BUILD, genes=load_panel()).items():
        out.setdefault(r.chrom, []).append((r.start, r.end, g))
    return out


def _gene_at(spans: list[tuple[int, int, str]], pos: int) -> str | None:
    for s, e, g in spans:
        if s <= pos <= e:
            return g
    return None


def _write_bgzf(path: Path, chunks) -> None:
    import pysam

    with pysam.BGZFile(str(path), "wb") as fh:
        for text in chunks:
            fh.write(text.encode("ascii"))


def _index(path: Path, preset: str = "vcf") -> None:
    import pysam

    pysam.tabix_index(str(path), preset=preset, force=True)


def wgs_vcf(path: Path, n_records: int, *, seed: int = 1, csq_share: float = 0.1, index: bool = True) -> Path:
    """Write a bgzipped WGS-scale small-variant VCF of ``n_records`` records (see the module docstring)."""
    rng = random.Random(seed)
    lengths = ds.lengths(BUILD)
    total = sum(lengths.values())
    spans = _panel_spans()
    header = ds._mutect2_vep("BENCH_tumor", "BENCH_normal", []).rstrip("\n")
    mutect2_filters = "".join(f'##FILTER=<ID={f},Description="Mutect2 filter {f}">\n' for f in FILTERS[1:])
    header = header.replace("##FORMAT=", mutect2_filters + "##FORMAT=", 1)
    header = header.rsplit("\n", 1)[0] + "\n" + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tBENCH_tumor\n"
    intron = "|intron_variant|MODIFIER|{g}|ENSG00000000000|Transcript|ENST00000000000.1|protein_coding||2/9|||||||YES||"
    other = "|intergenic_variant|MODIFIER|||||||||||||||||"

    def chunks():
        yield header
        remaining = n_records
        chroms = list(lengths)
        for k, c in enumerate(chroms):
            n_c = remaining if k == len(chroms) - 1 else round(n_records * lengths[c] / total)
            remaining -= n_c
            gap = max(2, lengths[c] // max(n_c, 1))
            plant = PLANTED.get(c)
            pos = rng.randint(1, gap)
            buf = []
            cspans = spans.get(c, [])
            for _ in range(n_c):
                if plant and pos >= plant[0]:
                    p, ref, alt, key = plant
                    buf.append(f"chr{c}\t{p}\t.\t{ref}\t{alt}\t.\tPASS\tCSQ={alt}|{ds.CSQ[key]};DP=140\t"
                               f"GT:AD:AF:DP\t0/1:95,45:0.321:140\n")
                    plant = None
                    if pos == p:
                        pos += 1
                ref = BASES[pos % 4]
                alt = BASES[(pos + 1 + (pos >> 3) % 3) % 4]
                filt = "PASS" if rng.random() < 0.1 else FILTERS[pos % len(FILTERS)]
                dp = 20 + pos % 60
                ad = 1 + pos % 17
                g = _gene_at(cspans, pos) if cspans else None
                if g is not None:
                    info = f"CSQ={alt}{intron.format(g=g)};DP={dp}"
                elif rng.random() < csq_share:
                    info = f"CSQ={alt}{other};DP={dp}"
                else:
                    info = f"DP={dp}"
                buf.append(f"chr{c}\t{pos}\t.\t{ref}\t{alt}\t.\t{filt}\t{info}\tGT:AD:AF:DP\t"
                           f"0/1:{dp - ad},{ad}:{ad / dp:.3f}:{dp}\n")
                if len(buf) >= 20000:
                    yield "".join(buf)
                    buf = []
                pos += rng.randint(1, 2 * gap - 1)
                if pos >= lengths[c]:
                    pos = lengths[c] - 1
            yield "".join(buf)

    _write_bgzf(path, chunks())
    if index:
        _index(path)
    return path


def sv_vcf(path: Path, n_breakends: int, *, seed: int = 2, index: bool = True) -> Path:
    """A Manta-style somatic SV VCF of about ``n_breakends`` breakend records (pairs, DEL, DUP)."""
    rng = random.Random(seed)
    lengths = ds.lengths(BUILD)
    chroms = [c for c in lengths if c != "Y"]
    header = ds.demo12_sv().split("#CHROM")[0] + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tBENCH_normal\tBENCH_tumor\n"
    records: list[tuple[int, int, str]] = []
    order = {c: i for i, c in enumerate(lengths)}

    def add(c: str, pos: int, text: str) -> None:
        records.append((order[c], pos, text))

    c4, w4s, w4e = ds.window("FGFR3-NSD2", BUILD)
    c14, i_s, i_e = ds.window("IGH", BUILD)
    p4, p14 = ds.gene("NSD2", BUILD)[1] + 12_345, i_s + 380_000
    e = "MantaBND:1:0:1:0:0:0"
    add(c4, p4, f"chr{c4}\t{p4}\t{e}:0\tA\tA]chr{c14}:{p14}]\t.\tPASS\tSVTYPE=BND;MATEID={e}:1;EVENT={e};SOMATIC;"
                f"SOMATICSCORE=92\tPR:SR\t31,0:35,0\t17,21:22,19")
    add(c14, p14, f"chr{c14}\t{p14}\t{e}:1\tG\tG]chr{c4}:{p4}]\t.\tPASS\tSVTYPE=BND;MATEID={e}:0;EVENT={e};SOMATIC;"
                  f"SOMATICSCORE=92\tPR:SR\t31,0:35,0\t17,21:22,19")
    k = 2
    while len(records) < n_breakends:
        k += 1
        kind = rng.random()
        c1 = rng.choice(chroms)
        p1 = rng.randint(100_000, lengths[c1] - 100_000)
        flt = "PASS" if rng.random() < 0.3 else "MinSomaticScore"
        sr, pr = rng.randint(0, 30), rng.randint(0, 30)
        if kind < 0.6:
            c2 = rng.choice(chroms)
            p2 = rng.randint(100_000, lengths[c2] - 100_000)
            ident = f"MantaBND:{k}:0:1:0:0:0"
            add(c1, p1, f"chr{c1}\t{p1}\t{ident}:0\tN\tN[chr{c2}:{p2}[\t.\t{flt}\tSVTYPE=BND;MATEID={ident}:1;"
                        f"SOMATIC;SOMATICSCORE={rng.randint(5, 99)}\tPR:SR\t30,0:30,0\t30,{pr}:30,{sr}")
            add(c2, p2, f"chr{c2}\t{p2}\t{ident}:1\tN\t]chr{c1}:{p1}]N\t.\t{flt}\tSVTYPE=BND;MATEID={ident}:0;"
                        f"SOMATIC;SOMATICSCORE={rng.randint(5, 99)}\tPR:SR\t30,0:30,0\t30,{pr}:30,{sr}")
        else:
            svtype = "DEL" if kind < 0.85 else "DUP"
            ln = rng.randint(300, 90_000)
            add(c1, p1, f"chr{c1}\t{p1}\tManta{svtype}:{k}:0:0:0:0:0\tN\t<{svtype}>\t.\t{flt}\tIMPRECISE;"
                        f"SVTYPE={svtype};SVLEN={-ln if svtype == 'DEL' else ln};END={p1 + ln};SOMATIC;"
                        f"SOMATICSCORE={rng.randint(5, 99)}\tPR\t30,0\t30,{pr}")
    records.sort()
    text = header + "".join(r[2] + "\n" for r in records)
    _write_bgzf(path, [text])
    if index:
        _index(path)
    return path


def cnv_cns(path: Path, n_segments: int, *, seed: int = 3, purity: float = 0.8) -> Path:
    """A CNVkit ``.cns`` of ``n_segments`` segments over the autosomes and X; 1q at 3 copies."""
    rng = random.Random(seed)
    lengths = {c: n for c, n in ds.lengths(BUILD).items() if c != "Y"}
    cen = ds.centromeres(BUILD)
    total = sum(lengths.values())
    rows = ["chromosome\tstart\tend\tgene\tlog2\tcn\tdepth\tprobes\tweight"]
    for c, n in lengths.items():
        k = max(2, round(n_segments * n / total))
        bounds = sorted({10_000, n - 10_000, *(rng.randint(20_000, n - 20_000) for _ in range(k - 1))})
        for s, e in zip(bounds, bounds[1:]):
            q_arm = s >= cen[c][1]
            cn = 3 if (c == "1" and q_arm) else (1 if rng.random() < 0.03 else 2)
            probes = max(5, (e - s) // 100_000)
            rows.append(f"chr{c}\t{s}\t{e - 1}\t-\t{ds.log2_ratio(cn, purity):.5f}\t{cn}\t{200 + cn * 5:.2f}\t"
                        f"{probes}\t{probes * 0.9:.2f}")
    path.write_text("\n".join(rows) + "\n", encoding="ascii")
    return path


FISH_SETS = (  # rotated over the cohort: (target, result, percent, copies)
    (("t(4;14)", "positive", "55", ""), ("1q21 gain", "positive", "40", "3"), ("17p-", "negative", "", "")),
    (("17p-", "positive", "35", "1"), ("t(4;14)", "negative", "", ""), ("t(14;16)", "negative", "", "")),
    (("t(11;14)", "positive", "70", ""), ("17p-", "negative", "", ""), ("1q21 gain", "negative", "", ""),
     ("CDKN2C", "negative", "", ""), ("t(4;14)", "negative", "", ""), ("t(14;16)", "negative", "", ""),
     ("t(14;20)", "negative", "", "")),
    (("CDKN2C", "positive", "30", "1"), ("1q21 gain", "positive", "50", "4")),
)


def cohort(folder: Path, n_samples: int, *, with_vcf_every: int = 5, patients_every: int = 10) -> Path:
    """Sheet, FISH table, clinical table and small VCFs of ``n_samples`` samples; returns the sheet path."""
    folder.mkdir(parents=True, exist_ok=True)
    small = folder / "small.snv.vcf.gz"
    if not small.exists():
        wgs_vcf(small, 300, seed=7, index=False)
    fish = ["sample\ttarget\tresult\tpercent\tcopies\tcells_scored"]
    clin = ["sample\tb2m_mg_l\talbumin_g_dl\tldh_u_l\tldh_uln_u_l\tcreatinine_mg_dl\texposed_to\trefractory_to\tprior_lines"]
    sheet = ["sample\tpatient\ttimepoint\tcollection_date\tbuild\tfish\tsnv_vcf\ttumor_column\tpurity"]
    for i in range(n_samples):
        sid = f"B{i + 1:05d}"
        # every patients_every-th pair of samples belongs to one patient (diagnosis, relapse)
        paired = patients_every and (i % patients_every) in (0, 1)
        patient = f"BP{(i // patients_every) + 1:05d}" if paired else f"BP-{sid}"
        timepoint = ("diagnosis" if i % patients_every == 0 else "relapse1") if paired else "diagnosis"
        date = f"202{3 + (i % patients_every == 1)}-0{1 + i % 9}-1{i % 10}"
        for target, result, pct, copies in FISH_SETS[i % len(FISH_SETS)]:
            fish.append(f"{sid}\t{target}\t{result}\t{pct}\t{copies}\t200")
        clin.append(f"{sid}\t{2.0 + (i % 7) * 0.7:.1f}\t{3.0 + (i % 5) * 0.3:.1f}\t{180 + i % 200}\t250\t"
                    f"{0.7 + (i % 6) * 0.15:.2f}\tbortezomib;lenalidomide\t{'bortezomib' if i % 3 == 0 else ''}\t"
                    f"{i % 4}")
        vcf = small.name if with_vcf_every and i % with_vcf_every == 0 else ""
        sheet.append(f"{sid}\t{patient}\t{timepoint}\t{date}\t{BUILD}\tfish.tsv\t{vcf}\t{'BENCH_tumor' if vcf else ''}\t"
                     f"{'0.8' if vcf else ''}")
    (folder / "fish.tsv").write_text("\n".join(fish) + "\n", encoding="ascii")
    (folder / "clinical.tsv").write_text("\n".join(clin) + "\n", encoding="ascii")
    path = folder / "samples.tsv"
    path.write_text("\n".join(sheet) + "\n", encoding="ascii")
    return path


def panel_bed(path: Path) -> Path:
    """The panel gene regions as a BED file (0-based starts), as ``bcftools view -T`` takes them."""
    rows = []
    order = {c: i for i, c in enumerate(ds.lengths(BUILD))}
    for c, spans in sorted(_panel_spans().items(), key=lambda kv: order[kv[0]]):
        for s, e, g in sorted(spans):
            rows.append(f"chr{c}\t{s - 1}\t{e}\t{g}")
    path.write_text("\n".join(rows) + "\n", encoding="ascii")
    return path
