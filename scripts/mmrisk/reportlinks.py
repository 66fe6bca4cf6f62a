"""Links between our pages (cohort ↔ sample reports ↔ patient pages) that work in ``results/`` and inside
``snakemake --report``'s output.

Snakemake 9 (``snakemake/report/__init__.py`` ``FileRecord``, ``html_reporter/common.py`` ``get_result_uri``)
stores a file declared with ``report()`` in the zip report at ``<zip stem>/data/raw/<id>/<filename>``, where
``<id>`` is the first 16 hexadecimal digits (``FILE_HASH_PREFIX_LEN``) of the SHA-256 of the path as the rule
declares it (for a ``directory()`` output with ``patterns``: the folder's path, the file's name then being
its path inside the folder). Every page of ours therefore sits one folder below ``data/raw/`` and reaches
another as ``../<id>/<filename>``. A link carries both addresses: ``href`` (results/) and
``data-report-href`` (the zip report); the pages' small script (``templates/links.js``) takes the second
when the page finds itself at its own place in a zip report (``data-report-self`` on ``<html>``).

The self-contained ``--report x.html`` embeds each page as a ``data:`` URL: there a page cannot address
another, and the script says so on the page instead of showing links that lead nowhere.

The ids are those of the paths the jobs are given (the rules' declared outputs as Snakemake formats them).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import NamedTuple

#: Snakemake's ``snakemake.iocontainers.FILE_HASH_PREFIX_LEN`` (the report's shortened file ids).
REPORT_ID_LENGTH = 16


class Link(NamedTuple):
    """A link from one of our pages to another: relative in ``results/`` and in the zip report."""

    href: str
    report: str


def report_id(declared: str) -> str:
    """The id under which ``snakemake --report x.zip`` stores the output declared as ``declared``."""
    return hashlib.sha256(str(Path(declared)).encode()).hexdigest()[:REPORT_ID_LENGTH]


def report_place(target: str, declared: str | None = None) -> str:
    """``<id>/<filename>``: where ``target`` (a page in results/) lies below the zip report's ``data/raw/``;
    ``declared`` is the report() output holding it when that is its folder (a sample's folder)."""
    if declared is None or Path(declared) == Path(target):
        return f"{report_id(target)}/{os.path.basename(target)}"
    return f"{report_id(declared)}/{Path(os.path.relpath(target, declared)).as_posix()}"


def link(from_dir: str, target: str, declared: str | None = None) -> Link:
    """The link from a page in ``from_dir`` to the page ``target`` (``declared``: see :func:`report_place`)."""
    return Link(Path(os.path.relpath(target, from_dir or ".")).as_posix(), f"../{report_place(target, declared)}")


def sample_page(folder: str) -> str:
    """A sample's report in its results folder (the folder is the report() output)."""
    return os.path.join(folder, "report.html")


def link_to_sample(from_dir: str, folder: str) -> Link:
    """The link to the report of the sample whose results folder is ``folder``."""
    return link(from_dir, sample_page(folder), declared=folder)
