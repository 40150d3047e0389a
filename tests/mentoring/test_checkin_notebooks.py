"""The four check-in notebooks: answer forms in three languages, nbgrader metadata, what the
participant reads, and the agreement between the notebooks' autograded cells and the progress
tables' milestones.

The agreement is checked without nbgrader: each answer is written into the released form (as
the form app writes it), the cells are run in this process, and the points each milestone cell
gives are compared with ``grading.progress.milestone_table`` for the same answers read back
from the notebook. Real nbgrader grading of the same notebooks is in ``test_pipeline.py``.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from grading.checkins import (
    CHECKINS,
    DERIVED_FIELDS,
    FIELDS,
    MILESTONES,
    fill_answers,
    read_checkin,
)
from grading.progress import milestone_table, tables_from_records
from grading.synthetic import synthetic_cohort
from widgets.forms.model import (
    LANGUAGES,
    check_submission,
    form_items,
    model_values,
    questions,
    reflections,
    translation_status,
)

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = {c: ROOT / "exercises" / f"checkin_{c}" / f"checkin_{c}.ipynb" for c in CHECKINS}
ASKED = [f for f in FIELDS if f not in DERIVED_FIELDS]
#: How a message starts in each language: reached, not yet.
PREFIXES = {"en": ("You reached: ", "Not yet: "), "fil": ("Naabot mo: ", "Hindi pa: "),
            "id": ("Anda mencapai: ", "Belum: ")}


def load(checkin: str) -> dict:
    return json.loads(NOTEBOOKS[checkin].read_text())


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def release_version(nb: dict) -> dict:
    """What nbgrader's generate_assignment makes of the notebook (ClearSolutions with the
    course's empty code stub), done in-process with nbgrader's own preprocessor."""
    import nbformat
    from nbgrader.preprocessors import ClearSolutions

    node = nbformat.reads(json.dumps(nb), as_version=4)
    node, _ = ClearSolutions(code_stub={"python": ""}).preprocess(node, {})
    return json.loads(nbformat.writes(node))


def run(nb: dict) -> tuple[dict[str, float], dict[str, str]]:
    """Run every code cell in order, as the autograder does; return the points of each graded
    cell and what each one printed or raised (the feedback the participant reads)."""
    namespace: dict = {}
    points, messages = {}, {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        meta = cell["metadata"].get("nbgrader", {})
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(source(cell), meta.get("grade_id", "cell"), "exec"), namespace)
            ok, text = True, out.getvalue()
        except Exception as err:  # noqa: BLE001 - a failing cell scores 0, as in nbgrader
            ok, text = False, f"{type(err).__name__}: {err}"
        if meta.get("grade"):
            points[meta["grade_id"]] = meta["points"] if ok else 0
            messages[meta["grade_id"]] = text
    return points, messages


@pytest.mark.parametrize("checkin", CHECKINS)
def test_metadata(checkin):
    """Graded cells are locked, open with a docstring and carry 1 point; one answer cell per
    question in three languages; every milestone has its cell; a reflection for the mentor."""
    nb = load(checkin)
    cells = nb["cells"]
    ids = [c["metadata"]["nbgrader"]["grade_id"] for c in cells]
    assert len(ids) == len(set(ids))
    for cell in cells:
        meta = cell["metadata"]["nbgrader"]
        assert meta["schema_version"] == 3
        if meta["grade"] and cell["cell_type"] == "code":
            assert meta["locked"] and meta["points"] == 1
            assert source(cell).startswith('"""Checks'), meta["grade_id"]
            assert "(1 point)" in source(cell).splitlines()[0]
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert [q.name for q in questions(nb)] == ASKED
    for q in questions(nb):
        for lang in LANGUAGES:
            assert q.label.get(lang, "").strip(), (q.name, lang)
            if q.name != "language":
                assert q.help.get(lang, "").strip(), (q.name, lang)
        for option in q.options:
            assert all(option.label.get(lang) for lang in LANGUAGES), option
        cell = cells[q.cell]
        assert cell["metadata"]["nbgrader"] == {"grade": False, "grade_id": q.grade_id,
                                                "locked": False, "schema_version": 3,
                                                "solution": True}
        assert source(cell).startswith("# "), f"{q.name}: a comment says what to write"
    for milestone in MILESTONES:
        assert milestone.grade_id in ids
    (reflection,) = reflections(nb)
    assert reflection.points == 2
    texts = [i for i in form_items(nb) if not hasattr(i, "kind")]
    assert texts and all(t.translations.get("fil") and t.translations.get("id") for t in texts)
    assert translation_status(nb) == {"fil": "needs review by a native speaker",
                                      "id": "needs review by a native speaker"}


@pytest.mark.parametrize("checkin", CHECKINS)
def test_release_has_a_blank_form_and_no_example(checkin):
    nb = release_version(load(checkin))
    text = json.dumps(nb)
    assert "BEGIN SOLUTION" not in text and "Example answer" not in text
    for q in questions(nb):
        lines = source(nb["cells"][q.cell]).rstrip("\n").split("\n")
        assert lines[-1] == f"{q.name} = None"
        assert all(line.startswith("# ") for line in lines[:-1])


