"""Typed settings, built once from the validated configuration.

The only copy of every default is ``workflow/schemas/config.schema.yaml``: validation
(:func:`mmrisk.sheet.validate_config`) fills in what a configuration leaves out, and
:meth:`Settings.from_config` reads every value from that validated configuration without a
fallback of its own. Code that needs a threshold takes it from here (a ``Settings`` is built once
per job), never from a literal or from a configuration dict; :meth:`Settings.defaults` gives the
schema's defaults, for tests and library callers.

Follow ``snv.vaf_floor`` for example: the configuration → :class:`SnvSettings` → the small-variant
reader (flags variants below it) → the knowledge-base matcher (holds matches below it apart) →
the report's VAF plot (draws it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from .cnv import CnvThresholds
from .risk import Thresholds


@dataclass(frozen=True)
class FishSettings:
    cutoffs: Mapping[str, float]  # probe kind (fusion, breakapart, deletion, gain) → % of nuclei
    igh_breakapart_negative_excludes_partners: bool
    hyperdiploidy_min_trisomies: int
    hyperdiploidy_min_tested: int


@dataclass(frozen=True)
class SnvSettings:
    filters: tuple[str, ...]
    max_population_af: float
    vaf_floor: float


@dataclass(frozen=True)
class SvSettings:
    filters: tuple[str, ...]
    min_support: float
    min_intrachromosomal_distance: int
    nearest_window_distance: int
    single_breakend_evidence: bool


@dataclass(frozen=True)
class CnvSettings:
    ploidy: float
    thresholds: CnvThresholds


@dataclass(frozen=True)
class Settings:
    """Every option of one run, typed; ``config`` is the validated configuration it was built from."""

    fish: FishSettings
    snv: SnvSettings
    sv: SvSettings
    cnv: CnvSettings
    risk: Thresholds
    resources: Mapping[str, str]
    clinical: str
    config: Mapping[str, Any]
    treatment_lines: str = ""  # the lines-of-therapy table, "" for none
    refractory_window_days: int = 0  # from the config (course.refractory_window_days)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "Settings":
        """From a configuration validated by :func:`mmrisk.sheet.validate_config` (defaults filled in)."""
        f, s, v, c = config["fish"], config["snv"], config["sv"], dict(config["cnv"])
        ploidy = float(c.pop("ploidy"))
        return cls(
            fish=FishSettings({k: float(x) for k, x in f["cutoffs"].items()},
                              bool(f["igh_breakapart_negative_excludes_partners"]),
                              int(f["hyperdiploidy_min_trisomies"]), int(f["hyperdiploidy_min_tested"])),
            snv=SnvSettings(tuple(s["filters"]), float(s["max_population_af"]), float(s["vaf_floor"])),
            sv=SvSettings(tuple(v["filters"]), float(v["min_support"]), int(v["min_intrachromosomal_distance"]),
                          int(v["nearest_window_distance"]), bool(v["single_breakend_evidence"])),
            cnv=CnvSettings(ploidy, CnvThresholds(**c)),
            risk=Thresholds.from_config(config["risk"]),
            resources=dict(config["resources"]),
            clinical=str(config.get("clinical") or ""),
            config=config,
            treatment_lines=str(config.get("treatment_lines") or ""),
            refractory_window_days=int(config["course"]["refractory_window_days"]),
        )

    @classmethod
    def defaults(cls) -> "Settings":
        """The schema's defaults (shipped resources, no clinical table)."""
        return cls.from_config(default_config())

    def effective_config(self) -> dict[str, Any]:
        """The configuration as it was applied (for provenance)."""
        return {**dict(self.config), "risk": self.risk.as_dict()}


@lru_cache(maxsize=1)
def _default_config() -> dict[str, Any]:
    from .resources import ROOT, shipped
    from .sheet import validate_config

    cfg = validate_config({"samples": str(ROOT / "config" / "samples.tsv")}, "schema defaults")
    cfg["resources"] = {name: str(shipped(name)) for name in cfg["resources"]}
    return cfg


def load_config(path: str | Path, base: str | Path, **overrides: Any) -> dict[str, Any]:
    """A YAML configuration file, validated, with ``samples``, ``clinical`` and every resource path made
    absolute against ``base`` (the folder Snakemake would run in); ``overrides`` replace top-level keys."""
    import yaml

    from .sheet import validate_config

    with open(path, encoding="utf-8") as fh:
        raw = {**(yaml.safe_load(fh) or {}), **overrides}
    for key in ("samples", "clinical", "treatment_lines"):
        if raw.get(key):
            raw[key] = str(Path(base) / raw[key])
    raw["resources"] = {k: str(Path(base) / v) for k, v in (raw.get("resources") or {}).items()}
    return validate_config(raw, str(path))


def default_config() -> dict[str, Any]:
    """A validated configuration holding only the schema's defaults (a fresh copy)."""
    import copy

    return copy.deepcopy(_default_config())
