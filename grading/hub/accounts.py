"""Hub accounts: one per participant and one per facilitator, each with a Unix user, and a
one-time password for the login card.

A participant's hub name is her participant id, and her Unix user has the same name, so the
gradebook, the nbgrader exchange (which files a submission under the Unix user that made it)
and the dashboard all name the same person. JupyterHub writes user names in lower case and
Unix wants them short, so an id the hub can use is lower-case letters, digits, ``-`` and ``_``,
starting with a letter, at most 32 characters:

>>> check_name("r01"), check_name("ph-2026-014")
('r01', 'ph-2026-014')
>>> check_name("P01")
Traceback (most recent call last):
...
grading.hub.accounts.AccountError: 'P01': a hub user name is lower-case letters, digits, - and _, starting with a letter (at most 32): rename it in the course, e.g. 'p01'

Accounts are kept in ``accounts.json`` in the hub's state folder (readable by root only): the
role, whether a facilitator may see participants' names, and the card's one-time password as a
bcrypt hash, never the password itself. Making accounts again with the same lists changes
nothing; a new person gets a new card; ``reset`` gives someone who forgot her password a new
card (the old password stops working when the new card is used).

>>> import tempfile
>>> store = AccountStore(Path(tempfile.mkdtemp()) / "accounts.json")
>>> people = [Person("r01", "participant", "Rosa V."), Person("fac-ana", "facilitator", "Ana")]
>>> report = make_accounts(store, people)
>>> sorted(card.name for card in report.cards), report.kept
(['fac-ana', 'r01'], [])
>>> store.card_matches("r01", report.cards[1].password), store.card_matches("r01", "guess")
(True, False)
>>> again = make_accounts(store, people)
>>> again.cards, again.kept
([], ['fac-ana', 'r01'])
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import grp
import json
import os
import pwd
import re
import secrets
import subprocess
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import bcrypt

ROLES = ("participant", "facilitator")
HUB_NAME_RE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
#: Written in the comment field of every Unix user this module makes: an existing Unix user
#: without it (root, a system account, a person's own login) is never taken over.
UNIX_MARK = "Homeward hub"
#: The Unix group of the facilitators: the course folder and the exchange's inbox are theirs.
FACILITATORS_GROUP = "homeward-facilitators"
YES = {"yes", "y", "true", "1", "oo", "ya"}
NO = {"no", "n", "false", "0", "", "hindi", "tidak"}
#: Syllables and digits for one-time passwords: easy to read aloud and to type on a phone in
#: Filipino, Bahasa Indonesia, Thai, Nepali or Spanish (no letters that look alike).
CONSONANTS = "bdgkmnprstw"
#: bcrypt's cost for card passwords (tests lower it to stay fast).
BCRYPT_ROUNDS = 12
VOWELS = "aeiou"


class AccountError(ValueError):
    """An account that cannot be made as asked (the message says why and what to do)."""


def check_name(name: str) -> str:
    """``name`` if the hub and Unix can both use it as a user name, else :class:`AccountError`."""
    if not isinstance(name, str) or not HUB_NAME_RE.match(name):
        hint = f", e.g. {name.lower()!r}" if isinstance(name, str) and HUB_NAME_RE.match(
            name.lower()) else ""
        raise AccountError(
            f"{name!r}: a hub user name is lower-case letters, digits, - and _, starting with a "
            f"letter (at most 32): rename it in the course{hint}")
    return name


@dataclass(frozen=True)
class Person:
    """Someone who gets an account. ``display`` is printed on her card only."""

    name: str
    role: str
    display: str = ""
    sees_names: bool = False

    def __post_init__(self):
        check_name(self.name)
        if self.role not in ROLES:
            raise AccountError(f"{self.name}: role must be one of {', '.join(ROLES)}")


def participants_from_course(course) -> list[Person]:
    """Everyone on the course's participants list (its gradebook), as hub accounts."""
    frame = course.participants()
    people = []
    for row in frame.to_dict("records"):
        display = f"{row['first_name']} {row['last_name']}".strip()
        people.append(Person(check_name(row["id"]), "participant", display))
    return people