@pytest.mark.parametrize("checkin", CHECKINS)
def test_blank_release_scores_zero_and_reads_as_missing(checkin, tmp_path):
    nb = release_version(load(checkin))
    points, messages = run(nb)
    assert len(points) == 1 + len(MILESTONES) and sum(points.values()) == 0
    assert messages["form-complete"].startswith("AssertionError: savings: write a number")
    for m in MILESTONES:
        assert messages[m.grade_id].startswith(f"AssertionError: Not yet: {m.label}")
    path = tmp_path / "blank.ipynb"
    path.write_text(json.dumps(nb))
    read = read_checkin(path)
    assert read.status == "missing" and read.problem == "sent without any answer"


# the example answers in the source notebooks, milestone by milestone, worked out by hand
EXAMPLE_MILESTONES = {
    # emergency fund 1.5 < 3; savings 18000 = plan; 2000 <= 30 % of 12000; irregular work and
    # no business yet; next steps written
    "baseline": [0, 1, 1, 0, 1],
    "m03": [0, 1, 1, 1, 1],  # 2.5 months < 3; her workshop is running
    "m06": [1, 1, 1, 1, 1],  # stable work as an electrician, no business: reached
    "m12": [1, 1, 1, 1, 1],  # no repayments at all: reached
}


@pytest.mark.parametrize("checkin", CHECKINS)
def test_example_answers_score_their_milestones_in_her_language(checkin, tmp_path):
    source_nb = load(checkin)
    example = model_values(source_nb)
    nb = fill_answers(release_version(source_nb), example)
    assert check_submission(nb, release_version(source_nb)) == []
    points, messages = run(nb)
    lang = example["language"]
    done = {"en": "Your form is complete. Thank you!",
            "fil": "Kumpleto na ang iyong form. Salamat!",
            "id": "Formulir Anda sudah lengkap. Terima kasih!"}[lang]
    assert points["form-complete"] == 1 and messages["form-complete"].strip() == done
    got = [points[m.grade_id] for m in MILESTONES]
    assert got == EXAMPLE_MILESTONES[checkin]
    reached, not_yet = PREFIXES[lang]
    for milestone, point in zip(MILESTONES, got, strict=True):
        text = messages[milestone.grade_id]
        if point:
            assert text.startswith(reached), text
            if lang == "en":
                assert text.startswith(f"You reached: {milestone.label}") and "Next:" in text
        else:
            assert text.startswith(f"AssertionError: {not_yet}"), text
    path = tmp_path / "example.ipynb"
    path.write_text(json.dumps(nb))
    read = read_checkin(path)
    assert read.status == "submitted" and read.problem == ""
    assert {k: read.answers[k] for k in ASKED} == {k: example[k] for k in ASKED}
    table = tables_from_records(pd.DataFrame({"participant": ["x"]}),
                                pd.DataFrame([{"participant": "x", "checkin": checkin,
                                               "status": "submitted", **read.answers}]), None)
    assert table.milestones["reached"].astype(int).tolist() == got


def edge_answers() -> list[dict]:
    """Boundaries a rule can get wrong: exactly 3 months, exactly 30 %, no income, a plan of 0,
    savings of 0, a short next step, unknown numbers, stable work without a business."""
    base = dict(language="en", savings=10000.0, savings_plan=10000.0, emergency_months=3.0,
                debt=0.0, repayment=0.0, income=10000.0, work="none",
                business_status="operating", profit=0.0, remittance_use="daily needs",
                family=3, community=3, wellbeing=3, next_milestones="open an account")
    changes = [
        {}, {"emergency_months": 2.9}, {"savings": 9999.0}, {"savings": 0.0, "savings_plan": 0.0},
        {"repayment": 3000.0}, {"repayment": 3001.0}, {"repayment": 500.0, "income": 0.0},
        {"repayment": 0.0, "income": 0.0}, {"business_status": "closed"},
        {"business_status": "not_started"}, {"business_status": "closed", "work": "stable"},
        {"business_status": "not_started", "work": "irregular"},
        {"business_status": None, "work": "stable"}, {"business_status": None, "work": None},
        {"next_milestones": "save more"}, {"next_milestones": "  save  more  "},
        {"next_milestones": None}, {"emergency_months": None, "savings": None, "repayment": None},
        {"income": None, "repayment": 100.0}, {"savings_plan": None},
        {"repayment": 0.3, "income": 1.0}, {"repayment": 30.0, "income": 100.0},
        {"language": "fil"}, {"language": "id", "emergency_months": 1.0}, {"language": None},
    ]
    return [{**base, **c} for c in changes]


def synthetic_answers(n: int = 120) -> list[dict]:
    _, checkins, _ = synthetic_cohort(n, seed=11)
    answered = checkins[checkins["status"].isin(["submitted", "late"])].head(n)
    rows = []
    for row in answered.to_dict("records"):
        rows.append({k: (None if pd.isna(row[k]) else row[k]) for k in ASKED})
    return rows


