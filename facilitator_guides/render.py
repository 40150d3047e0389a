"""Render every facilitator guide into one printable HTML file.

Usage (from the repository root)::

    .venv/bin/python facilitator_guides/render.py [outdir]

The default output directory is ``facilitator_guides/_build/`` (ignored by git). The result,
``guides.html``, has a table of contents and each guide on its own A4 page when printed.
"""

from __future__ import annotations

import html
import re
import sys
from datetime import date
from pathlib import Path

import mistune

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "_build"
ORDER = [
    "README.md",
    "seminar_agenda.md",
    "seminar_sessions.md",
    "field_visit_guide.md",
    "running_the_course.md",
    "facilitation_notes.md",
    "follow_up.md",
]

CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 11pt;
       line-height: 1.45; color: #111; max-width: 190mm; margin: 0 auto; padding: 0 4mm; }
h1 { font-size: 20pt; border-bottom: 2px solid #2a6fb0; padding-bottom: 4pt; }
h2 { font-size: 14pt; margin-top: 18pt; page-break-after: avoid; }
h3 { font-size: 12pt; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 8pt 0; font-size: 10pt; }
th, td { border: 1px solid #888; padding: 3pt 5pt; vertical-align: top; text-align: left; }
th { background: #e8eef6; }
td:first-child { white-space: nowrap; }
tr, li { page-break-inside: avoid; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 9.5pt; overflow-wrap: anywhere; }
pre { background: #f4f4f4; padding: 6pt; white-space: pre-wrap; page-break-inside: avoid; }
hr { border: 0; border-top: 1px solid #bbb; }
section.guide { page-break-before: always; break-before: page; }
nav.toc { page-break-after: always; break-after: page; }
.meta { color: #555; font-size: 9pt; }
@media screen { section.guide { border-top: 4px solid #2a6fb0; margin-top: 28pt; } }
"""


def guide_paths(folder: Path = HERE) -> list[Path]:
    """The guides in reading order: the known ones first, any others after, by name."""
    known = [folder / name for name in ORDER if (folder / name).exists()]
    others = sorted(p for p in folder.glob("*.md") if p.name not in ORDER)
    return known + others


def title_of(markdown_text: str, fallback: str) -> str:
    """The first level-one heading of a guide."""
    match = re.search(r"^# (.+)$", markdown_text, flags=re.MULTILINE)
    return match.group(1).strip() if match else fallback


def render(outdir: Path = DEFAULT_OUT, folder: Path = HERE) -> Path:
    """Write ``guides.html`` into ``outdir`` and return its path."""
    to_html = mistune.create_markdown(escape=True, plugins=["table"])
    sections, toc = [], []
    for number, path in enumerate(guide_paths(folder), start=1):
        text = path.read_text(encoding="utf-8")
        title = title_of(text, path.stem)
        anchor = f"guide-{number}"
        toc.append(f'<li><a href="#{anchor}">{html.escape(title)}</a> '
                   f'<span class="meta">({html.escape(path.name)})</span></li>')
        sections.append(f'<section class="guide" id="{anchor}">'
                        f'<p class="meta">facilitator_guides/{html.escape(path.name)}</p>'
                        f"{to_html(text)}</section>")
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>Homeward seminar: facilitator guides</title><style>{CSS}</style></head><body>"
        "<nav class=\"toc\"><h1>Homeward seminar: facilitator guides</h1>"
        f"<p class=\"meta\">Rendered {date.today().isoformat()}. Print on A4; each guide starts on "
        f"a new page.</p><ol>{''.join(toc)}</ol></nav>{''.join(sections)}</body></html>\n"
    )
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / "guides.html"
    target.write_text(page, encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    target = render(Path(argv[0]) if argv else DEFAULT_OUT)
    print(f"Wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