def read_facilitators(path: str | os.PathLike) -> list[Person]:
    """The facilitators' list: a CSV with ``username`` (required), ``name`` and ``sees_names``
    (yes/no, default no: whether the dashboard may show her participants' names).

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "facilitators.csv"
    >>> _ = f.write_text("username,name,sees_names\\nfac-ana,Ana Cruz,yes\\nfac-bo,Bo,\\n")
    >>> [(p.name, p.sees_names) for p in read_facilitators(f)]
    [('fac-ana', True), ('fac-bo', False)]
    """
    path = Path(path)
    if not path.is_file():
        raise AccountError(f"{path}: no such file (columns: username, name, sees_names)")
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    people, seen = [], set()
    for number, row in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not any(row.values()):
            continue
        where = f"{path.name}, row {number}"
        name = row.get("username", "")
        if not name:
            raise AccountError(f"{where}: the username is empty (columns: username, name, "
                               "sees_names)")
        try:
            check_name(name)
        except AccountError as err:
            raise AccountError(f"{where}: {err}") from None
        if name in seen:
            raise AccountError(f"{where}: {name!r} is listed twice")
        seen.add(name)
        answer = row.get("sees_names", "").lower()
        if answer not in YES | NO:
            raise AccountError(f"{where}: sees_names is yes or no, not {answer!r}")
        people.append(Person(name, "facilitator", row.get("name", ""), answer in YES))
    if not people:
        raise AccountError(f"{path.name}: no facilitators in the file")
    return people


def card_password(randbelow=secrets.randbelow) -> str:
    """A one-time password for a card: three syllables and four digits, e.g. ``kabupi-4725``
    (about 31 bits; the hub locks a name out after repeated wrong passwords).

    >>> values = iter([0, 0, 1, 1, 2, 2, 1, 2, 3, 4])
    >>> card_password(lambda n: next(values))
    'badegi-1234'
    """
    syllables = "".join(CONSONANTS[randbelow(len(CONSONANTS))] + VOWELS[randbelow(len(VOWELS))]
                        for _ in range(3))
    digits = "".join(str(randbelow(10)) for _ in range(4))
    return f"{syllables}-{digits}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Card:
    """A login card to print: the password exists only here, in memory, until printed."""

    name: str
    role: str
    display: str
    password: str


@dataclass
class AccountsReport:
    """What :func:`make_accounts` did."""

    cards: list[Card] = field(default_factory=list)  # new accounts and resets: print these
    kept: list[str] = field(default_factory=list)  # already had an account: no new card
    changed: list[str] = field(default_factory=list)  # role or name rights updated

    def lines(self) -> list[str]:
        """Plain lines for the facilitator.

        >>> AccountsReport([Card("r02", "participant", "", "x")], ["r01"]).lines()
        ['1 new login card: r02', '1 account kept as it was (no new card): r01']
        """
        out = []
        if self.cards:
            out.append(f"{len(self.cards)} new login card{'s' * (len(self.cards) != 1)}: "
                       + ", ".join(c.name for c in self.cards))
        if self.changed:
            out.append("updated: " + ", ".join(self.changed))
        if self.kept:
            out.append(f"{len(self.kept)} account{'s' * (len(self.kept) != 1)} kept as it was "
                       "(no new card): " + ", ".join(self.kept))
        return out or ["no accounts"]


class AccountStore:
    """``accounts.json``: name -> role, sees_names, card (bcrypt hash), card_issued.

    The hub reads it at every login; ``python -m grading hub accounts`` writes it (under a
    lock, replaced in one step, mode 0600).
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def read(self) -> dict[str, dict]:
        if not self.path.exists():
            return {}
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return data.get("accounts", {})

    @contextmanager
    def editing(self):
        """The accounts to change, written back when the block ends without an error."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = self.path.with_suffix(".lock")
        with open(lock, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            accounts = self.read()
            yield accounts
            tmp = self.path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"version": 1, "accounts": accounts}, out, indent=1, sort_keys=True)
            tmp.replace(self.path)

    def get(self, name: str) -> dict | None:
        return self.read().get(name)

    def card_matches(self, name: str, password: str) -> bool:
        """Whether ``password`` is the one-time password on ``name``'s newest card."""
        entry = self.get(name)
        if not entry or not entry.get("card") or not isinstance(password, str):
            return False
        return bcrypt.checkpw(password.encode(), entry["card"].encode())

    def names(self, role: str | None = None) -> list[str]:
        return sorted(n for n, e in self.read().items() if role in (None, e.get("role")))


