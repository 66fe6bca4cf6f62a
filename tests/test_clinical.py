"""Tests of the clinical table reader, the drug vocabulary and refractoriness."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import evaluate_demo
from mmrisk.clinical import (
    DRUG_CLASSES,
    ClinicalRecord,
    DrugVocabulary,
    TreatmentHistory,
    load_drugs,
    parse_drug_list,
    read_clinical_table,
    refractory_class,
    treatment_history,
)
from mmrisk.errors import InputError
from mmrisk.outputs import validate_risk

REPO = Path(__file__).resolve().parents[1]
DRUGS_TSV = REPO / "resources" / "drugs.tsv"


@pytest.fixture(scope="module")
def drugs() -> DrugVocabulary:
    return load_drugs(DRUGS_TSV)


def write(tmp_path: Path, text: str, name: str = "clinical.tsv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def table_of(tmp_path: Path, drugs: DrugVocabulary, header: list[str], *rows: list[str]):
    lines = ["\t".join(header)] + ["\t".join(r) for r in rows]
    return read_clinical_table(write(tmp_path, "\n".join(lines) + "\n"), drugs)


# --- drug vocabulary --------------------------------------------------------------------------


def test_vocabulary_loads_with_version_and_covers_every_contract_class(drugs: DrugVocabulary) -> None:
    assert drugs.version == "1.0.0"
    for drug_class in DRUG_CLASSES:
        assert drugs.drugs_of_class(drug_class), drug_class
    assert "melphalan" in drugs.drugs_of_class("other")
    assert all(name == name.lower() for name in drugs.known_names())


@pytest.mark.parametrize(
    "name, generic",
    [
        ("Velcade", "bortezomib"),
        ("velcade", "bortezomib"),
        ("BTZ", "bortezomib"),
        ("Kyprolis", "carfilzomib"),
        ("Ninlaro", "ixazomib"),
        ("Revlimid", "lenalidomide"),
        ("len", "lenalidomide"),
        ("Imnovid", "pomalidomide"),
        ("Darzalex", "daratumumab"),
        ("Darzalex Faspro", "daratumumab"),
        ("darzalex-faspro", "daratumumab"),
        ("  DARZALEX   faspro ", "daratumumab"),
        ("Sarclisa", "isatuximab"),
        ("Empliciti", "elotuzumab"),
        ("Blenrep", "belantamab mafodotin"),
        ("belantamab-mafodotin", "belantamab mafodotin"),
        ("ide-cel", "idecabtagene vicleucel"),
        ("IDE CEL", "idecabtagene vicleucel"),
        ("Carvykti", "ciltacabtagene autoleucel"),
        ("Tecvayli", "teclistamab"),
        ("Elrexfio", "elranatamab"),
        ("Talvey", "talquetamab"),
        ("Venclexta", "venetoclax"),
        ("Xpovio", "selinexor"),
        ("Doxil", "pegylated liposomal doxorubicin"),
    ],
)
def test_brand_names_and_abbreviations_resolve(drugs: DrugVocabulary, name: str, generic: str) -> None:
    assert drugs.lookup(name) == generic


def test_classes_of_accepts_any_name(drugs: DrugVocabulary) -> None:
    assert drugs.classes_of("Velcade") == {"proteasome_inhibitor"}
    assert drugs.classes_of("talquetamab") == {"gprc5d_directed"}
    assert drugs.classes_of("cevostamab") == {"fcrh5_directed"}
    assert drugs.classes_of("dabrafenib") == {"braf_mek_inhibitor"}
    assert drugs.classes_of("cyclophosphamide") == {"other"}
    with pytest.raises(KeyError):
        drugs.classes_of("aspirin")


@pytest.mark.parametrize("letter", ["R", "V", "K", "D", "P", "d", "T"])
def test_single_letter_abbreviations_are_not_drug_names(drugs: DrugVocabulary, letter: str) -> None:
    assert drugs.lookup(letter) is None


def test_vocabulary_with_unknown_class_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "drug\tsynonyms\tdrug_class\tmodality\n"
                           "bortezomib\tVelcade\tproteasome_inhibitor\tsmall_molecule\n"
                           "melphalan\t\talkylator\tchemotherapy\n", "drugs.tsv")
    with pytest.raises(InputError) as info:
        load_drugs(path)
    assert len(info.value.problems) == 1
    problem = info.value.problems[0]
    assert (problem.line, problem.column, problem.value) == (3, "drug_class", "alkylator")
    assert "proteasome_inhibitor" in str(problem)


def test_vocabulary_with_a_name_for_two_drugs_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "drug\tsynonyms\tdrug_class\tmodality\n"
                           "bortezomib\tVelcade;PI\tproteasome_inhibitor\tsmall_molecule\n"
                           "carfilzomib\tKyprolis;pi\tproteasome_inhibitor\tsmall_molecule\n", "drugs.tsv")
    with pytest.raises(InputError, match="already used for 'bortezomib'"):
        load_drugs(path)


def test_drug_list_separators_and_none(drugs: DrugVocabulary) -> None:
    assert parse_drug_list("Velcade; Revlimid ;dara", drugs) == (
        ["bortezomib", "lenalidomide", "daratumumab"], [])
    assert parse_drug_list("bortezomib, lenalidomide", drugs) == (["bortezomib", "lenalidomide"], [])
    assert parse_drug_list("bortezomib;Velcade;BTZ", drugs) == (["bortezomib"], [])
    for empty in ("", "none", "None", "-", "  "):
        assert parse_drug_list(empty, drugs) == ([], [])
    assert parse_drug_list("bortezomib;aspirin", drugs) == (["bortezomib"], ["aspirin"])


# --- laboratory values ------------------------------------------------------------------------


def test_albumin_in_g_per_l_is_converted_to_g_per_dl(tmp_path: Path, drugs: DrugVocabulary) -> None:
    t = table_of(tmp_path, drugs, ["sample", "albumin_g_l"], ["A", "35"], ["B", "28.4"])
    assert t.problems() == []
    assert t.records["A"].albumin_g_dl == pytest.approx(3.5)
    assert t.records["B"].albumin_g_dl == pytest.approx(2.84)


def test_albumin_in_both_units(tmp_path: Path, drugs: DrugVocabulary) -> None:
    t = table_of(tmp_path, drugs, ["sample", "albumin_g_dl", "albumin_g_l"],
                 ["agree", "3.5", "35"], ["within_1pct", "3.5", "35.3"], ["conflict", "3.5", "30"],
                 ["rounded", "3.5", "34.6"], ["just_out", "3.5", "36.9"],
                 ["dl_only", "3.1", ""])
    assert t.records["agree"].albumin_g_dl == pytest.approx(3.5)
    assert t.records["within_1pct"].albumin_g_dl == pytest.approx(3.5)
    assert t.records["rounded"].albumin_g_dl == pytest.approx(3.5)  # one-decimal g/dL rounding is no conflict
    assert "just_out" not in t.records  # 36.9 g/L is 5.4 % above 3.5 g/dL
    assert t.records["dl_only"].albumin_g_dl == pytest.approx(3.1)
    assert "conflict" not in t.records
    [problem] = t.problems_by_sample["conflict"]
    assert problem.column == "albumin_g_l" and "disagree" in problem.message


@pytest.mark.parametrize(
    "ldh, uln, high",
    [("250", "250", False), ("250.1", "250", True), ("400", "250", True), ("180", "250", False)],
)
def test_ldh_high_from_value_and_upper_limit(tmp_path: Path, drugs: DrugVocabulary, ldh: str, uln: str,
                                             high: bool) -> None:
    t = table_of(tmp_path, drugs, ["sample", "ldh_u_l", "ldh_uln_u_l"], ["A", ldh, uln])
    assert t.problems() == []
    assert t.records["A"].ldh_high is high
    assert t.records["A"].ldh_u_l == float(ldh)


def test_ldh_high_from_flag(tmp_path: Path, drugs: DrugVocabulary) -> None:
    t = table_of(tmp_path, drugs, ["sample", "ldh_high"], ["A", "true"], ["B", "no"], ["C", ""])
    assert t.problems() == []
    assert t.records["A"].ldh_high is True
    assert t.records["B"].ldh_high is False
    assert t.records["C"].ldh_high is None


def test_ldh_flag_contradicting_value_is_a_problem(tmp_path: Path, drugs: DrugVocabulary) -> None:
    t = table_of(tmp_path, drugs, ["sample", "ldh_u_l", "ldh_uln_u_l", "ldh_high"],
                 ["conflict", "250", "250", "true"], ["consistent", "300", "250", "true"])
    assert t.records["consistent"].ldh_high is True
    assert "conflict" not in t.records
    [problem] = t.problems_by_sample["conflict"]
    assert problem.column == "ldh_high" and "not above" in problem.message


def test_ldh_value_without_upper_limit(tmp_path: Path, drugs: DrugVocabulary) -> None:
    t = table_of(tmp_path, drugs, ["sample", "ldh_u_l", "ldh_high"], ["no_uln", "300", ""], ["flag", "300", "false"])
    assert t.records["flag"].ldh_high is False
    [problem] = t.problems_by_sample["no_uln"]
    assert "ldh_uln_u_l" in problem.message and "ldh_high" in problem.message


def test_values_are_typed_and_checked(tmp_path: Path, drugs: DrugVocabulary) -> None:
    t = table_of(tmp_path, drugs, ["sample", "b2m_mg_l", "creatinine_mg_dl", "prior_lines"],
                 ["A", "5.6", "1.1", "3"], ["B", "", "", ""], ["neg", "5", "1", "-1"], ["b2m", "0", "1", "1"])
    a = t.records["A"]
    assert (a.b2m_mg_l, a.creatinine_mg_dl, a.prior_lines) == (5.6, 1.1, 3)
    assert isinstance(a.prior_lines, int)
    assert (a.line, Path(a.path).name) == (2, "clinical.tsv")
    b = t.records["B"]
    assert (b.b2m_mg_l, b.albumin_g_dl, b.ldh_high, b.creatinine_mg_dl, b.prior_lines) == (None,) * 5
    assert [p.column for p in t.problems_by_sample["neg"]] == ["prior_lines"]
    assert [p.column for p in t.problems_by_sample["b2m"]] == ["b2m_mg_l"]
    assert "mg/L" in str(t.problems_by_sample["b2m"][0])


# --- table-level behaviour --------------------------------------------------------------------


def test_one_bad_row_fails_only_its_sample(tmp_path: Path, drugs: DrugVocabulary) -> None:
    t = table_of(tmp_path, drugs, ["sample", "b2m_mg_l", "albumin_g_dl"],
                 ["A", "3.0", "4.0"], ["B", "three", "4.0"], ["C", "6.1", "3.0"])
    assert sorted(t.records) == ["A", "C"]
    assert list(t.problems_by_sample) == ["B"]
    [problem] = t.problems_by_sample["B"]
    assert (problem.line, problem.column, problem.value) == (3, "b2m_mg_l", "three")
    assert t.file_problems == []


def test_duplicated_sample_id(tmp_path: Path, drugs: DrugVocabulary) -> None:
    t = table_of(tmp_path, drugs, ["sample", "b2m_mg_l"], ["A", "3"], ["B", "4"], ["A", "5"])
    assert list(t.records) == ["B"]
    [problem] = t.problems_by_sample["A"]
    assert "lines 2, 4" in problem.message and problem.column == "sample"


def test_missing_file_is_a_file_problem(tmp_path: Path, drugs: DrugVocabulary) -> None:
    t = read_clinical_table(tmp_path / "absent.tsv", drugs)
    assert t.records == {} and t.problems_by_sample == {}
    [problem] = t.file_problems
    assert "not found" in problem.message


def test_missing_sample_column_is_a_file_problem(tmp_path: Path, drugs: DrugVocabulary) -> None:
    t = read_clinical_table(write(tmp_path, "patient\tb2m_mg_l\nA\t3\n"), drugs)
    assert t.records == {}
    assert any("'sample'" in p.message for p in t.file_problems)


def test_row_without_a_valid_sample_id_fails_nobody_but_is_named(tmp_path: Path, drugs: DrugVocabulary) -> None:
    """#13: a stray row of the shared clinical table must not fail every sample; it is named by line."""
    t = table_of(tmp_path, drugs, ["sample", "b2m_mg_l"], ["", "3"], ["bad id!", "3"], ["A", "4"])
    assert list(t.records) == ["A"]
    assert t.file_problems == [] and t.problems_by_sample == {}
    assert [w.split(", line ")[1].split(":")[0] for w in t.warnings] == ["2", "3"]
    assert all("row ignored" in w for w in t.warnings)


