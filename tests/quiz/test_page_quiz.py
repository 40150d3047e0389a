"""A quiz on a pre-rendered lesson page answers without a kernel: the page script
(``widgets/page/frontend/quiz.mjs``) must give the answer the kernel's quiz would give.

Each typed answer below goes through the Python quiz (``widgets.quiz.view.quiz``: the block it
shows, or its message next to the box) and through the page script in Node, with the data
``page_answers`` writes into the page; the two must show the same thing. The cases are the
ones ``widgets.money.parse_amount`` and ``widgets.quiz.model`` document (grouping, the other
country's separators, currency signs, percentages, mistakes, "close", errors), in English,
Filipino and Bahasa Indonesia. The numbers are illustrative.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from widgets.quiz import Choice, NumberQuestion, quiz
from widgets.quiz.view import page_answers

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "widgets" / "page" / "frontend" / "quiz.mjs"

QUESTIONS = {
    "money": NumberQuestion("What did sending cost?", 475, unit="PHP", digits=0,
                            explanation="250 + 225 = 475.",
                            mistakes=((250, "Only the fee."), (225, "Only the margin."))),
    "cents": NumberQuestion("Monthly payment?", 2683.33, unit="PHP"),
    "rupiah": NumberQuestion("Berapa?", 1_250_000, unit="IDR", digits=0),
    "rupees": NumberQuestion("How much a month?", 20_000, unit="NPR", digits=0,
                             mistakes=((2_880_000, "Divide, do not multiply."),)),
    "share": NumberQuestion("What share?", 3.17, unit="%", tolerance=0.01),
    "months": NumberQuestion("How many months?", 7, digits=0, tolerance=0),
}
TYPED = [
    "475", "₱475", "₱ 475.00", "PHP 475", "php475", "475,00", "475.004", "475.4", "476", "250",
    "225.00", "$475", "Rp 475", "4.75e2", "4,75e2", "-475", "\u2212475", "+475", "--475", "",
    "   ", "abc", "47 5", "1e30", "0,475", "2,683.33", "2.683,33", "2683.33", "2,683.3", "2683",
    "1,250,000", "1.250.000", "Rp 1.250.000", "1 250 000", "1,25,0000", "1.250.000,00",
    "20,000", "20.000", "NPR 20,000", "Rs. 20000", "रू 20000", "2,880,000", "3.17", "3,17",
    "3.17 %", "3.17%", "3.2", "3,2", "7", "7.0", "7,0", "6", "07", ".5", "5.", "1,234.",
    "1,2345", "12,345.678", "٣", "1_000", "1e3", "1E+3", "US$ 475", "479.75", "470.25",
]


def _python_shows(box, typed: str) -> str:
    """What the kernel's quiz ``box`` shows after she types ``typed`` and presses the button."""
    box.feedback.value = box.error.value = ""
    box.answer.value = typed
    box.button.click()
    return box.error.value or box.feedback.value


def _script_shows(cases: list[dict]) -> list[str]:
    node = shutil.which("node")
    assert node, "Node.js is needed (make install builds the page script with it)"
    program = (f"import {{ numberAnswer }} from {json.dumps(SCRIPT.as_uri())};\n"
               "let text = ''; process.stdin.on('data', (d) => { text += d; });\n"
               "process.stdin.on('end', () => {\n"
               "  const out = JSON.parse(text).map(({data, typed}) => {\n"
               "    const a = numberAnswer(data, typed); return a.error || a.feedback; });\n"
               "  process.stdout.write(JSON.stringify(out)); });\n")
    run = subprocess.run([node, "--input-type=module", "-e", program], input=json.dumps(cases),
                         capture_output=True, text=True, timeout=60, check=True)
    return json.loads(run.stdout)


@pytest.mark.parametrize("language", ["en", "fil", "id"])
def test_the_page_answers_every_typed_number_as_the_kernel_does(language):
    cases, expected = [], []
    for name, question in QUESTIONS.items():
        data = page_answers(question, language)
        box = quiz(question, lang=language)
        for typed in TYPED:
            cases.append({"data": data, "typed": typed, "name": name})
            expected.append(_python_shows(box, typed))
    shown = _script_shows(cases)
    wrong = [(case["name"], case["typed"], want[:60], got[:60])
             for case, want, got in zip(cases, expected, shown, strict=True) if want != got]
    assert not wrong, wrong
    # the cases cover every kind of answer
    kinds = " ".join(expected)
    for kind in ("hw-quiz-right", "hw-quiz-wrong", "hw-quiz-error"):
        assert kind in kinds


def test_a_choice_has_the_block_of_each_option():
    question = Choice("Which costs less?", ("A", "B", "C"), 2, explanation="C is cheaper.",
                      hints=("A has a fee.", "", "—"))
    data = page_answers(question, "fil")
    for picked in range(3):
        box = quiz(question, lang="fil")
        box.choices.value = picked
        assert data["feedback"][picked] == box.feedback.value
    assert "A has a fee." in data["feedback"][0] and "Tama!" in data["feedback"][2]


def test_the_quiz_carries_its_answers_hidden():
    box = quiz(QUESTIONS["money"], lang="id")
    holder = box.children[-1]
    assert "hw-quiz-data" in holder._dom_classes and holder.layout.display == "none"
    assert holder.value.startswith("<span hidden data-hw-quiz=")
    assert "&quot;kind&quot;: &quot;number&quot;" in holder.value