def test_notebook_cells_and_progress_tables_agree_on_every_milestone(tmp_path):
    """The same answers, written into the form: the points each milestone cell gives equal
    ``reached`` in the progress tables, for edge cases and 120 synthetic answers."""
    template = release_version(load("m06"))
    answers = edge_answers() + synthetic_answers()
    records, expected = [], []
    for i, answer in enumerate(answers):
        nb = fill_answers(template, answer)
        points, _ = run(nb)
        expected.append([points[m.grade_id] == 1 for m in MILESTONES])
        path = tmp_path / f"{i}.ipynb"
        path.write_text(json.dumps(nb))
        read = read_checkin(path)
        assert read.status == "submitted", (answer, read.problem)
        for name in ASKED:  # what was typed is what is read back
            typed = answer[name]
            got = read.answers[name]
            if isinstance(typed, str):
                typed = typed.strip() or None
            if isinstance(typed, float | np.floating) and got is not None:
                assert got == pytest.approx(float(typed)), name
            else:
                assert got == typed, (name, typed, got)
        records.append({"participant": f"q{i:03d}", "checkin": "m06", "status": "submitted",
                        **read.answers})
    frame = pd.DataFrame(records)
    table = milestone_table(tables_from_records(frame[["participant"]], frame, None).checkins)
    got = table.pivot(index="participant", columns="milestone", values="reached")
    got = got[[m.code for m in MILESTONES]].to_numpy().tolist()
    assert got == expected
    # the cases really cover both outcomes of every milestone
    assert all(0 < sum(column) < len(expected) for column in zip(*expected, strict=True))


def _typed(nb: dict, name: str, text: str) -> dict:
    """A person in JupyterLab replaces ``None`` after ``name =`` by what she types."""
    nb = json.loads(json.dumps(nb))
    for q in questions(nb):
        if q.name == name:
            cell = nb["cells"][q.cell]
            cell["source"] = re.sub(rf"^{name} = None$", f"{name} = {text}", source(cell),
                                    flags=re.M)
    return nb


def test_form_check_explains_a_comma_in_a_number(tmp_path):
    nb = release_version(load("m03"))
    nb = fill_answers(nb, {k: v for k, v in model_values(load("m03")).items() if k != "savings"})
    nb = _typed(nb, "savings", "5,000")
    points, messages = run(nb)
    assert points["form-complete"] == 0
    assert messages["form-complete"] == (  # in her language (the example's: Indonesian)
        "AssertionError: savings: tulis angka 0 atau lebih, tanpa pemisah ribuan "
        "(untuk 5.000 tulis 5000).")
    nb = _typed(fill_answers(nb, {"language": "en"}), "savings", "5,000")
    points, messages = run(nb)
    assert "savings: write a number of 0 or more, without commas (for 5,000 write 5000)" in \
        messages["form-complete"]
    path = tmp_path / "comma.ipynb"
    path.write_text(json.dumps(nb))
    read = read_checkin(path)
    assert read.answers["savings"] is None
    assert "savings: write the number without commas (5000, not 5,000)" in read.problem


def test_hand_typed_and_form_written_answers_read_the_same(tmp_path):
    release = release_version(load("baseline"))
    example = model_values(load("baseline"))
    by_hand = release
    for name, value in example.items():
        by_hand = _typed(by_hand, name, json.dumps(value) if isinstance(value, str)
                         else repr(value))
    by_form = fill_answers(release, example)
    for name, nb in (("hand", by_hand), ("form", by_form)):
        (tmp_path / f"{name}.ipynb").write_text(json.dumps(nb))
    hand, form = read_checkin(tmp_path / "hand.ipynb"), read_checkin(tmp_path / "form.ipynb")
    assert hand.answers == form.answers and hand.problem == form.problem == ""
    assert run(by_hand)[0] == run(by_form)[0]


def test_code_in_an_answer_cell_is_never_read_or_run_by_the_reader(tmp_path):
    """A hostile answer: the reader names it and reads nothing from it; the text kept as a
    text (the form's way) is read as the text it is."""
    canary = tmp_path / "ran"
    nb = fill_answers(release_version(load("m03")), model_values(load("m03")))
    nb = _typed(nb, "savings", "None")
    for q in questions(nb):
        if q.name == "savings":
            nb["cells"][q.cell]["source"] = (f"savings = open({str(canary)!r}, 'w').write('x')")
    nb = fill_answers(nb, {"remittance_use": "__import__('os').system('id')"})
    path = tmp_path / "hostile.ipynb"
    path.write_text(json.dumps(nb))
    read = read_checkin(path)
    assert not canary.exists()
    assert read.answers["savings"] is None
    assert "savings: this answer holds code" in read.problem
    assert read.answers["remittance_use"] == "__import__('os').system('id')"


def test_a_milestone_not_yet_reached_is_explained_in_filipino_and_indonesian():
    template = release_version(load("m06"))
    answer = {**edge_answers()[0], "emergency_months": 1.0}
    for lang, words in (("fil", "Hindi pa: emergency fund na pang-3 buwan"),
                        ("id", "Belum: dana darurat untuk 3 bulan")):
        _, messages = run(fill_answers(template, {**answer, "language": lang}))
        assert messages["milestone-emergency-fund"].startswith(f"AssertionError: {words}")