# --- drugs in the table -----------------------------------------------------------------------


def test_unknown_drug_names_give_one_problem_per_cell(tmp_path: Path, drugs: DrugVocabulary) -> None:
    t = table_of(tmp_path, drugs, ["sample", "exposed_to", "refractory_to"],
                 ["bad", "bortezomb;aspirin;lenalidomide", "Velcade"], ["good", "Revlimid", "Velcade"])
    assert "good" in t.records and "bad" not in t.records
    [problem] = t.problems_by_sample["bad"]
    assert problem.column == "exposed_to"
    text = str(problem)
    assert "'bortezomb'" in text and "'aspirin'" in text and "'lenalidomide'" not in problem.message
    assert "did you mean bortezomib" in text
    for known in ("bortezomib", "daratumumab", "teclistamab", "talquetamab", "venetoclax"):
        assert known in (problem.expected or "")
    assert "drugs.tsv" in (problem.expected or "")


def test_refractory_drugs_count_as_exposed(tmp_path: Path, drugs: DrugVocabulary) -> None:
    t = table_of(tmp_path, drugs, ["sample", "exposed_to", "refractory_to"],
                 ["A", "dexamethasone;bortezomib", "Velcade;Darzalex Faspro"], ["B", "none", "-"], ["C", "", ""])
    a = t.records["A"]
    assert a.refractory_to == ["bortezomib", "daratumumab"]
    assert a.exposed_to == ["dexamethasone", "bortezomib", "daratumumab"]
    assert (t.records["B"].exposed_to, t.records["B"].refractory_to) == ([], [])
    assert (t.records["C"].exposed_to, t.records["C"].refractory_to) == ([], [])


