"""Limits on what a participant's notebook can do to the grader: the sandbox, time, output.

:class:`LimitedExecute` is nbgrader's ``Execute`` step with three additions:

- ``sandbox``: each kernel is started inside bubblewrap by
  :class:`grading.sandbox.SandboxKernelManager` (its own folder only, no network, limits);
- ``notebook_timeout``: a cap on the whole notebook beside nbgrader's per-cell ``timeout``.
  Forty cells that each sleep just under the cell limit would otherwise hold a worker for
  many minutes; once the notebook's time is used up, the cell running is stopped and the
  cells after it are not run: each gets an error (:data:`NOTEBOOK_TIMEOUT_ENAME`), so a test
  cell that did not run earns nothing;
- ``max_output_chars``: a cap on output, below.

nbgrader's ``LimitOutput`` keeps at most ``max_lines`` lines of each cell's stream output,
but only after the whole notebook has run, and a single line can be any length: a cell that
prints ``"x" * 10**9`` would fill the grader's memory and the graded notebook. ``LimitedExecute``
is nbgrader's ``Execute`` with a cap on the characters of output each cell may keep, applied
to each output message as it arrives. The first output over the cap is replaced by one line
that says so (:data:`TRUNCATED`), so the batch can record "output too large".

The course configuration (``nbgrader_config.py``, written by :meth:`grading.Course.create`)
puts it in nbgrader's autograde steps in place of ``Execute``::

    c.Autograde.autograde_preprocessors = grading.limits.autograde_preprocessors()

>>> [p.__name__ for p in autograde_preprocessors()][:2]
['LimitedExecute', 'IgnorePattern']
>>> output_size({"output_type": "stream", "name": "stdout", "text": "hello\\n"})
6
"""

from __future__ import annotations

import time

from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

#: The line that replaces output over the limit (also how the batch recognises it).
TRUNCATED = "... Output truncated by Homeward: more than {limit} characters ..."
TRUNCATED_PREFIX = "... Output truncated by Homeward"
#: nbgrader's own marker (``LimitOutput``) when a cell printed more than ``max_lines`` lines.
NBGRADER_TRUNCATED = "... Output truncated ..."
#: nbgrader's error name when a cell ran longer than ``Execute.timeout``.
TIMEOUT_ENAME = "CellTimeoutError"
#: The error a cell gets when the whole notebook's time was used up before it ran.
NOTEBOOK_TIMEOUT_ENAME = "NotebookTimeoutError"


def output_size(output) -> int:
    """Characters in one notebook output (stream text, error traceback, or rich data)."""
    kind = output.get("output_type")
    if kind == "stream":
        return len(output.get("text", ""))
    if kind == "error":
        return sum(len(line) for line in output.get("traceback", []))
    data = output.get("data", {}) or {}
    return sum(len(v) if isinstance(v, str) else len(str(v)) for v in data.values())


class LimitedExecute(Execute):
    """nbgrader's ``Execute`` with a sandboxed kernel, a time cap on the whole notebook, and
    at most ``max_output_chars`` characters of output per cell (the rest is dropped as it
    arrives, so memory stays small too)."""

    max_output_chars = Integer(
        100_000,
        help="Most characters of output a cell keeps (-1: no limit). Output over the limit "
             "is replaced by one line saying it was cut.",
    ).tag(config=True)

    notebook_timeout = Integer(
        -1,
        help="Seconds the whole notebook may run, from its first cell (-1: no cap). Cells "
             "that had no time left are not run and get an error.",
    ).tag(config=True)

    sandbox = Bool(
        False,
        help="Start each kernel inside bubblewrap (grading.sandbox.SandboxKernelManager).",
    ).tag(config=True)

    def create_kernel_manager(self):
        if self.sandbox:
            from grading.sandbox import SandboxKernelManager

            self.kernel_manager_class = SandboxKernelManager
        return super().create_kernel_manager()

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = None
        return super().preprocess(nb, resources, km)

    def _get_timeout(self, cell):
        timeout = super()._get_timeout(cell)
        deadline = getattr(self, "_deadline", None)
        if deadline is None:
            return timeout
        left = max(1, int(deadline - time.monotonic() + 0.999))
        return left if timeout is None else min(timeout, left)

    def preprocess_cell(self, cell, resources, index):
        self._output_used = 0
        self._output_cut = False
        if getattr(self, "_deadline", None) is None:
            self._deadline = (time.monotonic() + self.notebook_timeout
                              if self.notebook_timeout > 0 else None)
            seal = getattr(self.km, "seal", None)
            if seal is not None:  # the sandboxed kernel is running: close its socket folder
                seal()
        if (cell.cell_type == "code" and self._deadline is not None
                and time.monotonic() >= self._deadline):
            cell.outputs = [NotebookNode(
                output_type="error", ename=NOTEBOOK_TIMEOUT_ENAME,
                evalue=f"not run: the whole notebook took longer than {self.notebook_timeout} s",
                traceback=[f"{NOTEBOOK_TIMEOUT_ENAME}: not run: the whole notebook took longer "
                           f"than {self.notebook_timeout} s"])]
            cell.execution_count = None
            return cell, resources
        return super().preprocess_cell(cell, resources, index)

    def output(self, outs, msg, display_id, cell_index):
        out = super().output(outs, msg, display_id, cell_index)
        if out is None or self.max_output_chars < 0:
            return out
        size = output_size(out)
        used = getattr(self, "_output_used", 0)
        cut = getattr(self, "_output_cut", False)
        if not cut and used + size <= self.max_output_chars:
            self._output_used = used + size
            return out
        # over the limit: drop this output and all that follow; one line says so
        if outs and outs[-1] is out:
            outs.pop()
            if display_id:  # nbclient noted where this display lives: forget it
                indices = self._display_id_map.get(display_id, {}).get(cell_index, [])
                if len(outs) in indices:
                    indices.remove(len(outs))
        if not cut:
            self._output_cut = True
            outs.append(NotebookNode(output_type="stream", name="stderr",
                                     text=TRUNCATED.format(limit=self.max_output_chars) + "\n"))
        return None


    def _update_display_id(self, display_id, msg):
        """An update of a display (``display(..., display_id=...)``) larger than the limit
        is ignored: the display keeps what it showed."""
        data = (msg.get("content") or {}).get("data") or {}
        size = sum(len(v) if isinstance(v, str) else len(str(v)) for v in data.values())
        if 0 <= self.max_output_chars < size:
            return
        super()._update_display_id(display_id, msg)


def autograde_preprocessors() -> list:
    """nbgrader's autograde steps with :class:`LimitedExecute` in place of ``Execute``."""
    from nbgrader.converters.autograde import Autograde

    default = Autograde.class_traits()["autograde_preprocessors"].default()
    return [LimitedExecute if step is Execute else step for step in default]
