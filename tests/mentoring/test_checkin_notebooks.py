"""The four check-in notebooks: nbgrader metadata, what the participant reads, and the
agreement between the notebooks' autograded cells and the progress tables' milestones.

The agreement is checked without nbgrader: each answer is written into the notebook's form
(as a participant types it), the cells are run in this process, and the points each milestone
cell gives are compared with ``grading.progress.milestone_table`` for the same answers read back
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
    FIELDS,
    MILESTONES,
    answer_cell_index,
    fill_answers,
    read_checkin,
)
from grading.progress import milestone_table, tables_from_records
from grading.synthetic import synthetic_cohort

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = {c: ROOT / "exercises" / f"checkin_{c}" / f"checkin_{c}.ipynb" for c in CHECKINS}


def load(checkin: str) -> dict:
    return json.loads(NOTEBOOKS[checkin].read_text())


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def release_version(nb: dict) -> dict:
    """What nbgrader's generate_assignment makes of the answer cell (ClearSolutions), done
    in-process with nbgrader's own preprocessor."""
    import nbformat
    from nbgrader.preprocessors import ClearSolutions

    node = nbformat.reads(json.dumps(nb), as_version=4)
    node, _ = ClearSolutions().preprocess(node, {"language": "python"})
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
    """Graded cells are locked, open with a docstring and carry points; the answers sit in a
    function with a docstring; every milestone has its cell; a manual reflection for the mentor."""
    cells = load(checkin)["cells"]
    ids = [c["metadata"]["nbgrader"]["grade_id"] for c in cells]
    assert len(ids) == len(set(ids))
    for cell in cells:
        meta = cell["metadata"]["nbgrader"]
        assert meta["schema_version"] == 3
        if meta["grade"] and cell["cell_type"] == "code":
            assert meta["locked"] and meta["points"] == 1
            assert source(cell).startswith('"""Checks'), meta["grade_id"]
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    answers = cells[answer_cell_index(cells)]
    assert answers["metadata"]["nbgrader"] == {"grade": False, "grade_id": "answers",
                                               "locked": False, "schema_version": 3,
                                               "solution": True}
    assert re.search(r'def my_answers\(\):\n    """.+?"""\n(    \w+ = None +# .+\n){14}'
                     r'    ### BEGIN SOLUTION', source(answers), re.S)
    for milestone in MILESTONES:
        assert milestone.grade_id in ids
    manual = [c for c in cells if c["cell_type"] == "markdown" and c["metadata"]["nbgrader"]["grade"]]
    assert len(manual) == 1 and manual[0]["metadata"]["nbgrader"]["solution"]
    assert manual[0]["metadata"]["nbgrader"]["points"] == 2


@pytest.mark.parametrize("checkin", CHECKINS)
def test_release_has_a_blank_form_and_no_example(checkin):
    nb = release_version(load(checkin))
    text = json.dumps(nb)
    assert "BEGIN SOLUTION" not in text and "Example answer" not in text
    form = source(nb["cells"][answer_cell_index(nb["cells"])])
    for name in FIELDS:
        assert re.search(rf"^    {name} = None ", form, re.M), name
    assert "raise NotImplementedError()" in form


@pytest.mark.parametrize("checkin", CHECKINS)
def test_blank_release_scores_zero_and_reads_as_missing(checkin, tmp_path):
    nb = release_version(load(checkin))
    points, messages = run(nb)
    assert len(points) == 1 + len(MILESTONES) and sum(points.values()) == 0
    assert all(m.startswith("NotImplementedError") for m in messages.values())
    path = tmp_path / "blank.ipynb"
    path.write_text(json.dumps(nb))
    read = read_checkin(path)
    assert read.status == "missing" and read.problem.startswith("sent without any answer")


# the example answers in the source notebooks, milestone by milestone, worked out by hand
EXAMPLE_MILESTONES = {
    # emergency fund 1.5 < 3; savings 18000 = plan; 2000 <= 30 % of 12000; not started; steps
    "baseline": [0, 1, 1, 0, 1],
    "m03": [0, 1, 1, 1, 1],  # 2.5 months < 3
    "m06": [1, 1, 1, 1, 1],
    "m12": [1, 1, 1, 1, 1],  # no repayments at all: reached
}


