"""The hub's login: the one-time password on her card, then a password she chooses.

Why this design: JupyterHub's NativeAuthenticator keeps people's own passwords in the hub's
database (bcrypt), locks a name out after repeated wrong passwords and has a page to change a
password; what it lacks is a password handed out on paper that must be replaced at first login.
:class:`HomewardAuthenticator` adds exactly that on top of it:

- the accounts and their card passwords (hashes) are in ``accounts.json``
  (:class:`grading.hub.accounts.AccountStore`), written by ``python -m grading hub accounts``;
- while her newest card has not been replaced by a password she chose, only the card's
  password opens her account; the hub then sends her to "Choose your password" and starts no
  server for her until she has;
- once she has chosen, only her own password opens it (NativeAuthenticator's table), and the
  card is dead. A new card (``--reset``) makes the card the only key again.

Group membership (participants, facilitators, the nbgrader groups of the course, who may see
names) comes from ``accounts.json`` at every login (``manage_groups``), so accounts added
during the year need no restart.
"""

from __future__ import annotations

import datetime as dt

import bcrypt
from jupyterhub.handlers import BaseHandler
from jupyterhub.handlers.login import LoginHandler
from nativeauthenticator import NativeAuthenticator
from nativeauthenticator.orm import UserInfo
from tornado import web
from traitlets import Unicode, default

from grading.hub import accounts as _accounts
from grading.hub.accounts import AccountStore

#: The hub group of the facilitators who may see participants' names on the dashboard.
NAMES_GROUP = "see-names"


def card_active(entry: dict | None) -> bool:
    """Whether the card's one-time password is the key to this account: she has not chosen
    her own password since the card was issued.

    >>> card_active({"card": "h", "card_issued": "2026-12-01T10:00:00"})
    True
    >>> card_active({"card": "h", "card_issued": "2026-12-01T10:00:00",
    ...              "password_chosen": "2026-12-01T10:05:00"})
    False
    >>> card_active({"card": "h", "card_issued": "2026-12-09T08:00:00",
    ...              "password_chosen": "2026-12-01T10:05:00"})  # a new card after a reset
    True
    """
    if not entry or not entry.get("card"):
        return False
    return entry.get("card_issued", "") > entry.get("password_chosen", "")


def hub_groups(entry: dict, course_id: str) -> list[str]:
    """The hub groups of an account: its role's group and the course's nbgrader groups (the
    names nbgrader's JupyterHub setup expects: ``nbgrader-<course>`` for everyone who takes
    assignments, ``formgrade-<course>`` for graders).

    >>> hub_groups({"role": "participant"}, "homeward")
    ['nbgrader-homeward', 'participants']
    >>> hub_groups({"role": "facilitator", "sees_names": True}, "homeward")
    ['facilitators', 'formgrade-homeward', 'nbgrader-homeward', 'see-names']
    """
    groups = {f"nbgrader-{course_id}"}
    if entry.get("role") == "facilitator":
        groups |= {"facilitators", f"formgrade-{course_id}"}
        if entry.get("sees_names"):
            groups.add(NAMES_GROUP)
    else:
        groups.add("participants")
    return sorted(groups)


