"""The hub's login without a running hub: HomewardAuthenticator on a real (in-memory)
JupyterHub database, the card's one-time password, then her own."""

from __future__ import annotations

import pytest

from grading.hub.accounts import AccountStore, Person, make_accounts
from grading.hub.auth import HomewardAuthenticator, hub_groups
from tests.helpers.aio import run as run_async


@pytest.fixture
def hub(tmp_path):
    from jupyterhub import orm

    store = AccountStore(tmp_path / "accounts.json")
    report = make_accounts(store, [Person("r01", "participant", "Rosa"),
                                   Person("fac-ana", "facilitator", "Ana", sees_names=True)])
    # a file, not memory: the coroutines run in a thread of their own (tests.helpers.aio)
    db = orm.new_session_factory(f"sqlite:///{tmp_path / 'hub.sqlite'}")()
    auth = HomewardAuthenticator(db=db, accounts_file=str(store.path), course_id="homeward")
    return auth, {c.name: c.password for c in report.cards}


def login(auth, name, password):
    return run_async(auth.authenticate(None, {"username": name, "password": password}))


def test_the_card_opens_the_account_until_she_chooses_her_password(hub):
    auth, cards = hub
    assert login(auth, "r01", "wrong") is None
    assert login(auth, "nobody", cards["r01"]) is None
    first = login(auth, "r01", cards["r01"])
    assert first == {"name": "r01", "groups": ["nbgrader-homeward", "participants"]}
    assert auth.must_choose_password("r01")
    assert auth.choose_password("r01", "short") == "Use at least 8 letters or numbers."
    assert "too common" in auth.choose_password("r01", "password")
    assert "not the one on your card" in auth.choose_password("r01", cards["r01"])
    assert auth.choose_password("r01", "rosa-garden-77") == ""
    assert not auth.must_choose_password("r01")
    assert login(auth, "r01", cards["r01"]) is None  # the card is dead
    assert login(auth, "r01", "rosa-garden-77")["name"] == "r01"


def test_no_server_before_she_has_chosen(hub):
    from tornado.web import HTTPError

    auth, cards = hub

    class User:
        name = "r01"

    with pytest.raises(HTTPError) as refused:
        run_async(auth.pre_spawn_start(User(), None))
    assert refused.value.status_code == 403
    auth.choose_password("r01", "rosa-garden-77")
    run_async(auth.pre_spawn_start(User(), None))  # now allowed


def test_a_new_card_replaces_her_forgotten_password(hub):
    auth, cards = hub
    auth.choose_password("r01", "rosa-garden-77")
    new = make_accounts(auth.store, [Person("r01", "participant")], reset=["r01"]).cards[0]
    assert login(auth, "r01", "rosa-garden-77") is None  # the reset makes the card the key
    assert login(auth, "r01", new.password)["name"] == "r01"
    assert auth.must_choose_password("r01")


def test_repeated_wrong_passwords_lock_the_name_for_a_while(hub):
    auth, cards = hub
    for _ in range(auth.allowed_failed_logins):
        assert login(auth, "r01", "guess") is None
    assert login(auth, "r01", cards["r01"]) is None  # even the right one, for now


def test_only_listed_accounts_are_allowed_and_groups_follow_the_role(hub):
    auth, _cards = hub
    assert auth.check_allowed("r01") and not auth.check_allowed("someone")
    facilitator = hub_groups(auth.store.get("fac-ana"), "homeward")
    assert facilitator == ["facilitators", "formgrade-homeward", "nbgrader-homeward",
                           "see-names"]
