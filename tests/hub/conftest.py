"""Shared by the hub tests: cheap bcrypt for the unit tests (the hub itself keeps its cost)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch):
    import grading.hub.accounts as accounts

    monkeypatch.setattr(accounts, "BCRYPT_ROUNDS", 4)
