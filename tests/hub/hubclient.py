"""A small client of a running workshop hub for the tests and the benchmark: log in as a person
would (the login form), get her own API token, start her server, run code in a kernel of her
server (as her Unix user), call her server's nbgrader endpoints."""

from __future__ import annotations

import json
import time
import uuid

import requests

TIMEOUT = 180


class HubClient:
    """One person's session on the hub at ``base`` (``http://127.0.0.1:PORT``)."""

    def __init__(self, base: str, name: str):
        self.base, self.name = base.rstrip("/"), name
        self.session = requests.Session()
        self.token = ""

    # logging in -----------------------------------------------------------------------------
    def login(self, password: str) -> requests.Response:
        """Post the login form; returns the hub's answer (302 on success, not followed)."""
        self.session.get(f"{self.base}/hub/login", timeout=TIMEOUT)
        return self.session.post(f"{self.base}/hub/login", allow_redirects=False,
                                 timeout=TIMEOUT,
                                 data={"username": self.name, "password": password,
                                       "_xsrf": self.session.cookies.get("_xsrf", path="/hub/")})

    def choose_password(self, password: str) -> requests.Response:
        return self.session.post(f"{self.base}/hub/choose-password", allow_redirects=False,
                                 timeout=TIMEOUT,
                                 data={"new_password": password, "new_password_again": password,
                                       "_xsrf": self.session.cookies.get("_xsrf", path="/hub/")})

    def first_login(self, card: str, password: str) -> None:
        """Card, then her own password; then a token for the REST calls."""
        answer = self.login(card)
        assert answer.status_code == 302, answer.text[:500]
        assert answer.headers["location"].endswith("/hub/choose-password")
        assert self.choose_password(password).status_code == 302
        self.get_token()

    def get_token(self) -> str:
        answer = self.session.post(
            f"{self.base}/hub/api/users/{self.name}/tokens", timeout=TIMEOUT,
            headers={"X-XSRFToken": self.session.cookies.get("_xsrf", path="/hub/")},
            json={"note": "homeward test", "expires_in": 3600})
        answer.raise_for_status()
        self.token = answer.json()["token"]
        return self.token

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    # her server -----------------------------------------------------------------------------
    def user_model(self) -> dict:
        answer = requests.get(f"{self.base}/hub/api/users/{self.name}", headers=self.headers,
                              timeout=TIMEOUT)
        answer.raise_for_status()
        return answer.json()

    def server_ready(self) -> bool:
        return bool(self.user_model()["servers"].get("", {}).get("ready"))

    def ensure_server(self, timeout: float = TIMEOUT) -> float:
        """Start her server unless it runs; wait until it is ready; return the seconds taken."""
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            server = self.user_model()["servers"].get("")
            if server and server.get("ready"):
                return time.monotonic() - began
            if not server:  # not running, not starting, not stopping (e.g. culled): start it
                answer = requests.post(f"{self.base}/hub/api/users/{self.name}/server",
                                       headers=self.headers, timeout=TIMEOUT)
                assert answer.status_code in (201, 202, 400), answer.text
            time.sleep(0.5)
        raise TimeoutError(f"{self.name}'s server did not start within {timeout:.0f} s")

    def server(self, path: str) -> str:
        return f"{self.base}/user/{self.name}/{path.lstrip('/')}"

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.server(path), headers=self.headers, timeout=TIMEOUT, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return requests.post(self.server(path), headers=self.headers, timeout=TIMEOUT, **kwargs)

    def kernel(self) -> Kernel:
        return Kernel(self)


class Kernel:
    """A kernel in her server, driven through the server's REST API and websocket."""

    def __init__(self, client: HubClient):
        import websocket

        answer = client.post("api/kernels", json={"name": "python3"})
        answer.raise_for_status()
        self.id = answer.json()["id"]
        url = client.server(f"api/kernels/{self.id}/channels").replace("http://", "ws://", 1)
        self.ws = websocket.create_connection(url, header=[f"Authorization: token "
                                                           f"{client.token}"], timeout=300)

    def run(self, code: str) -> str:
        """Run ``code``; return what it printed, its result, and ``ERROR name: value``."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
        out = []
        while True:
            message = json.loads(self.ws.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind == "error":
                out.append(f"ERROR {content['ename']}: {content['evalue']}")
            elif kind == "execute_result":
                out.append(content["data"].get("text/plain", ""))
            elif kind == "status" and content["execution_state"] == "idle":
                return "".join(out)
            elif kind == "status" and content["execution_state"] == "dead":
                raise RuntimeError("the kernel died: " + "".join(out))

    def close(self) -> None:
        self.ws.close()


def card_passwords(pdf_path) -> dict[str, str]:
    """User name -> one-time password, read back from the printed cards (as a person reads
    them)."""
    import re

    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(pdf_path).pages)
    return dict(re.findall(r"User name\s*\n(\S+)\s*\nOne-time password\s*\n(\S+)", text))
