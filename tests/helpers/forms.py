"""Helpers for testing exercises and check-ins written in the answer-form format
(``widgets/forms/model.py``).

- :func:`release_version`: what ``nbgrader generate_assignment`` makes of a source notebook
  (nbgrader's own ``ClearSolutions`` with Homeward's empty code stub, then ``ClearHiddenTests``),
  in-process;
- :func:`grade_in_process`: the autograder's view of a set of answers, in-process and fast:
  the values written into the release with ``fill_notebook``, the grade cells taken from the
  SOURCE (hidden tests included, as nbgrader restores them), every code cell run in order;
  returns each grade cell's points and what it printed or raised. It is for trusted notebooks
  (ours); submissions from people only ever run through real nbgrader in the tests that say so.
- :func:`typed_by_hand`: the same answers written as a person in JupyterLab types them.
- :func:`structure_problems`: what every form notebook must satisfy.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

from widgets.forms.model import (
    LANGUAGES,
    fill_notebook,
    form_items,
    is_arithmetic,
    model_values,
    questions,
    reflections,
)

MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS",
           "### END HIDDEN TESTS")
#: Words that must never reach a participant: file names of the sources, internal tags,
#: Python names of the code base.
INTERNAL = re.compile(r"\b00[0-4]_[0-9a-f]{16}\.txt\b|anchors\.md|\[confirmed\]|\[unverified\]"
                      r"|widgets\.\w+|grading\.\w+|\bmodel\.\w+\(|npf\.\w+|numpy|`\w+\(\)`")


def load(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def source_of(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def meta_of(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def release_version(nb: dict, hidden: bool = False) -> dict:
    """The released notebook, in-process (``hidden=True`` keeps the hidden tests): the form
    app's own release step (:func:`widgets.forms.handin.release_of`)."""
    from widgets.forms.handin import release_of

    return release_of(nb, hidden=hidden)


def run_cells(nb: dict) -> tuple[dict[str, float], dict[str, str]]:
    """Run every code cell in order in one namespace; the points and output of grade cells."""
    namespace: dict = {}
    points, messages = {}, {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        meta = meta_of(cell)
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(source_of(cell), meta.get("grade_id", "cell"), "exec"), namespace)
            ok, text = True, out.getvalue()
        except Exception as err:  # noqa: BLE001 - a failing cell scores 0, as in nbgrader
            ok, text = False, f"{type(err).__name__}: {err}"
        if meta.get("grade"):
            points[meta["grade_id"]] = float(meta["points"]) if ok else 0.0
            messages[meta["grade_id"]] = text
    return points, messages


def grade_in_process(source_nb: dict, values: dict) -> tuple[dict[str, float], dict[str, str]]:
    """Points and messages of each autograded cell for ``values`` (see the module docstring)."""
    filled = fill_notebook(release_version(source_nb, hidden=True), values)
    graded = {meta_of(c).get("grade_id"): c for c in source_nb["cells"] if meta_of(c).get("grade")}
    for cell in filled["cells"]:
        grade_id = meta_of(cell).get("grade_id")
        if grade_id in graded and cell["cell_type"] == "code":
            cell["source"] = "\n".join(line for line in source_of(graded[grade_id]).split("\n")
                                       if line.strip() not in MARKERS)
    return run_cells(filled)


def typed_by_hand(release: dict, values: dict, texts: dict | None = None) -> dict:
    """``values`` typed in JupyterLab: ``None`` after ``name =`` replaced by what she types
    (numbers as written, texts in double quotes as a person writes them, comments kept);
    ``texts`` typed as they are into the reflections' markdown cells."""
    nb = json.loads(json.dumps(release))
    for r in reflections(nb):
        if (texts or {}).get(r.name):
            nb["cells"][r.cell]["source"] = texts[r.name]
    for q in questions(nb):
        if q.name not in values:
            continue
        value = values[q.name]
        if isinstance(value, str):
            typed = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, float) and value.is_integer():
            typed = str(int(value))
        else:
            typed = repr(value)
        cell = nb["cells"][q.cell]
        line = f"{q.name} = {typed}"
        cell["source"] = re.sub(rf"^{q.name} = None$", lambda _m, line=line: line,
                                source_of(cell), flags=re.M)
    return nb