class HomewardAuthenticator(NativeAuthenticator):
    """NativeAuthenticator with Homeward's accounts and login cards (see the module)."""

    accounts_file = Unicode(help="accounts.json of the hub (grading.hub.accounts)").tag(
        config=True)
    course_id = Unicode("homeward", help="the nbgrader course id (for the groups)").tag(
        config=True)

    @default("enable_signup")
    def _no_signup(self):
        return False

    @default("minimum_password_length")
    def _minimum(self):
        return 8

    @default("check_common_password")
    def _common(self):
        return True

    @default("allowed_failed_logins")
    def _failed(self):
        return 5

    @default("seconds_before_next_try")
    def _wait(self):
        return 60

    @default("manage_groups")
    def _groups(self):
        return True

    @property
    def store(self) -> AccountStore:
        return AccountStore(self.accounts_file)

    # who may log in --------------------------------------------------------------------
    def check_allowed(self, username, authentication=None):
        return self.store.get(username) is not None

    async def authenticate(self, handler, data):
        name = self.normalize_username(data.get("username", ""))
        password = data.get("password", "")
        entry = self.store.get(name)
        if entry is None or (self.allowed_failed_logins and self.is_blocked(name)):
            return None
        if card_active(entry):
            ok = self.store.card_matches(name, password)
        else:
            info = self.get_user(name)
            ok = info is not None and info.is_valid_password(password)
        if not ok:
            self.add_login_attempt(name)
            return None
        self.successful_login(name)
        return {"name": name, "groups": hub_groups(entry, self.course_id)}

    def must_choose_password(self, name: str) -> bool:
        return card_active(self.store.get(name))

    async def pre_spawn_start(self, user, spawner):
        """No server for someone still on her card's password (the REST API included)."""
        if self.must_choose_password(user.name):
            raise web.HTTPError(403, "Choose your own password first: open the hub's "
                                     "'Choose your password' page.")

    # her own password -------------------------------------------------------------------
    def choose_password(self, name: str, password: str) -> str:
        """Set ``name``'s own password; returns "" or what is wrong with it, in plain words."""
        entry = self.store.get(name)
        if entry is None:
            return "There is no account with this name."
        if len(password) < self.minimum_password_length:
            return f"Use at least {self.minimum_password_length} letters or numbers."
        if not self.is_password_strong(password):
            return "This password is too common: choose another one."
        if self.store.card_matches(name, password):
            return "Choose a new password, not the one on your card."
        hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(_accounts.BCRYPT_ROUNDS))
        info = self.get_user(name)
        if info is None:
            self.db.add(UserInfo(username=name, password=hashed, is_authorized=True))
        else:
            info.password, info.is_authorized = hashed, True
        self.db.commit()
        with self.store.editing() as accounts:
            accounts[name]["password_chosen"] = dt.datetime.now(dt.UTC).isoformat(
                timespec="microseconds")
        return ""

    def get_handlers(self, app):
        handlers = dict(super().get_handlers(app))
        return [
            (r"/login", CardLoginHandler),
            (r"/choose-password", ChoosePasswordHandler),
            (r"/change-password", handlers[r"/change-password"]),
            (r"/change-password/([^/]+)", handlers[r"/change-password/([^/]+)"]),
        ]


class CardLoginHandler(LoginHandler):
    """JupyterHub's login page (Homeward's ``login.html`` words it plainly); after a card's
    password, on to "Choose your password"."""

    async def post(self):
        data = {arg: self.get_argument(arg, strip=False) for arg in self.request.arguments}
        user = await self.login_user(data)
        if user is None:
            html = await self._render(
                login_error="The user name or password is not right. Check your card, or ask "
                            "your facilitator.", username=data.get("username", ""))
            self.set_status(403)
            self.finish(html)
            return
        self._jupyterhub_user = user
        if self.authenticator.must_choose_password(user.name):
            self.redirect(self.hub.base_url + "choose-password")
        else:
            self.redirect(self.get_next_url(user))


class ChoosePasswordHandler(BaseHandler):
    """"Choose your password": the page after the first login with a card."""

    @web.authenticated
    async def get(self):
        await self._page()

    @web.authenticated
    async def post(self):
        user = self.current_user
        new = self.get_body_argument("new_password", "", strip=False)
        again = self.get_body_argument("new_password_again", "", strip=False)
        problem = "The two passwords are not the same." if new != again else (
            self.authenticator.choose_password(user.name, new))
        if problem:
            self.set_status(400)
            await self._page(problem)
            return
        self.redirect(self.get_next_url(user))

    async def _page(self, problem: str = ""):
        user = self.current_user
        html = await self.render_template(
            "choose-password.html", user_name=user.name, problem=problem,
            first=self.authenticator.must_choose_password(user.name),
            minimum=self.authenticator.minimum_password_length,
            post_url=self.hub.base_url + "choose-password")
        self.finish(html)
