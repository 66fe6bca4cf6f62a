"""The one map of what the workflow ships: where the package's data, schemas and templates are.

No other module finds a file by walking up from its own path. The resource tables a run uses
are named by the configuration's ``resources`` (each one hashed into the provenance of every
result and an input of the rules); :func:`shipped` gives the shipped copy of each, the default of
``workflow/schemas/config.schema.yaml``, for tests and for the library functions' defaults.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

#: the repository (or installed workflow) root: ``scripts/mmrisk/`` is two levels below it
ROOT = Path(__file__).resolve().parents[2]
RESOURCE_DIR = ROOT / "resources"
SCHEMA_DIR = ROOT / "workflow" / "schemas"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def _defaults() -> dict[str, str]:
    props = _schema()["properties"]["resources"]["properties"]
    return {name: str(prop["default"]) for name, prop in props.items()}


def load_yaml(path: str | Path) -> Any:
    """One of our own YAML files (schemas), parsed by libyaml where PyYAML has it (its wheels do: ten times
    faster than the pure-Python parser, which spent 0.1 s of every job on the configuration schema)."""
    import yaml

    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@lru_cache(maxsize=1)
def _schema() -> dict:
    return load_yaml(SCHEMA_DIR / "config.schema.yaml")


def schema_default(key: str) -> Any:
    """The configuration schema's default of a dotted option (``"snv.vaf_floor"``): the one copy of every
    default, which library functions use as their keyword defaults (a tuple for a list)."""
    node: Any = _schema()
    for part in key.split("."):
        node = node["properties"][part]
    value = node["default"]
    return tuple(value) if isinstance(value, list) else value


def resource_names() -> tuple[str, ...]:
    """The configuration's resource keys, in schema order."""
    return tuple(_defaults())


def shipped(name: str) -> Path:
    """The shipped copy of resource ``name`` (a key of the configuration's ``resources``)."""
    try:
        return ROOT / _defaults()[name]
    except KeyError:
        raise KeyError(f"unknown resource {name!r}; known: {', '.join(_defaults())}") from None
