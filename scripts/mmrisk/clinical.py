"""The clinical table: laboratory values and treatment history per sample.

The optional clinical table (``clinical:`` in the config, one row per sample)
feeds the staging systems (beta2-microglobulin, albumin, LDH, creatinine) and
the ``refractory`` object of ``risk.json`` (drugs the patient was exposed and
refractory to). This module reads and checks it; it applies no clinical
thresholds (those live in the config and the risk module).

* :func:`load_drugs` reads the drug vocabulary ``resources/drugs.tsv`` into a
  :class:`DrugVocabulary` that resolves generic names, brand names and common
  abbreviations to one generic name and its drug classes.
* :func:`read_clinical_table` reads the table into typed
  :class:`ClinicalRecord` objects. Problems of a row belong to the sample it
  names and are returned, not raised, so a bad row fails only that sample.
* :func:`refractory_class` and :func:`treatment_history` (a typed
  :class:`TreatmentHistory`) classify refractoriness as in the IMWG uniform
  reporting criteria (double, triple-class and penta-refractory).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping

from .clinicalvalues import albumin_by_magnitude, iss_stage, ldh_level
from .diseaseactivity import DiseaseActivity, disease_activity
from .errors import InputError, InputProblem
from .tables import SAMPLE_ID, Row, header_fields, load_schema, read_tsv, rows_of_sample, unknown_columns, validate_rows

#: Drug classes of the contract (``risk.json`` ``drug_classes``), in report order.
DRUG_CLASSES: tuple[str, ...] = (
    "proteasome_inhibitor",
    "imid_celmod",
    "anti_cd38",
    "anti_slamf7",
    "bcma_directed",
    "gprc5d_directed",
    "fcrh5_directed",
    "bcl2_inhibitor",
    "xpo1_inhibitor",
    "glucocorticoid",
    "braf_mek_inhibitor",
    "fgfr_inhibitor",
)

#: The class of drugs outside the contract's classes (chemotherapy, HDAC inhibitors, ...).
OTHER_CLASS = "other"

#: Every value allowed in the ``drug_class`` column of ``drugs.tsv``.
VOCABULARY_CLASSES: tuple[str, ...] = DRUG_CLASSES + (OTHER_CLASS,)

#: Every value allowed in the ``modality`` column of ``drugs.tsv``.
MODALITIES: tuple[str, ...] = ("small_molecule", "antibody", "adc", "bispecific", "car_t", "chemotherapy")

#: Refractoriness classes of ``risk.json`` ``refractory.class``, from least to most refractory.
REFRACTORY_CLASSES: tuple[str, ...] = (
    "not_refractory",
    "refractory",
    "double_refractory",
    "triple_class_refractory",
    "penta_refractory",
)

RefractoryClass = Literal[
    "not_refractory", "refractory", "double_refractory", "triple_class_refractory", "penta_refractory"
]
ClassExposure = Literal["refractory", "exposed", "not_exposed"]

#: The four named drugs of penta-refractoriness (with any anti-CD38 antibody).
PENTA_DRUGS: tuple[str, ...] = ("bortezomib", "carfilzomib", "lenalidomide", "pomalidomide")

#: Relative difference above which albumin given in g/dL and in g/L counts as conflicting
#: (5 %: g/dL is usually rounded to one decimal, which alone can differ by over 1 %).
ALBUMIN_UNIT_TOLERANCE = 0.05

#: Cells of a drug column that mean "no drug".
_NO_DRUGS = frozenset({"", "none", "-"})

#: Characters that separate drug names in a cell (';' documented, ',' tolerated).
_DRUG_SEPARATORS = re.compile(r"[;,]")

_TREATMENT_COLUMNS = ("exposed_to", "refractory_to")


def normalize_drug_name(name: str) -> str:
    """The lookup key of a drug name.

    Lowercase, trademark signs dropped, hyphens and underscores read as spaces,
    runs of whitespace collapsed: ``"Darzalex  Faspro®"``, ``"darzalex-faspro"``
    and ``"DARZALEX_FASPRO"`` all give ``"darzalex faspro"``.
    """
    key = name.replace("®", "").replace("™", "").lower()
    key = re.sub(r"[-_\u2010-\u2015]", " ", key)
    return " ".join(key.split())


@dataclass(frozen=True)
class Drug:
    """One drug of the vocabulary."""

    name: str  # generic name, lowercase
    synonyms: tuple[str, ...]
    classes: tuple[str, ...]
    modality: str


class DrugVocabulary:
    """Drug names the workflow knows, and the classes they belong to.

    Look-ups accept the generic name or any synonym (brand name, abbreviation,
    development code), matched by :func:`normalize_drug_name`.
    """

    def __init__(self, drugs: Iterable[Drug], *, source: str = "resources/drugs.tsv", version: str | None = None):
        self.source = source
        self.version = version
        self._drugs: dict[str, Drug] = {}
        self._keys: dict[str, str] = {}
        for drug in drugs:
            if drug.name in self._drugs:
                raise ValueError(f"drug {drug.name!r} is listed twice")
            self._drugs[drug.name] = drug
            for alias in (drug.name, *drug.synonyms):
                key = normalize_drug_name(alias)
                if not key:
                    continue
                other = self._keys.setdefault(key, drug.name)
                if other != drug.name:
                    raise ValueError(f"name {alias!r} is used for both {other!r} and {drug.name!r}")

    def __len__(self) -> int:
        return len(self._drugs)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.lookup(name) is not None

    def lookup(self, name: str) -> str | None:
        """The generic name of ``name`` (generic, brand or abbreviation), or None if unknown."""
        return self._keys.get(normalize_drug_name(name))

    def drug(self, name: str) -> Drug:
        """The :class:`Drug` called ``name``; :class:`KeyError` if unknown."""
        generic = self.lookup(name)
        if generic is None:
            raise KeyError(name)
        return self._drugs[generic]

    def classes_of(self, drug: str) -> frozenset[str]:
        """The drug classes of ``drug`` (any name of it); :class:`KeyError` if unknown."""
        return frozenset(self.drug(drug).classes)

    def known_names(self) -> list[str]:
        """Every generic name, sorted."""
        return sorted(self._drugs)

    def drugs_of_class(self, drug_class: str) -> list[str]:
        """Generic names of the drugs in ``drug_class``, sorted."""
        return sorted(name for name, d in self._drugs.items() if drug_class in d.classes)

    def suggest(self, name: str) -> str | None:
        """The generic name of the closest known name to ``name``, if one is close."""
        match = difflib.get_close_matches(normalize_drug_name(name), list(self._keys), n=1, cutoff=0.8)
        return self._keys[match[0]] if match else None


def load_drugs(path: str | Path) -> DrugVocabulary:
    """Read the drug vocabulary (``resources/drugs.tsv``).

    Columns: ``drug`` (generic name, lowercase), ``synonyms`` (``;``-separated),
    ``drug_class`` (one or more of :data:`VOCABULARY_CLASSES`, ``;``-separated)
    and ``modality`` (one of :data:`MODALITIES`). Raises :class:`InputError`
    listing every problem: unknown classes or modalities, duplicated drugs, a
    name used for two drugs.
    """
    table = read_tsv(path, required_columns=("drug", "drug_class", "modality"))
    problems: list[InputProblem] = []
    drugs: list[Drug] = []
    owner: dict[str, tuple[str, int]] = {}
    for row in table.rows:
        name = " ".join(row.cells["drug"].split())
        row_ok = True
        if not name:
            problems.append(InputProblem(table.path, "empty drug name", line=row.line, column="drug"))
            continue
        if name != name.lower():
            problems.append(InputProblem(table.path, "generic drug names are lowercase", line=row.line,
                                         column="drug", value=name, expected=name.lower()))
            row_ok = False
        classes = tuple(c.strip() for c in row.cells["drug_class"].split(";") if c.strip())
        bad = [c for c in classes if c not in VOCABULARY_CLASSES]
        if bad or not classes:
            problems.append(InputProblem(table.path, "unknown drug class" if classes else "empty drug class",
                                         line=row.line, column="drug_class", value=row.cells["drug_class"],
                                         expected="one of " + ", ".join(VOCABULARY_CLASSES)))
            row_ok = False
        modality = row.cells["modality"]
        if modality not in MODALITIES:
            problems.append(InputProblem(table.path, "unknown modality", line=row.line, column="modality",
                                         value=modality, expected="one of " + ", ".join(MODALITIES)))
            row_ok = False
        synonyms = tuple(s.strip() for s in row.cells.get("synonyms", "").split(";") if s.strip())
        for alias in (name, *synonyms):
            key = normalize_drug_name(alias)
            first = owner.setdefault(key, (name, row.line))
            if first[0] != name:
                problems.append(InputProblem(table.path, f"name already used for '{first[0]}' on line {first[1]}",
                                             line=row.line, column="drug" if alias == name else "synonyms",
                                             value=alias, expected="each name and synonym to name one drug"))
                row_ok = False
            elif first[1] != row.line:
                problems.append(InputProblem(table.path, f"drug already listed on line {first[1]}",
                                             line=row.line, column="drug", value=name,
                                             expected="one row per drug"))
                row_ok = False
                break
        if row_ok:
            drugs.append(Drug(name, synonyms, classes, modality))
    if problems:
        raise InputError(problems)
    return DrugVocabulary(drugs, source=table.path, version=header_fields(path).get("version"))


@dataclass
class ClinicalRecord:
    """The clinical data of one sample; None means not given.

    ``albumin_g_dl`` is in g/dL whichever unit the table used. ``ldh_high`` is
    the comparison of ``ldh_u_l`` with ``ldh_uln_u_l`` or the table's flag.
    Drug lists hold generic names; every refractory drug is also in
    ``exposed_to``. ``refractory_to`` is None when the table has no
    ``refractory_to`` column (treatment history unknown), ``exposed_to`` when it
    has neither drug column; an empty cell is an empty list (no such drug).
    """

    sample: str
    line: int
    path: str
    b2m_mg_l: float | None = None
    albumin_g_dl: float | None = None
    ldh_high: bool | None = None
    ldh_u_l: float | None = None
    ldh_uln_u_l: float | None = None
    creatinine_mg_dl: float | None = None
    exposed_to: list[str] | None = None
    refractory_to: list[str] | None = None
    prior_lines: int | None = None
    iss_stage: str | None = None  # ISS as recorded (I, II, III): see mmrisk.clinicalvalues
    activity: DiseaseActivity | None = None  # MRD, M-protein, free light chain: see mmrisk.diseaseactivity


@dataclass
class ClinicalTable:
    """A read clinical table.

    ``records`` holds the samples whose rows are sound. A sample with any
    problem is only in ``problems_by_sample`` (keyed by the sample id as
    written). ``file_problems`` are problems no sample can be blamed for: a
    missing or unreadable file, a missing ``sample`` column. ``warnings``: unknown
    columns (with the closest known name) and rows without a valid sample id (which
    belong to no sample, so they fail none; each is named with its line).
    """

    path: str
    records: dict[str, ClinicalRecord] = field(default_factory=dict)
    problems_by_sample: dict[str, list[InputProblem]] = field(default_factory=dict)
    file_problems: list[InputProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def problems(self) -> list[InputProblem]:
        """Every problem of the table: file problems first, then by sample."""
        out = list(self.file_problems)
        for problems in self.problems_by_sample.values():
            out.extend(problems)
        return out


def parse_drug_list(cell: str, drugs: DrugVocabulary) -> tuple[list[str], list[str]]:
    """Split a drug cell and resolve each name.

    Names are separated by ``;`` (``,`` tolerated). Returns the generic names
    (first-seen order, no repeats) and the names that are not known, as
    written. ``""``, ``none`` and ``-`` mean no drug.
    """
    if cell.strip().lower() in _NO_DRUGS:
        return [], []
    resolved: list[str] = []
    unknown: list[str] = []
    for token in _DRUG_SEPARATORS.split(cell):
        token = " ".join(token.split())
        if not token:
            continue
        generic = drugs.lookup(token)
        if generic is None:
            if token not in unknown:
                unknown.append(token)
        elif generic not in resolved:
            resolved.append(generic)
    return resolved, unknown


def unknown_drugs_problem(path: str, row: Row, column: str, unknown: list[str], drugs: DrugVocabulary) -> InputProblem:
    shown = []
    for name in unknown:
        guess = drugs.suggest(name)
        shown.append(f"'{name}'" + (f" (did you mean {guess}?)" if guess else ""))
    noun = "name" if len(unknown) == 1 else "names"
    return InputProblem(
        path,
        f"unknown drug {noun}: " + ", ".join(shown),
        line=row.line,
        column=column,
        value=row.cells.get(column, ""),
        expected=(
            "drug names separated by ';'; the workflow knows "
            + ", ".join(drugs.known_names())
            + f" (brand names and abbreviations accepted for them are listed in {drugs.source})"
        ),
    )


def _number(values: dict[str, Any], key: str) -> float | None:
    v = values.get(key)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _record_of(row: Row, values: dict[str, Any], header: list[str], path: str,
               drugs: DrugVocabulary) -> tuple[ClinicalRecord, list[InputProblem]]:
    """Cross-column checks and drug resolution of one typed row."""
    problems: list[InputProblem] = []

    albumin_g_dl = _number(values, "albumin_g_dl")
    albumin_g_l = _number(values, "albumin_g_l")
    if albumin_g_l is not None:
        converted = round(albumin_g_l / 10.0, 6)
        if albumin_g_dl is None:
            albumin_g_dl = converted
        elif abs(albumin_g_dl - converted) > ALBUMIN_UNIT_TOLERANCE * converted:
            problems.append(InputProblem(
                path, f"albumin_g_dl and albumin_g_l disagree ({albumin_g_l:g} g/L is {converted:g} g/dL, "
                      f"not {albumin_g_dl:g})", line=row.line, column="albumin_g_l",
                value=row.cells.get("albumin_g_l"),
                expected="albumin in one of the two columns, or values that agree within "
                         f"{ALBUMIN_UNIT_TOLERANCE:.0%} (g/L = 10 x g/dL)"))

    ldh_u_l = _number(values, "ldh_u_l")
    ldh_uln = _number(values, "ldh_uln_u_l")
    flag = values.get("ldh_high")
    flag = flag if isinstance(flag, bool) else None
    ldh_high: bool | None = flag
    if ldh_u_l is not None and ldh_uln is not None:
        computed = ldh_u_l > ldh_uln
        if flag is not None and flag != computed:
            relation = "above" if computed else "not above"
            problems.append(InputProblem(
                path, f"ldh_high disagrees with the LDH value: {ldh_u_l:g} U/L is {relation} "
                      f"the upper limit of normal {ldh_uln:g} U/L", line=row.line, column="ldh_high",
                value=row.cells.get("ldh_high"),
                expected=f"ldh_high {str(computed).lower()}, or only one of ldh_high and ldh_u_l/ldh_uln_u_l"))
        ldh_high = computed
    ldh_high, p_ldh = ldh_level(row, path, ldh_high)
    iss, p_iss = iss_stage(row, path)
    if albumin_g_dl is None:
        albumin_g_dl, p_alb = albumin_by_magnitude(row, path, values)
    else:
        p_alb = None
    problems += [p for p in (p_ldh, p_iss, p_alb) if p is not None]
    activity, p_activity = disease_activity(row, values, path)
    problems += p_activity

    lists: dict[str, list[str] | None] = {}
    for column in _TREATMENT_COLUMNS:
        if column not in header:
            lists[column] = None
            continue
        resolved, unknown = parse_drug_list(row.cells.get(column, ""), drugs)
        if unknown:
            problems.append(unknown_drugs_problem(path, row, column, unknown, drugs))
        lists[column] = resolved
    refractory_to = lists["refractory_to"]
    exposed_to = lists["exposed_to"]
    if refractory_to is not None:
        exposed_to = list(exposed_to or [])
        exposed_to += [d for d in refractory_to if d not in exposed_to]

    prior = values.get("prior_lines")
    record = ClinicalRecord(
        sample=row.cells["sample"],
        line=row.line,
        path=path,
        b2m_mg_l=_number(values, "b2m_mg_l"),
        albumin_g_dl=albumin_g_dl,
        ldh_high=ldh_high,
        ldh_u_l=ldh_u_l,
        ldh_uln_u_l=ldh_uln,
        creatinine_mg_dl=_number(values, "creatinine_mg_dl"),
        exposed_to=exposed_to,
        refractory_to=refractory_to,
        prior_lines=prior if isinstance(prior, int) and not isinstance(prior, bool) else None,
        iss_stage=iss,
        activity=activity,
    )
    return record, problems


def read_clinical_table(path: str | Path, drugs: DrugVocabulary, sample: str | None = None) -> ClinicalTable:
    """Read and check the clinical table at ``path``.

    Never raises for a bad input: a problem of a row (schema violation,
    albumin in g/dL and g/L disagreeing, ``ldh_high`` contradicting the LDH
    value and its upper limit of normal, unknown drug names, a sample id on
    several rows) goes to ``problems_by_sample`` of that sample, which then has
    no record; file-level problems go to ``file_problems``; a row without a valid
    sample id fails no sample and is named in ``warnings``. Column meanings
    and allowed values: ``workflow/schemas/clinical.schema.yaml``. ``sample``: read only that
    sample's rows (and the rows that name no valid sample), as its job needs.
    """
    name = str(path)
    try:
        table = rows_of_sample(read_tsv(path, required_columns=("sample",), kind="clinical"), sample)
    except InputError as exc:
        return ClinicalTable(name, file_problems=list(exc.problems))
    schema = load_schema("clinical")
    result = ClinicalTable(table.path, warnings=unknown_columns(table, schema.get("properties", {}),
                                                                "clinical table"))

    typed, schema_problems = validate_rows(table, schema)
    by_line: dict[int, list[InputProblem]] = {}
    for problem in schema_problems:
        if problem.line is None:
            result.file_problems.append(problem)
        else:
            by_line.setdefault(problem.line, []).append(problem)

    lines_of: dict[str, list[int]] = {}
    for row in table.rows:
        sample = row.cells["sample"]
        if SAMPLE_ID.match(sample):
            lines_of.setdefault(sample, []).append(row.line)

    for row, values in zip(table.rows, typed):
        sample = row.cells["sample"]
        if not SAMPLE_ID.match(sample):
            shown = repr(sample if len(sample) <= 40 else sample[:37] + "...") if sample else "empty"
            result.warnings.append(f"{table.path}, line {row.line}: row ignored: its sample id is {shown}, which "
                                   "is no valid sample id (1-64 letters, digits, '.', '_' or '-'), so the row "
                                   "belongs to no sample")
            continue
        problems = by_line.get(row.line, [])
        record, more = _record_of(row, values, table.header, table.path, drugs)
        problems = problems + more
        if problems:
            result.problems_by_sample.setdefault(sample, []).extend(problems)
        elif len(lines_of[sample]) == 1:
            result.records[sample] = record

    for sample, lines in lines_of.items():
        if len(lines) > 1:
            result.problems_by_sample.setdefault(sample, []).append(InputProblem(
                table.path, f"sample id on {len(lines)} rows (lines " + ", ".join(map(str, lines)) + ")",
                line=lines[1], column="sample", value=sample, expected="one row per sample"))
    return result


def _resolved(names: Iterable[str], drugs: DrugVocabulary) -> list[str]:
    out: list[str] = []
    for name in names:
        generic = drugs.lookup(name)
        if generic is None:
            raise ValueError(f"unknown drug {name!r}")
        if generic not in out:
            out.append(generic)
    return out


def refractory_class(refractory_to: Iterable[str], drugs: DrugVocabulary) -> RefractoryClass:
    """Refractoriness class (IMWG uniform reporting) of a list of drugs.

    ``penta_refractory``: bortezomib, carfilzomib, lenalidomide, pomalidomide
    and an anti-CD38 antibody; else ``triple_class_refractory``: a proteasome
    inhibitor, an IMiD/CELMoD and an anti-CD38 antibody; else
    ``double_refractory``: a proteasome inhibitor and an IMiD/CELMoD; else
    ``refractory`` for any drug; ``not_refractory`` for none. Names may be
    generic names or synonyms; an unknown name is a :class:`ValueError`.
    """
    names = _resolved(refractory_to, drugs)
    if not names:
        return "not_refractory"
    classes: set[str] = set()
    for name in names:
        classes |= drugs.classes_of(name)
    pi = "proteasome_inhibitor" in classes
    imid = "imid_celmod" in classes
    cd38 = "anti_cd38" in classes
    if cd38 and all(d in names for d in PENTA_DRUGS):
        return "penta_refractory"
    if pi and imid and cd38:
        return "triple_class_refractory"
    if pi and imid:
        return "double_refractory"
    return "refractory"


@dataclass(frozen=True)
class TreatmentHistory:
    """The treatment history of one sample: the ``refractory`` object of ``risk.json``.

    ``refractory_class`` is risk.json's ``class`` (None when nothing is known); ``by_class``
    maps every drug class of the contract (:data:`DRUG_CLASSES`) to ``refractory``,
    ``exposed`` or ``not_exposed`` (empty when nothing is known). ``course``, ``lines`` and
    ``missing`` come from a lines-of-therapy table (:mod:`mmrisk.courseclass`; None, None and
    empty without one). ``h["class"]`` (and ``h.get("class")``) reads a field by its JSON key, so
    templates written for the risk.json dict (``h.class``) read the record alike.
    """

    refractory_class: RefractoryClass | None
    refractory_to: tuple[str, ...]
    exposed_to: tuple[str, ...]
    by_class: dict[str, ClassExposure] = field(default_factory=dict)
    course: str | None = None
    lines: int | None = None
    missing: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> "TreatmentHistory":
        """The record of a written ``refractory`` object (``class`` required; the lists default to empty)."""
        return cls(obj["class"], tuple(obj.get("refractory_to") or ()), tuple(obj.get("exposed_to") or ()),
                   dict(obj.get("by_class") or {}), obj.get("course"), obj.get("lines"),
                   tuple(obj.get("missing") or ()))

    def to_json(self) -> dict[str, Any]:
        return {
            "class": self.refractory_class,
            "refractory_to": list(self.refractory_to),
            "exposed_to": list(self.exposed_to),
            "by_class": dict(self.by_class),
            "course": self.course,
            "lines": self.lines,
            "missing": list(self.missing),
        }

    def __contains__(self, key: object) -> bool:
        return key in ("class", "refractory_to", "exposed_to", "by_class", "course", "lines", "missing")

    def __getitem__(self, key: str) -> Any:
        if key not in self:
            raise KeyError(key)
        return self.refractory_class if key == "class" else getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default


def class_exposure(refractory: Iterable[str], exposed: Iterable[str],
                   drugs: DrugVocabulary) -> dict[str, ClassExposure]:
    """Every drug class of the contract: ``refractory``, ``exposed`` or ``not_exposed`` by the drugs given."""
    refractory_classes: set[str] = set()
    exposed_classes: set[str] = set()
    for name in refractory:
        refractory_classes |= drugs.classes_of(name)
    for name in exposed:
        exposed_classes |= drugs.classes_of(name)
    by_class: dict[str, ClassExposure] = {}
    for drug_class in DRUG_CLASSES:
        if drug_class in refractory_classes:
            by_class[drug_class] = "refractory"
        elif drug_class in exposed_classes:
            by_class[drug_class] = "exposed"
        else:
            by_class[drug_class] = "not_exposed"
    return by_class


def treatment_history(record: ClinicalRecord | None, drugs: DrugVocabulary) -> TreatmentHistory:
    """The treatment history of one sample (``to_json()`` is the ``refractory`` object of ``risk.json``).

    Without a clinical record, or without a ``refractory_to`` column, nothing is known:
    ``refractory_class`` is None and ``by_class`` empty; the workflow never claims "not
    refractory" without data.
    """
    if record is None or record.refractory_to is None:
        return TreatmentHistory(None, (), tuple(record.exposed_to or []) if record is not None else ())
    refractory = _resolved(record.refractory_to, drugs)
    exposed = _resolved(record.exposed_to or [], drugs)
    exposed += [d for d in refractory if d not in exposed]
    return TreatmentHistory(refractory_class(refractory, drugs), tuple(refractory), tuple(exposed),
                            class_exposure(refractory, exposed, drugs))
