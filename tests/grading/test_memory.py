"""The grading batch and the memory it may use: the limit read from the control group the
batch runs in (cgroup v2 and v1, a parent's smaller limit, no limit), the workers that fit,
and a real batch that grades with fewer workers than asked for when they do not fit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import grading.memory as memory
from grading import Course
from grading.memory import (
    RESERVE_MB,
    WORKER_MB,
    cgroup_memory_limit,
    plan_workers,
    worker_mb,
    workers_that_fit,
)
from tests.grading.conftest import MODEL_ANSWER, answered

MB, GB = 2**20, 2**30


def v2_tree(root: Path, limits: dict[str, str]) -> Path:
    """A cgroup v2 file system under ``root``: ``{"homeward/ana": "4294967296", ...}``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "cgroup.controllers").write_text("cpu memory pids\n")
    for group, value in limits.items():
        (root / group).mkdir(parents=True, exist_ok=True)
        (root / group / "memory.max").write_text(value + "\n")
    return root


def own(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "proc-self-cgroup"
    path.write_text(text)
    return path


class TestCgroupMemoryLimit:
    def test_v2_her_own_group(self, tmp_path):
        fs = v2_tree(tmp_path / "fs", {"homeward": "max", "homeward/ana": str(4 * GB)})
        assert cgroup_memory_limit(own(tmp_path, "0::/homeward/ana\n"), fs) == 4 * GB

    def test_v2_a_parent_with_a_smaller_limit_wins(self, tmp_path):
        fs = v2_tree(tmp_path / "fs", {"homeward": str(2 * GB), "homeward/ana": str(4 * GB)})
        assert cgroup_memory_limit(own(tmp_path, "0::/homeward/ana\n"), fs) == 2 * GB

    def test_v2_no_limit_anywhere(self, tmp_path):
        fs = v2_tree(tmp_path / "fs", {"user.slice": "max"})
        assert cgroup_memory_limit(own(tmp_path, "0::/user.slice\n"), fs) is None

    def test_v2_container_with_its_own_namespace(self, tmp_path):
        fs = v2_tree(tmp_path / "fs", {})
        (fs / "memory.max").write_text(str(3 * GB))  # the pod's limit, seen at its root
        assert cgroup_memory_limit(own(tmp_path, "0::/\n"), fs) == 3 * GB

    def test_v1_memory_hierarchy(self, tmp_path):
        fs = tmp_path / "fs"
        group = fs / "memory" / "process_api" / "ab" / "homeward" / "ana"
        group.mkdir(parents=True)
        (fs / "memory" / "memory.limit_in_bytes").write_text("9223372036854771712\n")
        (fs / "memory" / "process_api" / "memory.limit_in_bytes").write_text(
            "9223372036854771712\n")
        (group / "memory.limit_in_bytes").write_text(f"{3 * GB}\n")
        text = "9:name=systemd:/\n8:pids:/process_api/ab\n4:memory:/process_api/ab/homeward/ana\n0::/\n"
        assert cgroup_memory_limit(own(tmp_path, text), fs) == 3 * GB

    def test_v1_unlimited(self, tmp_path):
        fs = tmp_path / "fs"
        (fs / "memory" / "x").mkdir(parents=True)
        (fs / "memory" / "x" / "memory.limit_in_bytes").write_text("9223372036854771712\n")
        assert cgroup_memory_limit(own(tmp_path, "4:memory:/x\n"), fs) is None

    def test_unreadable(self, tmp_path):
        assert cgroup_memory_limit(tmp_path / "missing", tmp_path) is None
        assert cgroup_memory_limit(own(tmp_path, "garbage\n"), tmp_path) is None

    def test_this_machine_answers_without_error(self):
        limit = cgroup_memory_limit()
        assert limit is None or limit > 0


class TestWorkersThatFit:
    def test_exactly_at_the_limit(self):
        need = worker_mb(1024, 192)
        limit = (RESERVE_MB + 2 * need) * MB
        assert workers_that_fit(4, limit, 1024, 192) == 2
        assert workers_that_fit(4, limit - MB, 1024, 192) == 1

    def test_never_more_than_wanted(self):
        assert workers_that_fit(2, 64 * GB, 1024, 192) == 2

    def test_never_fewer_than_one(self):
        assert workers_that_fit(2, 256 * MB, 1024, 192) == 1

    def test_no_limit_keeps_what_was_asked(self):
        assert workers_that_fit(3, None, 1024) == 3

    def test_the_worker_itself_counts(self):
        assert worker_mb(1024) == 1024 + WORKER_MB


class TestPlan:
    def test_no_line_about_memory_when_they_fit(self):
        plan = plan_workers(2, 1024, 192, limit=4 * GB)
        assert (plan.workers, plan.note) == (2, "")
        assert plan.line == "Grading with 2 workers (this server may use 4.0 GB of memory)."

    def test_lowered_says_so_in_one_line(self):
        plan = plan_workers(2, 1024, 192, limit=3 * GB)
        assert plan.workers == 1 and "\n" not in plan.note
        assert plan.line.startswith("Grading with 1 worker, not 2: this server may use 3.0 GB")

    def test_not_even_one_fits(self):
        plan = plan_workers(2, 1024, 192, limit=GB)
        assert plan.workers == 1 and "--facilitator-memory" in plan.note

    def test_the_limit_is_read_when_not_given(self, monkeypatch):
        monkeypatch.setattr(memory, "cgroup_memory_limit", lambda: 2 * GB)
        assert plan_workers(4, 512, 0).workers == 2  # (2048 - 512) // (512 + 160)
        assert plan_workers(4, 256, 0).workers == 3  # (2048 - 512) // (256 + 160)


@pytest.mark.slow
def test_a_batch_grades_with_the_workers_that_fit(tmp_path, tiny_exercises, monkeypatch):
    course = Course.create(tmp_path / "course", timeout=10, exercises=tiny_exercises,
                           memory_mb=512)
    (tmp_path / "people.csv").write_text("id\nP01\nP02\n")
    course.add_participants(tmp_path / "people.csv")
    course.generate(["tiny"])
    release = course.root / "release" / "tiny" / "tiny.ipynb"
    for pid in ("P01", "P02"):
        course.submit_file(pid, "tiny", answered(release, MODEL_ANSWER, tmp_path / f"{pid}.ipynb"))
    # her server may use 1.5 GB: one worker (512 MB sandbox, 192 MB folders, 160 MB worker)
    # beside the 512 MB reserve, not two
    monkeypatch.setattr(memory, "cgroup_memory_limit", lambda: 1536 * MB)
    lines = []
    result = course.autograde(["tiny"], workers=2, progress=False, log=lines.append)
    assert lines == [result.workers_note] and result.workers == 1
    assert lines[0].startswith("Grading with 1 worker, not 2: this server may use 1.5 GB")
    assert [o.status for o in result.outcomes] == ["graded", "graded"]
    summary = json.loads(result.summary_path.read_text())
    assert summary["workers"] == 1 and summary["workers_note"] == lines[0]