# --- refractoriness ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "refractory_to, expected",
    [
        (["bortezomib", "carfilzomib", "lenalidomide", "pomalidomide", "daratumumab"], "penta_refractory"),
        (["Velcade", "Kyprolis", "Revlimid", "Pomalyst", "Sarclisa"], "penta_refractory"),
        (["bortezomib", "carfilzomib", "lenalidomide", "pomalidomide"], "double_refractory"),
        (["bortezomib", "lenalidomide", "pomalidomide", "daratumumab"], "triple_class_refractory"),
        (["carfilzomib", "lenalidomide", "pomalidomide", "daratumumab"], "triple_class_refractory"),
        (["bortezomib", "carfilzomib", "pomalidomide", "isatuximab"], "triple_class_refractory"),
        (["carfilzomib", "pomalidomide", "isatuximab"], "triple_class_refractory"),
        (["ixazomib", "thalidomide", "daratumumab"], "triple_class_refractory"),
        (["bortezomib", "iberdomide", "daratumumab", "teclistamab"], "triple_class_refractory"),
        (["bortezomib", "lenalidomide"], "double_refractory"),
        (["carfilzomib", "pomalidomide", "elotuzumab"], "double_refractory"),
        (["lenalidomide", "daratumumab"], "refractory"),
        (["bortezomib", "daratumumab"], "refractory"),
        (["bortezomib"], "refractory"),
        (["teclistamab"], "refractory"),
        (["melphalan"], "refractory"),
        ([], "not_refractory"),
    ],
)
def test_refractory_class(drugs: DrugVocabulary, refractory_to: list[str], expected: str) -> None:
    assert refractory_class(refractory_to, drugs) == expected