def make_accounts(store: AccountStore, people: Iterable[Person], reset: Iterable[str] = (),
                  unix: UnixAccounts | None = None,
                  password=card_password) -> AccountsReport:
    """Make the accounts that do not exist yet, and a card for each; ``reset`` names people who
    get a new card. With ``unix``, each person's Unix user is made too (as root).

    A name already used by the other role is refused (a participant is never made a
    facilitator by a typing mistake)."""
    people = list(people)
    reset = set(reset)
    unknown = reset - {p.name for p in people} - set(store.read())
    if unknown:
        raise AccountError(f"cannot reset {', '.join(sorted(unknown))}: no such account")
    report = AccountsReport()
    with store.editing() as accounts:
        for person in people:
            entry = accounts.get(person.name)
            if entry and entry["role"] != person.role:
                raise AccountError(f"{person.name} already has a {entry['role']} account; "
                                   f"it cannot also be a {person.role}")
        for person in people:
            if unix is not None:
                unix.ensure(person)
            entry = accounts.get(person.name)
            if entry is None or person.name in reset:
                secret = password()
                accounts[person.name] = {
                    **(entry or {"created": _now()}), "role": person.role,
                    "sees_names": person.sees_names,
                    "card": bcrypt.hashpw(secret.encode(), bcrypt.gensalt(BCRYPT_ROUNDS)).decode(),
                    "card_issued": _now()}
                report.cards.append(Card(person.name, person.role, person.display, secret))
            else:
                if entry.get("sees_names") != person.sees_names:
                    entry["sees_names"] = person.sees_names
                    report.changed.append(f"{person.name} (sees names: "
                                          f"{'yes' if person.sees_names else 'no'})")
                report.kept.append(person.name)
        for name in reset - {p.name for p in people}:
            entry = accounts[name]
            secret = password()
            entry.update(card=bcrypt.hashpw(secret.encode(), bcrypt.gensalt(BCRYPT_ROUNDS)).decode(),
                         card_issued=_now())
            report.cards.append(Card(name, entry["role"], "", secret))
    report.cards.sort(key=lambda c: c.name)
    report.kept.sort()
    return report


# --- Unix users ---------------------------------------------------------------------------


@dataclass
class UnixAccounts:
    """Unix users for hub accounts, made with ``useradd`` as The Littlest JupyterHub does.

    Each gets a private home folder (mode 0700) under ``home_root``; facilitators also join
    ``facilitators_group`` (:data:`FACILITATORS_GROUP` unless told). An existing user is used only if this module made it (its
    comment field holds :data:`UNIX_MARK`)."""

    home_root: Path = Path("/home")
    shell: str = "/bin/bash"
    facilitators_group: str = FACILITATORS_GROUP

    def __post_init__(self):
        self.home_root = Path(self.home_root)
        if os.geteuid() != 0:
            raise AccountError("making Unix users needs root: run the command with sudo")

    def ensure_group(self, group: str) -> None:
        try:
            grp.getgrnam(group)
        except KeyError:
            _run(["groupadd", "--system", group])

    def ensure(self, person: Person) -> pwd.struct_passwd:
        """The person's Unix user, made if missing."""
        try:
            entry = pwd.getpwnam(person.name)
        except KeyError:
            self.home_root.mkdir(parents=True, exist_ok=True)
            _run(["useradd", "--create-home", "--home-dir", str(self.home_root / person.name),
                  "--shell", self.shell, "--comment", f"{UNIX_MARK} {person.role}",
                  "--user-group", person.name])
            entry = pwd.getpwnam(person.name)
        else:
            if UNIX_MARK not in (entry.pw_gecos or ""):
                raise AccountError(
                    f"{person.name}: a Unix user of that name already exists and was not made "
                    "for the hub; give this person another id")
        os.chmod(entry.pw_dir, 0o700)  # nobody else reads her files
        if person.role == "facilitator":
            self.ensure_group(self.facilitators_group)
            members = grp.getgrnam(self.facilitators_group).gr_mem
            if person.name not in members:
                _run(["usermod", "--append", "--groups", self.facilitators_group, person.name])
        return entry

    def service_user(self, name: str, groups: Iterable[str] = ()) -> pwd.struct_passwd:
        """A system user for a hub service (no login, no password), made if missing."""
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            _run(["useradd", "--system", "--create-home", "--home-dir",
                  str(self.home_root / name), "--shell", "/usr/sbin/nologin", "--comment",
                  f"{UNIX_MARK} service", "--user-group", name])
            entry = pwd.getpwnam(name)
        else:
            if UNIX_MARK not in (entry.pw_gecos or ""):
                raise AccountError(f"{name}: a Unix user of that name already exists and was "
                                   "not made for the hub")
        for group in groups:
            self.ensure_group(group)
            if name not in grp.getgrnam(group).gr_mem:
                _run(["usermod", "--append", "--groups", group, name])
        return entry

    @staticmethod
    def remove(name: str) -> None:
        """Remove a Unix user this module made, with its home folder (tests, a mistake)."""
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            return
        if UNIX_MARK not in (entry.pw_gecos or ""):
            raise AccountError(f"{name} was not made for the hub; not removed")
        subprocess.run(["pkill", "-KILL", "-u", name], check=False)
        _run(["userdel", "--remove", name], ok=(0, 12))  # 12: home folder already gone


def _run(command: list[str], ok=(0,)) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode not in ok:
        raise AccountError(f"{' '.join(command[:2])} failed: {result.stderr.strip()}")
