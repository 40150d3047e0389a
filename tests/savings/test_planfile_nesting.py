"""A savings plan file nested deeper than Python's parser goes (issue 10, point 7): the
simulator refuses it in plain words and keeps the plan on screen; no RecursionError."""

from __future__ import annotations

import pytest

from widgets.savings import planfile
from widgets.savings.view import SavingsApp

DEEP = ["[" * 20_000 + "]" * 20_000, '{"plan":' * 5_000 + "1" + "}" * 5_000]


@pytest.mark.parametrize("text", DEEP, ids=["lists", "objects"])
def test_the_loader_says_it_is_not_a_plan(text):
    with pytest.raises(planfile.PlanFileError) as err:
        planfile.loads(text)
    assert err.value.code == "not_json"


def test_the_app_refuses_it_and_keeps_the_plan():
    app = SavingsApp(start="2026-11")
    before = app.plan
    for text in DEEP:
        assert app.open_plan(text.encode()) is False
        assert "not a Homeward plan" in app.upload_error.value
        assert app.plan == before