def test_refractory_class_refuses_unknown_drugs(drugs: DrugVocabulary) -> None:
    with pytest.raises(ValueError, match="aspirin"):
        refractory_class(["bortezomib", "aspirin"], drugs)


def test_treatment_history_without_clinical_data_claims_nothing(drugs: DrugVocabulary) -> None:
    history = treatment_history(None, drugs)
    # course, lines and missing come from a lines-of-therapy table: null/empty without one (contract)
    assert history.to_json() == {"class": None, "refractory_to": [], "exposed_to": [], "by_class": {},
                                 "course": None, "lines": None, "missing": []}
    assert history == TreatmentHistory(None, (), ())


def test_treatment_history_without_refractory_column_claims_nothing(tmp_path: Path, drugs: DrugVocabulary) -> None:
    t = table_of(tmp_path, drugs, ["sample", "b2m_mg_l", "exposed_to"], ["A", "3", "bortezomib"])
    record = t.records["A"]
    assert record.refractory_to is None
    history = treatment_history(record, drugs)
    assert history.refractory_class is None and history.by_class == {}
    assert history.exposed_to == ("bortezomib",)
    assert history.to_json() == {"class": None, "refractory_to": [], "exposed_to": ["bortezomib"], "by_class": {},
                                 "course": None, "lines": None, "missing": []}
    t2 = table_of(tmp_path, drugs, ["sample", "b2m_mg_l"], ["A", "3"])
    assert t2.records["A"].exposed_to is None
    assert treatment_history(t2.records["A"], drugs).refractory_class is None