@pytest.mark.parametrize("checkin", CHECKINS)
def test_source_example_scores_its_milestones(checkin, tmp_path):
    nb = load(checkin)
    points, messages = run(nb)
    assert points["form-complete"] == 1
    assert messages["form-complete"].strip() == "Your form is complete. Thank you!"
    got = [points[m.grade_id] for m in MILESTONES]
    assert got == EXAMPLE_MILESTONES[checkin]
    for milestone, point in zip(MILESTONES, got, strict=True):
        text = messages[milestone.grade_id]
        if point:
            assert text.startswith(f"You reached: {milestone.label}") and "Next:" in text
        else:
            assert text.startswith(f"AssertionError: Not yet: {milestone.label}")
            assert "Next:" in text
    path = tmp_path / "source.ipynb"
    path.write_text(json.dumps(nb))
    read = read_checkin(path)
    assert read.status == "submitted" and read.problem == ""
    table = tables_from_records(pd.DataFrame({"participant": ["x"]}),
                                pd.DataFrame([{"participant": "x", "checkin": checkin,
                                               "status": "submitted", **read.answers}]), None)
    assert table.milestones["reached"].astype(int).tolist() == got


def edge_answers() -> list[dict]:
    """Boundaries a rule can get wrong: exactly 3 months, exactly 30 %, no income, a plan of 0,
    savings of 0, a short next step, unknown numbers."""
    base = dict(savings=10000.0, savings_plan=10000.0, emergency_months=3.0, debt=0.0,
                repayment=0.0, income=10000.0, business_status="operating", profit=0.0,
                working=True, remittance_use="daily needs", family=3, community=3, wellbeing=3,
                next_milestones="open an account")
    changes = [
        {}, {"emergency_months": 2.9}, {"savings": 9999.0}, {"savings": 0.0, "savings_plan": 0.0},
        {"repayment": 3000.0}, {"repayment": 3001.0}, {"repayment": 500.0, "income": 0.0},
        {"repayment": 0.0, "income": 0.0}, {"business_status": "closed"},
        {"business_status": "not_started"}, {"next_milestones": "save more"},
        {"next_milestones": "  save  more  "}, {"next_milestones": None},
        {"emergency_months": None, "savings": None, "repayment": None},
        {"income": None, "repayment": 100.0}, {"savings_plan": None},
        {"repayment": 0.3, "income": 1.0}, {"repayment": 30.0, "income": 100.0},
    ]
    return [{**base, **c} for c in changes]


def synthetic_answers(n: int = 120) -> list[dict]:
    _, checkins, _ = synthetic_cohort(n, seed=11)
    answered = checkins[checkins["status"].isin(["submitted", "late"])].head(n)
    rows = []
    for row in answered.to_dict("records"):
        rows.append({k: (None if pd.isna(row[k]) else row[k]) for k in FIELDS})
    return rows


def test_notebook_cells_and_progress_tables_agree_on_every_milestone(tmp_path):
    """The same answers, typed into the form: the points each milestone cell gives equal
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
        for name in FIELDS:  # what was typed is what is read back
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


def test_form_check_explains_a_comma_in_a_number(tmp_path):
    nb = release_version(load("m03"))
    cells = nb["cells"]
    index = answer_cell_index(cells)
    form = source(cells[index]).replace("    savings = None ", "    savings = 5,000 ")
    form = form.replace("    # YOUR CODE HERE\n    raise NotImplementedError()\n", "")
    cells[index]["source"] = form
    points, messages = run(nb)
    assert points["form-complete"] == 0
    assert "without commas (for 5,000 write 5000)" in messages["form-complete"]
    path = tmp_path / "comma.ipynb"
    path.write_text(json.dumps(nb))
    read = read_checkin(path)
    assert read.answers["savings"] is None
    assert "savings: write the number without commas (5000, not 5,000)" in read.problem


def test_answers_left_above_the_raise_line_are_still_read(tmp_path):
    """She filled in the form but forgot to delete ``raise NotImplementedError()``: the
    notebook scores 0, the mentor still sees her answers and why the points are missing."""
    nb = release_version(load("m03"))
    cells = nb["cells"]
    index = answer_cell_index(cells)
    cells[index]["source"] = source(cells[index]).replace("    wellbeing = None ",
                                                          "    wellbeing = 2 ")
    assert sum(run(nb)[0].values()) == 0
    path = tmp_path / "raise.ipynb"
    path.write_text(json.dumps(nb))
    read = read_checkin(path)
    assert read.status == "submitted" and read.answers["wellbeing"] == 2
    assert "raise NotImplementedError() was left in" in read.problem
