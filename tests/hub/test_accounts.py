"""Hub accounts and login cards, without a hub: the store, idempotence, resets, the
facilitators' list, Unix users (as root), and the cards' PDF read back (text and QR code)."""

from __future__ import annotations

import os
import pwd

import pytest

from grading.hub.accounts import (
    AccountError,
    AccountStore,
    Card,
    Person,
    UnixAccounts,
    check_name,
    make_accounts,
    read_facilitators,
)
from grading.hub.cards import login_cards


@pytest.fixture
def store(tmp_path):
    return AccountStore(tmp_path / "state" / "accounts.json")


def test_names_the_hub_and_unix_can_share():
    assert check_name("r01") == "r01"
    for bad in ("P01", "1abc", "a b", "", "x" * 33, "root;rm", "ana.cruz"):
        with pytest.raises(AccountError):
            check_name(bad)


def test_accounts_are_made_once_and_cards_only_for_new_people(store):
    people = [Person("r01", "participant", "Rosa"), Person("r02", "participant", "Siti")]
    first = make_accounts(store, people)
    assert [c.name for c in first.cards] == ["r01", "r02"]
    passwords = {c.name: c.password for c in first.cards}
    assert passwords["r01"] != passwords["r02"]
    raw = store.path.read_text()
    assert passwords["r01"] not in raw and passwords["r02"] not in raw  # hashes only
    assert oct(store.path.stat().st_mode & 0o777) == "0o600"
    again = make_accounts(store, people + [Person("r03", "participant", "Nur")])
    assert [c.name for c in again.cards] == ["r03"] and again.kept == ["r01", "r02"]
    assert store.card_matches("r01", passwords["r01"])  # an old card keeps working


def test_a_reset_gives_a_new_card_and_the_old_one_stops(store):
    people = [Person("r01", "participant", "Rosa")]
    old = make_accounts(store, people).cards[0].password
    new = make_accounts(store, people, reset=["r01"]).cards[0].password
    assert new != old
    assert store.card_matches("r01", new) and not store.card_matches("r01", old)
    with pytest.raises(AccountError, match="no such account"):
        make_accounts(store, people, reset=["nobody"])


def test_a_participant_cannot_become_a_facilitator_by_mistake(store):
    make_accounts(store, [Person("r01", "participant")])
    with pytest.raises(AccountError, match="already has a participant account"):
        make_accounts(store, [Person("r01", "facilitator")])


def test_facilitators_list_and_its_mistakes(tmp_path):
    good = tmp_path / "f.csv"
    good.write_text("username,name,sees_names\nfac-ana,Ana Cruz,yes\nfac-bo,Bo Santos,no\n")
    people = read_facilitators(good)
    assert [(p.name, p.role, p.sees_names) for p in people] == [
        ("fac-ana", "facilitator", True), ("fac-bo", "facilitator", False)]
    for text, message in [("username,name\n,Ana\n", "row 2: the username is empty"),
                          ("username\nAna\n", "row 2: 'Ana'"),
                          ("username,sees_names\nana,maybe\n", "sees_names is yes or no"),
                          ("username\nana\nana\n", "listed twice"),
                          ("username\n", "no facilitators")]:
        bad = tmp_path / "bad.csv"
        bad.write_text(text)
        with pytest.raises(AccountError, match=message):
            read_facilitators(bad)


def test_login_cards_carry_name_password_and_the_address_as_a_qr_code(tmp_path):
    import zxingcpp
    from pypdf import PdfReader

    cards = [Card(f"r{i:02d}", "participant", name, f"kabupi-{4700 + i}")
             for i, name in enumerate(["Rosa Villanueva", "Siti Rahmawati", "María López",
                                       "Ben Ramos", "Nur Aini", "Joy Cruz", "Sunita Rai",
                                       "Lina Reyes", "Dao Mai"])]
    path = login_cards(cards, "http://192.168.1.20:8000", tmp_path / "cards.pdf")
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # it holds passwords
    reader = PdfReader(path)
    assert len(reader.pages) == 2  # eight cards to a page
    text = "\n".join(page.extract_text() for page in reader.pages)
    for card in cards:
        assert card.name in text and card.password in text and card.display in text
    assert "choose your own password" in text
    image = reader.pages[0].images[0].image
    codes = zxingcpp.read_barcodes(image.convert("L"))
    assert [c.text for c in codes] == ["http://192.168.1.20:8000/hub/login"]


@pytest.mark.skipif(os.geteuid() != 0, reason="making Unix users needs root")
def test_unix_users_private_homes_and_no_takeover(tmp_path, store):
    import secrets

    tag = "u" + secrets.token_hex(3)
    unix = UnixAccounts(tmp_path / "home", facilitators_group=f"{tag}-fac")
    people = [Person(f"{tag}p1", "participant"), Person(f"{tag}f1", "facilitator")]
    try:
        make_accounts(store, people, unix=unix)
        participant = pwd.getpwnam(f"{tag}p1")
        assert oct(os.stat(participant.pw_dir).st_mode & 0o777) == "0o700"
        import grp

        assert grp.getgrnam(f"{tag}-fac").gr_mem == [f"{tag}f1"]
        make_accounts(store, people, unix=unix)  # again: nothing new, nothing broken
        with pytest.raises(AccountError, match="not made for the hub"):
            unix.ensure(Person("daemon", "participant"))  # an existing system account
    finally:
        for person in people:
            UnixAccounts.remove(person.name)
        os.system(f"groupdel {tag}-fac 2>/dev/null")


def test_cards_are_never_written_into_the_repository(tmp_path, capsys):
    """The guide's command runs from the Homeward folder: a relative --cards would put every
    one-time password in the git work tree. It is refused before any account is made (a card
    that is not written would be lost)."""
    from grading.course import Course
    from grading.hub.cli import main
    from grading.hub.settings import REPO

    course = Course.create(tmp_path / "course", exercises=tmp_path / "none")
    people = tmp_path / "people.csv"
    people.write_text("id,first_name,last_name,email,gender,cohort\nr01,Rosa,V,,woman,A\n")
    course.add_participants(people)
    state = tmp_path / "state"
    inside = REPO / "login-cards.pdf"
    code = main(["accounts", "--course", str(course.root), "--state", str(state), "--no-unix",
                 "--address", "http://127.0.0.1:8000", "--cards", str(inside)])
    assert code == 2
    assert "inside the git repository" in capsys.readouterr().err
    assert not inside.exists() and not (state / "accounts.json").exists()
    outside = tmp_path / "cards.pdf"
    assert main(["accounts", "--course", str(course.root), "--state", str(state), "--no-unix",
                 "--address", "http://127.0.0.1:8000", "--cards", str(outside)]) == 0
    assert outside.exists() and (state / "accounts.json").exists()