def test_treatment_history_by_class(tmp_path: Path, drugs: DrugVocabulary) -> None:
    t = table_of(tmp_path, drugs, ["sample", "exposed_to", "refractory_to"],
                 ["A", "Darzalex;dexamethasone;Blenrep", "Velcade;Revlimid;daratumumab"])
    history = treatment_history(t.records["A"], drugs)
    assert history.refractory_class == "triple_class_refractory"
    assert history.refractory_to == ("bortezomib", "lenalidomide", "daratumumab")
    assert history.exposed_to == ("daratumumab", "dexamethasone", "belantamab mafodotin", "bortezomib",
                                  "lenalidomide")
    by_class = history.by_class
    assert list(by_class) == list(DRUG_CLASSES)
    assert by_class["proteasome_inhibitor"] == "refractory"
    assert by_class["imid_celmod"] == "refractory"
    assert by_class["anti_cd38"] == "refractory"
    assert by_class["bcma_directed"] == "exposed"
    assert by_class["glucocorticoid"] == "exposed"
    assert by_class["gprc5d_directed"] == "not_exposed"
    assert "other" not in by_class


def test_treatment_history_not_refractory(drugs: DrugVocabulary) -> None:
    record = ClinicalRecord(sample="A", line=2, path="x.tsv", exposed_to=[], refractory_to=[])
    history = treatment_history(record, drugs)
    assert history.refractory_class == "not_refractory"
    assert set(history.by_class.values()) == {"not_exposed"}


def _histories(tmp_path: Path, drugs: DrugVocabulary) -> list[TreatmentHistory]:
    """A treatment history of each kind: unknown, exposure only, not refractory, and each refractory class."""
    t = table_of(tmp_path, drugs, ["sample", "exposed_to", "refractory_to"],
                 ["A", "Darzalex;dexamethasone;Blenrep", "Velcade;Revlimid;daratumumab"],
                 ["B", "", ""], ["C", "melphalan", "bortezomib"], ["D", "", "bortezomib;lenalidomide"],
                 ["E", "", "bortezomib;carfilzomib;lenalidomide;pomalidomide;daratumumab"])
    exposure_only = table_of(tmp_path, drugs, ["sample", "exposed_to"], ["A", "bortezomib"]).records["A"]
    return [treatment_history(None, drugs), treatment_history(exposure_only, drugs)] + [
        treatment_history(t.records[s], drugs) for s in "ABCDE"]


def test_treatment_history_to_json_is_the_refractory_object_the_schema_accepts(tmp_path: Path,
                                                                              drugs: DrugVocabulary) -> None:
    doc = evaluate_demo("DEMO-01")[1]
    histories = _histories(tmp_path, drugs)
    assert {h.refractory_class for h in histories} == {None, "not_refractory", "refractory", "double_refractory",
                                                     "triple_class_refractory", "penta_refractory"}
    for h in histories:
        d = h.to_json()
        assert list(d) == ["class", "refractory_to", "exposed_to", "by_class", "course", "lines", "missing"]
        assert d == {"class": h.refractory_class, "refractory_to": list(h.refractory_to),
                     "exposed_to": list(h.exposed_to), "by_class": dict(h.by_class),
                     "course": None, "lines": None, "missing": []}
        assert json.loads(json.dumps(d)) == d  # JSON types only: a tuple would not equal its list
        assert validate_risk({**doc, "refractory": d}) == [], d


