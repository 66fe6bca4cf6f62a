"""Which configuration a run uses: the demo's, or the user's own on the schema's defaults, never a mix.

``config/config.yaml`` is the demo's configuration: its sample sheet and its clinical table are
fictional. Snakemake merges a user's ``--configfile`` and ``--config`` over the workflow's own
config file, so a user config that does not name a clinical table would silently inherit the
demo's, and fictional laboratory values would enter real samples' stages. :func:`effective_config`
makes the rule explicit:

- **demo run**: no ``--configfile``, no ``--config samples=...``, not used as a module. The shipped
  configuration is used as it is, its relative paths resolved against the workflow's folder (so
  the demo also runs with ``--directory elsewhere``).
- **the user's run**: anything else. Only what the user gave (their config files and ``--config``,
  or the ``config`` a deploying workflow passes to the module) is used, on top of the schema's
  defaults; nothing of the shipped file, so nothing of the demo, is inherited. A user config
  without ``samples`` is an error; without ``clinical`` the run has no clinical table.

Either way a resource table left at its schema default (``resources/...``) is the workflow's own
file, found relative to the workflow, never the working directory; a resource path the user gives
is theirs, relative to where Snakemake runs.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any, Mapping

from .errors import InputError, InputProblem
from .resources import resource_names, schema_default

#: Keys of the shipped configuration that name the demo's own files.
DEMO_PATHS: tuple[str, ...] = ("samples", "clinical", "treatment_lines", "inbox")


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, Mapping) and isinstance(out.get(k), dict) else copy.deepcopy(v)
    return out


def _absolute(path: str, base: Path) -> str:
    return path if not path or os.path.isabs(path) else os.path.normpath(os.path.join(base, path))


def effective_config(config: Mapping[str, Any], *, user: Mapping[str, Any] | None, root: str | Path,
                     shipped: Mapping[str, Any] | None = None,
                     sources: str = "your configuration") -> tuple[dict[str, Any], list[str]]:
    """The configuration the run uses, and notes to log.

    ``config``: what Snakemake assembled (the shipped file with the user's values merged over it);
    ``user``: what the user gave (their config files and ``--config`` merged, or a module's ``config``),
    None for a demo run; ``root``: the workflow's folder (the repository root); ``shipped``: the shipped
    configuration file's content (its own relative paths are the repository's).
    """
    root = Path(root)
    notes: list[str] = []
    if user is None:
        cfg = copy.deepcopy(dict(config))
        for key in DEMO_PATHS:  # the shipped file's own paths; one given by --config is the user's (cwd)
            if isinstance(cfg.get(key), str) and cfg[key] == (shipped or {}).get(key):
                cfg[key] = _absolute(cfg[key], root)
    else:
        cfg = _merge({}, user)
        if not cfg.get("samples"):
            raise InputError([InputProblem(sources, "names no sample sheet", column="samples",
                                           expected="samples: path/to/samples.tsv (the demo's sheet is used only "
                                                    "when no configuration of your own is given)")])
        if "clinical" not in cfg:
            notes.append("no clinical table in your configuration (clinical:): ISS, R-ISS and R2-ISS are not "
                         "computable and refractoriness is unknown; the demo's table is never used for your samples")
    resources = dict(cfg.get("resources") or {})
    for name in resource_names():
        default = schema_default(f"resources.{name}")
        value = resources.get(name, default)
        resources[name] = _absolute(value, root) if value == default else value
    cfg["resources"] = resources
    return cfg, notes


__all__ = ["DEMO_PATHS", "effective_config"]
