"""The workshop hub under a room's load: N participants log in at once (N = 1 as the comparison,
then 10, 30, 60), each starts her server, opens a lesson, opens the savings simulator and
changes one value, then hands in an assignment.

A real hub (``python -m grading hub start``, JupyterHub behind configurable-http-proxy) on
127.0.0.1 with its participants as Unix users, made by the facilitator's own commands
(tests/hub/workshop.py). Each participant is a thread doing over HTTP and the kernel websocket
what her browser does: the login form, her server's start, the lesson's page (rendered once
when the hub started, so no kernel runs for it: ``hub start --prerender``; counted in
``_lessons_read_without_kernel``), the savings app's Voila page (its kernel ready in her
server's pool: ``--preheat``), the widgets' state (``request_states``), one
amount changed in a text box (``update``) until the kernel sends the new results back, then
fetch and submit through her server's nbgrader endpoints. Drawing the page is the phone's work
and is not measured; everything the machine does for her is.

Printed, per N: ``hub_N<n>_login_to_simulator_p50`` / ``_p95`` (seconds from the login form to
the simulator's answer to her change), ``_errors``, ``_hub_peak_memory`` (the hub and its
proxy), ``_machine_peak_memory`` (all used memory, other programs included) and its rise over
the start of the round, ``_memory_per_participant`` (her server and kernels, resident). Also the
public simulators' memory per visitor. Targets for N = 30: zero errors, p95 <= 10 s, peak
memory <= 12 GB. The machine's load is printed: other programs share it.

Bounded: at most 60 participants, each round at most 15 minutes, 127.0.0.1 only; a round that
would leave the machine less than 2 GB stops the larger rounds.

Run as root: ``sudo .venv/bin/python benchmarks/bench_hub.py [--sizes 1,10,30,60]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hub.hubclient import TIMEOUT, HubClient  # noqa: E402
from tests.hub.workshop import Workshop, child_kernels  # noqa: E402

ASSIGNMENT = "ee01_money_cycle"
LESSON = "lessons/economic_empowerment/03-saving.ipynb"
SAVINGS = "apps/savings.ipynb"
ROUND_LIMIT = 900
MIN_FREE = 2 * 2**30


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def meminfo() -> tuple[int, int]:
    """(used, available) bytes on the machine."""
    fields = dict(line.split(":") for line in Path("/proc/meminfo").read_text().splitlines())
    total = int(fields["MemTotal"].split()[0]) * 1024
    available = int(fields["MemAvailable"].split()[0]) * 1024
    return total - available, available


def rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def processes_of(uids: set[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                uid = entry.stat().st_uid
            except OSError:
                continue
            if uid in uids:
                out.setdefault(uid, []).append(int(entry.name))
    return out


class Sampler(threading.Thread):
    """Peak memory of the machine, of the hub and its proxy, and of each participant."""

    def __init__(self, hub_pids: list[int], uids: set[int]):
        super().__init__(daemon=True)
        self.hub_pids, self.uids = hub_pids, uids
        self.machine = self.hub = 0
        self.people: dict[int, int] = {}
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            used, _available = meminfo()
            self.machine = max(self.machine, used)
            self.hub = max(self.hub, sum(rss(p) for p in self.hub_pids))
            for uid, pids in processes_of(self.uids).items():
                self.people[uid] = max(self.people.get(uid, 0), sum(rss(p) for p in pids))
            self.stop.wait(0.5)


def voila_kernel(client: HubClient, notebook: str, rendered_ok: bool = False) -> str | None:
    """Open a Voila page in her server as a browser does (the whole page: her kernel has run
    the notebook); return its kernel id. ``rendered_ok``: a lesson's page rendered at the hub's
    start (``--prerender``) has no kernel (None)."""
    page = client.session.get(client.server(f"voila/render/{notebook}"), timeout=TIMEOUT)
    page.raise_for_status()
    found = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page.text)
    if found:
        return found.group(1)
    if rendered_ok and 'id="hw-widget-state"' in page.text:
        return None
    raise RuntimeError(f"{notebook}: no kernel in the page")


def decode(raw) -> dict:
    """A kernel websocket message: JSON text, or (with binary buffers, e.g. a chart's arrays)
    Jupyter Server's binary frame: the number of parts, their offsets, then the JSON."""
    if isinstance(raw, str):
        return json.loads(raw)
    import struct

    count = struct.unpack("!I", raw[:4])[0]
    offsets = struct.unpack(f"!{count}I", raw[4:4 + 4 * count])
    end = offsets[1] if count > 1 else len(raw)
    return json.loads(raw[offsets[0]:end].decode("utf-8"))


def change_one_value(client: HubClient, kernel_id: str) -> None:
    """What the page's widget manager does: ask the kernel for the widgets' state, type a new
    amount into the first money box, wait until the kernel sends new results back."""
    import websocket

    url = client.server(f"api/kernels/{kernel_id}/channels").replace("http://", "ws://", 1)
    ws = websocket.create_connection(url, header=[f"Authorization: token {client.token}"],
                                     timeout=TIMEOUT)
    session = uuid.uuid4().hex

    from ipywidgets._version import __control_protocol_version__

    def send(msg_type: str, content: dict, metadata: dict | None = None) -> str:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({"header": {"msg_id": msg_id, "username": client.name,
                                       "session": session, "msg_type": msg_type,
                                       "version": "5.3", "date": ""},
                            "parent_header": {}, "metadata": metadata or {},
                            "content": content, "channel": "shell", "buffers": []}))
        return msg_id

    def done(msg_id: str) -> None:
        """Wait until the kernel has handled the message ``msg_id`` (its idle status)."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            message = decode(ws.recv())
            if (message.get("msg_type") == "status"
                    and message.get("parent_header", {}).get("msg_id") == msg_id
                    and message["content"]["execution_state"] == "idle"):
                return
        raise TimeoutError("the kernel did not handle the message")

    def receive(match, limit: float = TIMEOUT) -> dict:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            message = decode(ws.recv())
            kind = message.get("msg_type")
            if kind == "comm_msg" and match(message["content"]):
                return message["content"]
            if kind == "comm_close" or (kind == "stream"
                                        and message["content"].get("name") == "stderr"):
                raise RuntimeError(f"the kernel refused: {str(message['content'])[:300]}")
        raise TimeoutError("the kernel did not answer")

    try:
        control = uuid.uuid4().hex
        done(send("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control",
                                "data": {}}, {"version": __control_protocol_version__}))
        send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
        states = receive(lambda c: c["comm_id"] == control
                         and c["data"].get("method") == "update_states")["data"]["states"]
        boxes = [model for model, s in states.items() if s["model_name"] == "TextModel"
                 and re.fullmatch(r"[\d,.\s]+", str(s["state"].get("value", "")).strip() or "x")]
        if not boxes:
            raise RuntimeError("no amount box in the simulator")
        box = boxes[0]
        old = str(states[box]["state"]["value"])
        new = "1,234" if old.replace(",", "").strip() != "1234" else "2,345"
        send("comm_msg", {"comm_id": box, "data": {"method": "update",
                                                   "state": {"value": new},
                                                   "buffer_paths": []}})
        receive(lambda c: c["comm_id"] != box and c["data"].get("method") == "update")
    finally:
        ws.close()


def participant(hub: Workshop, name: str, password: str, start: threading.Barrier,
                results: dict) -> None:
    client = HubClient(hub.url, name)
    start.wait()
    began = time.monotonic()
    try:
        answer = client.login(password)
        if answer.status_code != 302:
            raise RuntimeError(f"login answered {answer.status_code}")
        client.get_token()
        client.ensure_server(timeout=ROUND_LIMIT)
        lesson = voila_kernel(client, LESSON, rendered_ok=True)
        kernel = voila_kernel(client, SAVINGS)
        change_one_value(client, kernel)
        results[name] = {"usable": time.monotonic() - began, "lesson_rendered": lesson is None}
        for step in ("fetch", "submit"):
            answer = client.post(f"assignments/{step}", data={"course_id": hub.course_id,
                                                              "assignment_id": ASSIGNMENT})
            if not answer.json().get("success") or (step == "fetch" and "fetched" not in [
                    a.get("status") for a in answer.json().get("value", [])]):
                raise RuntimeError(f"{step}: {json.loads(answer.text).get('value', answer.text)[-1500:]}")
        for kernel_id in filter(None, (lesson, kernel)):  # the pages are closed (as Voila's do)
            client.session.post(client.server(f"voila/api/shutdown/{kernel_id}"),
                                headers={"X-XSRFToken": client.session.cookies.get(
                                    "_xsrf", path=f"/user/{name}/") or ""}, timeout=30)
    except Exception as err:  # an error is a figure too
        results[name] = {**results.get(name, {}), "error": f"{type(err).__name__}: {err}"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def stop_servers(hub: Workshop, clients: dict[str, HubClient]) -> None:
    for client in clients.values():
        requests.delete(f"{hub.url}/hub/api/users/{client.name}/server",
                        headers=client.headers, timeout=TIMEOUT)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if not any(c.user_model()["servers"] for c in clients.values()):
            return
        time.sleep(1)


def hub_round(hub: Workshop, clients: dict[str, HubClient], size: int) -> dict[str, float]:
    import pwd

    names = hub.people[:size]
    uids = {pwd.getpwnam(n).pw_uid for n in names}
    hub_pids = [p for p in hub.processes()
                if b"jupyterhub" in Path(f"/proc/{p}/cmdline").read_bytes()
                or b"configurable-http-proxy" in Path(f"/proc/{p}/cmdline").read_bytes()]
    before, _ = meminfo()
    sampler = Sampler(hub_pids, uids)
    sampler.start()
    results: dict[str, dict] = {}
    start = threading.Barrier(size)
    threads = [threading.Thread(target=participant, args=(hub, n, PASSWORD, start, results),
                                daemon=True) for n in names]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + ROUND_LIMIT
    for thread in threads:
        thread.join(max(1.0, deadline - time.monotonic()))
    sampler.stop.set()
    sampler.join()
    times = [r["usable"] for r in results.values() if "usable" in r]
    errors = [f"{n}: {r['error']}" for n, r in results.items() if "error" in r]
    errors += [f"{n}: did not finish in {ROUND_LIMIT} s" for n in names if n not in results]
    for line in errors[:5]:  # the first ones, whole
        note(f"N={size} error {line}")
    people = list(sampler.people.values())
    return {"p50": statistics.median(times) if times else float("nan"),
            "p95": percentile(times, 0.95) if times else float("nan"),
            "errors": len(errors), "hub_peak": sampler.hub / 2**20,
            "lessons_rendered": sum(1 for r in results.values() if r.get("lesson_rendered")),
            "machine_peak": sampler.machine / 2**30, "machine_rise": (sampler.machine - before)
            / 2**30, "per_participant": statistics.mean(people) / 2**20 if people else 0.0}


PASSWORD = "bench-garden-2026"


def release_as_facilitator(hub: Workshop) -> None:
    """The facilitator generates and releases the assignment in her own server, as her Unix
    user (as in the workshop: a release made by root is not one participants can fetch)."""
    mentor = HubClient(hub.url, hub.mentors[0])
    mentor.first_login(hub.cards[mentor.name], PASSWORD)
    mentor.ensure_server()
    kernel = mentor.kernel()
    try:
        out = kernel.run(
            "import subprocess\n"
            f"for step in ('generate', 'release'):\n"
            f"    r = subprocess.run(['python', '-m', 'grading', step, {ASSIGNMENT!r},"
            f" '--course', {str(hub.course)!r}], capture_output=True, text=True)\n"
            "    print(step, r.returncode, r.stderr[-500:])\n")
    finally:
        kernel.close()
    if "generate 0" not in out or "release 0" not in out:
        raise RuntimeError(f"the facilitator could not release {ASSIGNMENT}: {out}")
    requests.delete(f"{hub.url}/hub/api/users/{mentor.name}/server", headers=mentor.headers,
                    timeout=TIMEOUT)


def public_round(visitors: int = 10) -> float:
    """The public simulators: memory per visitor (her kernel, resident), ``visitors`` at once."""
    from tests.conftest import free_port, wait_for_http

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "widgets.serve", "--public",
                                f"--port={port}", "--max-kernels=30",
                                "--kernels-per-visitor=2"], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/", process=process)
        time.sleep(5)  # the pre-heated kernels settle

        idle = sum(rss(p) for p in child_kernels(process.pid))
        threads = [threading.Thread(target=lambda: requests.get(
            base + "/voila/render/savings.ipynb", timeout=300)) for _ in range(visitors)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        time.sleep(5)
        busy = sum(rss(p) for p in child_kernels(process.pid))
        return (busy - idle) / visitors / 2**20
    finally:
        process.terminate()
        process.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,30,60")
    parser.add_argument("--no-public", action="store_true")
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s})
    if os.geteuid() != 0:
        print("hub_benchmark_needs_root: 1 flag")
        return 0
    print(f"machine_load_1min_before: {os.getloadavg()[0]:.1f} load")
    hub = Workshop(participants=max(sizes), facilitators=1, start_options=[
        "--memory", "1G", "--services", "", "--cull-servers-after", "7200",
        "--activity-interval", "60"])
    with hub:
        release_as_facilitator(hub)
        clients = {}
        for name in hub.people:  # first logins (card, own password), not measured
            client = HubClient(hub.url, name)
            client.first_login(hub.cards[name], PASSWORD)
            clients[name] = client
        for size in sizes:
            _used, available = meminfo()
            if available < MIN_FREE + size * 300 * 2**20:
                print(f"hub_N{size}_skipped_low_memory: {available / 2**30:.1f} GB")
                break
            note(f"round N={size}")
            stop_servers(hub, clients)
            figures = hub_round(hub, clients, size)
            print(f"hub_N{size}_login_to_simulator_p50: {figures['p50']:.2f} s")
            print(f"hub_N{size}_login_to_simulator_p95: {figures['p95']:.2f} s")
            print(f"hub_N{size}_errors: {figures['errors']} count")
            print(f"hub_N{size}_lessons_read_without_kernel: {figures['lessons_rendered']} count")
            print(f"hub_N{size}_hub_peak_memory: {figures['hub_peak']:.0f} MB")
            print(f"hub_N{size}_machine_peak_memory: {figures['machine_peak']:.1f} GB")
            print(f"hub_N{size}_machine_memory_rise: {figures['machine_rise']:.1f} GB")
            print(f"hub_N{size}_memory_per_participant: {figures['per_participant']:.0f} MB")
            print(f"hub_N{size}_machine_load_1min: {os.getloadavg()[0]:.1f} load", flush=True)
            if figures["errors"] > size // 2:
                break
        stop_servers(hub, clients)
    print("hub_N30_login_to_simulator_p95_target: 10.00 s")
    print("hub_N30_machine_peak_memory_target: 12.0 GB")
    if not args.no_public:
        print(f"public_memory_per_visitor: {public_round():.0f} MB")
    print(f"machine_load_1min_after: {os.getloadavg()[0]:.1f} load")
    return 0


if __name__ == "__main__":
    sys.exit(main())