def test_treatment_history_reads_like_the_refractory_dict(tmp_path: Path, drugs: DrugVocabulary) -> None:
    """Templates written for risk.json's dict (``h.class``, ``h.refractory_to``) read the record alike."""
    from jinja2 import Environment, StrictUndefined

    tpl = Environment(undefined=StrictUndefined).from_string(
        "{{ h.class }}|{{ h.refractory_to | join(',') }}|{{ h.exposed_to | join(',') }}|"
        "{% for k, v in h.by_class.items() %}{{ k }}={{ v }};{% endfor %}")
    for h in _histories(tmp_path, drugs):
        d = h.to_json()
        assert tpl.render(h=h) == tpl.render(h=d)
        for key in d:
            assert key in h
            value = h[key]
            assert value is h.get(key)
            assert (list(value) if isinstance(value, tuple) else value) == d[key]
        assert h["class"] is h.refractory_class
        assert "refractory_class" not in h and h.get("refractory_class") is None and h.get("nope", 1) == 1
        with pytest.raises(KeyError):
            h["nope"]


def test_reading_one_samples_rows_gives_what_the_whole_table_gives(tmp_path, drugs):
    """A per-sample job reads only its rows: same record and problems, duplicates still caught."""
    p = write(tmp_path, "sample\tb2m_mg_l\talbumin_g_dl\tcreatinine_mg_dl\texposed_to\trefractory_to\n"
                        "S1\t3.0\t4.0\t0.9\tbortezomib\t\n"
                        "S2\tlots\t4.0\t0.9\t\t\n"
                        "S3\t2.0\t4.0\t0.9\t\t\n"
                        "S3\t2.5\t4.0\t0.9\t\t\n")
    whole = read_clinical_table(p, drugs)
    for s in ("S1", "S2", "S3", "S4"):
        one = read_clinical_table(p, drugs, sample=s)
        assert one.records.get(s) == whole.records.get(s)
        assert one.problems_by_sample.get(s) == whole.problems_by_sample.get(s)
        assert one.file_problems == whole.file_problems
    assert whole.problems_by_sample["S3"] and whole.problems_by_sample["S2"]


# ---------------------------------------------------------------------------
# #13: the demo clinical table (a real table of this project) mutated: numbers, columns

DEMO_CLINICAL = REPO / "resources" / "demo" / "clinical.tsv"


def _demo_with(tmp_path: Path, drugs: DrugVocabulary, column: str, value: str, header_edit=None):
    lines = DEMO_CLINICAL.read_text(encoding="utf-8").splitlines()
    h = next(i for i, ln in enumerate(lines) if not ln.startswith("#"))
    header = lines[h].split("\t")
    cells = lines[h + 1].split("\t")
    cells[header.index(column)] = value
    lines[h + 1] = "\t".join(cells)
    if header_edit:
        lines[h] = header_edit(lines[h])
    p = tmp_path / "clinical.tsv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_clinical_table(p, drugs), cells[0], h + 2


@pytest.mark.parametrize("column", ["b2m_mg_l", "albumin_g_dl", "albumin_g_l", "ldh_u_l", "ldh_uln_u_l",
                                    "creatinine_mg_dl"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "1e999", "-1", "0"])
def test_lab_values_must_be_positive_finite_and_plausible(tmp_path, drugs, column, value):
    table, sample, line = _demo_with(tmp_path, drugs, column, value)
    assert sample not in table.records
    assert (line, column) in [(p.line, p.column) for p in table.problems_by_sample[sample]]
    assert table.file_problems == []


@pytest.mark.parametrize("value", ["-1", "1.5", "nan", "1e308", "9" * 5000, "101"])
def test_prior_lines_is_a_non_negative_whole_number(tmp_path, drugs, value):
    table, sample, line = _demo_with(tmp_path, drugs, "prior_lines", value)
    assert [(p.line, p.column) for p in table.problems_by_sample[sample]] == [(line, "prior_lines")]


def test_misspelt_clinical_column_gets_the_closest_known_name(tmp_path, drugs):
    table, sample, _ = _demo_with(tmp_path, drugs, "b2m_mg_l", "2.8",
                                  header_edit=lambda h: h.replace("creatinine_mg_dl", "creatinin_mg_dl"))
    [w] = table.warnings
    assert "'creatinin_mg_dl'" in w and "did you mean 'creatinine_mg_dl'?" in w
    assert sample in table.records and table.records[sample].creatinine_mg_dl is None