def structure_problems(nb: dict, languages: tuple[str, ...] = LANGUAGES,
                       house_style: bool = True) -> list[str]:
    """Everything a form notebook must satisfy; an empty list when it does. ``house_style``
    also asks for the exact literal-types line the course's own exercises open each check
    with (exercises by other authors may name those tools differently)."""
    problems = []
    cells = nb["cells"]
    ids = [meta_of(c).get("grade_id") for c in cells]
    if None in ids or len(ids) != len(set(ids)):
        problems.append(f"every cell needs a unique grade_id: {ids}")
    names = [q.name for q in questions(nb)]
    code_cells = [c for c in cells if c["cell_type"] == "code"]
    if house_style and not (code_cells and meta_of(code_cells[0]).get("locked") and
                            'InteractiveTB.set_mode(mode="Minimal")' in source_of(code_cells[0])):
        problems.append("the first code cell (locked) makes a failing check show only its "
                        "message, not the code around it (which holds the expected answer)")
    for cell in cells:
        meta, src = meta_of(cell), source_of(cell)
        gid = meta.get("grade_id")
        if meta.get("schema_version") != 3:
            problems.append(f"{gid}: nbgrader schema_version 3")
        if cell["cell_type"] == "code":
            if cell.get("outputs") or cell.get("execution_count") is not None:
                problems.append(f"{gid}: committed with outputs")
            if meta.get("grade"):
                first = src.splitlines()[0] if src else ""
                points = meta.get("points", 0)
                unit = "point" if points == 1 else "points"
                if not (meta.get("locked") and not meta.get("solution") and points > 0):
                    problems.append(f"{gid}: a check is locked, not a solution, with points")
                if not first.startswith('"""Checks') or f"({points:g} {unit})" not in first:
                    problems.append(f"{gid}: opens with a docstring naming its {points:g} {unit}")
                code = "\n".join(line for line in src.splitlines()
                                 if not line.lstrip().startswith("#"))
                for banned in ("import ", "isinstance(", "abs(", "round(", "len(", "type(",
                               "math.", "numpy", "any(", "all(", "sorted(", "int(", "float(",
                               "str(", "min(", "max(", "sum("):
                    if re.search(rf"(?<![\w.]){re.escape(banned)}", code):
                        problems.append(f"{gid}: uses {banned!r}; take the tools from literals")
                if house_style and (
                        "TYPE, INT, FLOAT, STR, BOOL = (().__class__.__class__, (0).__class__, "
                        "(0.0).__class__, \"\".__class__, True.__class__)" not in src):
                    problems.append(f"{gid}: take TYPE, INT, FLOAT, STR, BOOL from literals")
                for line in src.splitlines():
                    if line.lstrip().startswith("assert ") and "," not in line:
                        problems.append(f"{gid}: every assert says what to look at: {line}")
            elif meta.get("solution"):
                if gid not in {q.grade_id for q in questions(nb)}:
                    problems.append(f"{gid}: a solution code cell must be an answer (metadata)")
            elif not meta.get("locked") and (house_style or not is_arithmetic(src)):
                problems.append(f"{gid}: no free code cells in a form (a scratch cell may "
                                "hold arithmetic only)")
        if cell["cell_type"] == "markdown" and INTERNAL.search(src):
            problems.append(f"{gid}: names a file, a tag or a Python name: "
                            f"{INTERNAL.search(src).group(0)}")
    for q in questions(nb):
        for lang in languages:
            if not q.label.get(lang, "").strip():
                problems.append(f"{q.name}: no {lang} label")
            if q.help and not q.help.get(lang, "").strip():
                problems.append(f"{q.name}: no {lang} help")
            for option in q.options:
                if not option.label.get(lang, "").strip():
                    problems.append(f"{q.name}.{option.value}: no {lang} label")
        used = re.compile(rf"(?<![\"'\w]){q.name}(?![\"'\w])")
        if not any(used.search(source_of(c)) for c in cells if meta_of(c).get("grade")):
            problems.append(f"{q.name}: no check reads this answer")
    for r in reflections(nb):
        if r.points <= 0:
            problems.append(f"{r.name}: a reflection carries points")
    if len(names) != len(set(names)):
        problems.append("two answers with one name")
    try:
        model_values(nb)
    except ValueError as err:
        problems.append(f"model answers: {err}")
    form_items(nb)  # raises on a malformed answer
    return problems
