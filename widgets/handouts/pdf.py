"""The printed page: A4, large type, boxes to write in. Used by lesson and form handouts.

Handouts are read in rooms without devices, by people who may read slowly or need glasses, and
written on with a pen. So: body text at 14 pt (headings larger), short lines, black on white,
boxes with ruled lines at a handwriting height (9 mm), tick boxes big enough for a thumb-sized
pen mark, and the page number with the title on every page so loose sheets find their place.

>>> pdf = HandoutPDF("Lesson 1: Money", "fil", footer="Homeward")
>>> pdf.add_page()
>>> pdf.markdown("Ang **layunin** ay may presyo.\\n\\n- una\\n- ikalawa")
>>> pdf.writing_box("Ano ang layunin mo?", lines=3)
>>> data = bytes(pdf.output())
>>> data[:5], len(pdf.pages)
(b'%PDF-', 1)
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import mistune
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace, TextStyle

from widgets.i18n import N_, gettext_for
from widgets.lessons.markdown import is_table_rule, row_cells

__all__ = ["BODY_PT", "HandoutPDF", "blocks", "font_files", "inline_markdown", "markdown_html"]

#: Body text size in points (large type), and line height in mm.
BODY_PT = 14
LINE_MM = 7.2
#: Height of one handwriting line in a box, in mm.
WRITE_MM = 9.0
MARGIN_MM = 16
#: Line spacing of running text (1 = tight, as the font is drawn).
LINE_HEIGHT = 1.3
PAGE_OF = N_("Page {page} of {pages}")
NAME = N_("Name")
DATE = N_("Date")
TICK_ONE = N_("Tick one box.")

NOTO = Path("/usr/share/fonts/truetype/noto")
_STYLES = {"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}
_DEJAVU = {"": "DejaVuSans", "B": "DejaVuSans-Bold", "I": "DejaVuSans-Oblique",
           "BI": "DejaVuSans-BoldOblique"}


def font_files() -> list[dict[str, Path]]:
    """Unicode font families with their four styles, best first (Noto Sans from Debian's
    fonts-noto-core, then matplotlib's DejaVu Sans, which is always installed)."""
    import matplotlib

    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    families = [{style: NOTO / f"NotoSans-{name}.ttf" for style, name in _STYLES.items()},
                {style: dejavu / f"{name}.ttf" for style, name in _DEJAVU.items()}]
    found = [f for f in families if f[""].exists() and f["B"].exists()]
    if not found:
        raise RuntimeError("No Unicode font for the handout: install the Debian package "
                           "fonts-noto-core (apt-get install fonts-noto-core)")
    return found


_md = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


def blocks(text: str) -> list[tuple[str, list[str] | str]]:
    """A markdown text as ``("table", lines)`` and ``("text", markdown)`` blocks, the text
    cut before each heading (so a heading can be kept with what follows it).

    >>> [kind for kind, _b in blocks("# A\\ntext\\n\\n| a | b |\\n| - | - |\\n\\n## B\\nmore")]
    ['text', 'table', 'text']
    """
    out: list[tuple[str, list[str] | str]] = []
    current: list[str] = []
    table: list[str] = []

    def flush() -> None:
        if "\n".join(current).strip():
            out.append(("text", "\n".join(current)))
        current.clear()

    for line in text.split("\n") + [""]:
        if line.lstrip().startswith("|"):
            if not table:
                flush()
            table.append(line)
            continue
        if table:
            out.append(("table", list(table)))
            table.clear()
        if re.match(r"^ {0,3}#{1,6} ", line):
            flush()
        current.append(line)
    flush()
    return out


def inline_text(text: str) -> str:
    """A cell's words without markdown marks (to measure them)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]", "", text)


def inline_markdown(text: str) -> str:
    """Markdown emphasis in fpdf2's own marks: ``**bold**`` stays, ``*it*`` -> ``__it__``,
    links keep their words, code marks and HTML tags go.

    >>> inline_markdown("**Before** *leaving* [link](x.ipynb) `code`")
    '**Before** __leaving__ link code'
    """
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(?<![*\w])\*(?!\*)([^*]+?)\*(?!\*)", r"__\1__", text)
    return text.replace("`", "")


def markdown_html(text: str) -> str:
    """Markdown as the HTML fpdf2 can print: ``<span lang>`` wrappers dropped, links
    printed as their words (a link cannot be followed on paper), images left out.

    >>> markdown_html('Read <span lang="en">the [glossary](../glossary.ipynb#apr)</span>.')
    '<p style="line-height:1.3">Read the <b>glossary</b>.</p>\\n'
    """
    out = _md(text)
    out = re.sub(r"</?span[^>]*>", "", out)
    out = re.sub(r"<a\b[^>]*>(.*?)</a>", r"<b>\1</b>", out, flags=re.S)
    out = re.sub(r"<img\b[^>]*>", "", out)
    out = re.sub(r"</?(small|div|section|aside)[^>]*>", "", out)
    out = re.sub(r"<(p|ul|ol)>", rf'<\1 style="line-height:{LINE_HEIGHT}">', out)
    return out.replace("<strong>", "<b>").replace("</strong>", "</b>")


class HandoutPDF(FPDF):
    """An A4 page set up for a handout: fonts, margins, running title and page numbers."""

    def __init__(self, title: str, language: str, footer: str = ""):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.handout_title = title
        self.language = language
        self.footer_text = footer
        self._ = gettext_for(language)
        self.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        self.set_auto_page_break(auto=True, margin=MARGIN_MM + 6)
        families = font_files()
        for k, family in enumerate(families):
            # the first family prints the text; the others fill in a sign it lacks
            for style in ("", "B", "I", "BI"):
                path = family[style] if family[style].exists() else family[""]
                self.add_font(f"f{k}", style, str(path))
        self.set_fallback_fonts([f"f{k}" for k in range(1, len(families))])
        self.set_title(title)
        self.set_lang(language)
        self.set_creator("Homeward")
        self.alias_nb_pages()
        self.set_font("f0", "", BODY_PT)

    # page furniture ------------------------------------------------------------
    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font("f0", "", 9)
            self.set_text_color(90, 90, 90)
            self.cell(0, 5, self.handout_title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(0, 0, 0)
            self.ln(2)
        self.set_font("f0", "", BODY_PT)

    def footer(self) -> None:
        self.set_y(-MARGIN_MM)
        self.set_font("f0", "", 9)
        self.set_text_color(90, 90, 90)
        page = self._(PAGE_OF).format(page=self.page_no(), pages="{nb}")
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, page, align="R")
        self.set_text_color(0, 0, 0)
        self.set_font("f0", "", BODY_PT)

    @property
    def width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def room(self) -> float:
        """Height left on this page, in mm."""
        return self.page_break_trigger - self.get_y()

    def keep(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.room() < height:
            self.add_page()

    # text ----------------------------------------------------------------------
    def title_block(self, title: str, subtitle: str = "") -> None:
        self.set_font("f0", "B", 22)
        self.multi_cell(0, 10, title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.set_font("f0", "", 11)
            self.set_text_color(60, 60, 60)
            self.multi_cell(0, 5.5, subtitle, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(0, 0, 0)
        self.ln(3)
        self.set_font("f0", "", BODY_PT)

    def heading(self, text: str, level: int = 2) -> None:
        size = {1: 22, 2: 18, 3: 15}.get(level, 15)
        self.keep(size * 1.6)
        self.ln(2)
        self.set_font("f0", "B", size)
        self.multi_cell(0, size * 0.48, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)
        self.set_font("f0", "", BODY_PT)

    def paragraph(self, text: str, size: float = BODY_PT, grey: bool = False) -> None:
        self.set_font("f0", "", size)
        if grey:
            self.set_text_color(70, 70, 70)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.set_font("f0", "", BODY_PT)

    def markdown(self, text: str, size: float = BODY_PT) -> None:
        """A markdown text at handout size: headings kept with what follows them, tables
        as real tables, lists, bold and italics."""
        for kind, block in blocks(text):
            if kind == "table":
                header, *rows = [row_cells(line) for line in block if not is_table_rule(line)]
                self.table_rows(header, rows)
            else:
                if re.match(r"^ {0,3}#", block):
                    self.keep(32)
                self._html(block, size)

    def _html(self, text: str, size: float) -> None:
        self.set_font("f0", "", size)
        styles = {
            "h1": TextStyle(font_size_pt=22, font_style="B", t_margin=3, b_margin=2),
            "h2": TextStyle(font_size_pt=18, font_style="B", t_margin=3, b_margin=1.5),
            "h3": TextStyle(font_size_pt=15, font_style="B", t_margin=2, b_margin=1),
            "h4": TextStyle(font_size_pt=size, font_style="B", t_margin=2, b_margin=1),
            "code": FontFace(family="f0"),
            "a": FontFace(color=(0, 0, 0)),
            "li": TextStyle(l_margin=6, b_margin=1),
            "p": TextStyle(b_margin=2),
        }
        self.write_html(markdown_html(text), font_family="f0", tag_styles=styles,
                        li_prefix_color=(0, 0, 0), ul_bullet_char="•")
        self.set_font("f0", "", BODY_PT)
        self.set_x(self.l_margin)

    def caption(self, text: str) -> None:
        """A small grey label above a question ("Question 3", "Check yourself (1)")."""
        self.set_font("f0", "B", 12)
        self.set_text_color(60, 60, 60)
        self.cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.set_font("f0", "", BODY_PT)

    def notice(self, text: str) -> None:
        """A small framed note (e.g. that a translation is not yet reviewed)."""
        self.set_font("f0", "", 10)
        self.set_draw_color(120, 120, 120)
        self.multi_cell(0, 5, text, border=1, padding=2, align="L", new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)
        self.set_draw_color(0, 0, 0)
        self.ln(2)
        self.set_font("f0", "", BODY_PT)

    # things to write on ----------------------------------------------------------
    def name_line(self) -> None:
        """``Name: ______   Date: ______`` at the top of a sheet to hand in."""
        self.set_font("f0", "", 12)
        self.cell(0, 9, f"{self._(NAME)}: {'_' * 34}   {self._(DATE)}: {'_' * 16}",
                  new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)
        self.set_font("f0", "", BODY_PT)

    def writing_box(self, label: str = "", lines: int = 3, hint: str = "",
                    prefix: str = "", suffix: str = "") -> None:
        """A label, then a framed box with ``lines`` ruled lines to write on (a one-line
        box can show a ``prefix`` such as ₱ and a ``suffix`` such as % or months)."""
        height = lines * WRITE_MM + 3
        label_height = (len(label) // 60 + 1) * LINE_MM if label else 0
        self.keep(label_height + height + (6 if hint else 0) + 2)
        if label:
            self.set_font("f0", "B", BODY_PT)
            self.multi_cell(0, LINE_MM, label, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_font("f0", "", BODY_PT)
        if hint:
            self.paragraph(hint, 11, grey=True)
        x, y = self.l_margin, self.get_y() + 1
        self.set_line_width(0.4)
        self.rect(x, y, self.width, height)
        self.set_line_width(0.15)
        self.set_draw_color(170, 170, 170)
        for k in range(1, lines):
            self.line(x + 3, y + k * WRITE_MM + 1.5, x + self.width - 3, y + k * WRITE_MM + 1.5)
        self.set_draw_color(0, 0, 0)
        self.set_line_width(0.2)
        self.set_font("f0", "B", BODY_PT)
        if prefix:
            self.set_xy(x + 2, y + 1.5)
            self.cell(0, WRITE_MM - 2, prefix)
        if suffix:
            self.set_xy(x, y + 1.5)
            self.cell(self.width - 2, WRITE_MM - 2, suffix, align="R")
        self.set_font("f0", "", BODY_PT)
        self.set_xy(self.l_margin, y + height + 3)

    def tick_boxes(self, options: list[str]) -> None:
        """"Tick one box.", then one empty square per option with its words beside it."""
        self.paragraph(self._(TICK_ONE), 11, grey=True)
        side = 6.0
        for text in options:
            lines = max(1, len(text) // 55 + 1)
            self.keep(lines * LINE_MM + 3)
            y = self.get_y() + 0.5
            self.set_line_width(0.4)
            self.rect(self.l_margin + 1, y, side, side)
            self.set_line_width(0.2)
            self.set_xy(self.l_margin + side + 4, y - 0.4)
            self.multi_cell(self.width - side - 4, LINE_MM, text, align="L", new_x=XPos.LMARGIN,
                            new_y=YPos.NEXT)
            self.ln(1.5)

    def table_rows(self, header: list[str], rows: list[list[str]], blank_rows: int = 0,
                   row_mm: float = 0, size: float = 12) -> None:
        """A table: its headings, its rows (markdown's bold and italics kept), and, for a
        worksheet, empty rows ``row_mm`` high to write in."""
        self.set_font("f0", "", size)
        width = max(len(header), *(len(r) for r in rows)) if rows else len(header)
        header = list(header) + [""] * (width - len(header))
        body = [list(r) + [""] * (width - len(r)) for r in rows]
        body += [[""] * width for _k in range(blank_rows)]
        widths = self._column_widths([[header[c]] + [r[c] for r in body]
                                      for c in range(width)], size)
        self.keep(min(120, 10 + max(row_mm, 8) * len(body)))  # whole, when it fits a page
        with self.table(line_height=size * 0.45, padding=1.5, text_align="LEFT",
                        col_widths=widths, markdown=True, width=self.width,
                        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
                        first_row_as_headings=True) as table:
            cells = table.row()
            for value in header:
                cells.cell(inline_markdown(value))
            for row in body:
                cells = table.row(min_height=row_mm) if row_mm and _supports_min_height() \
                    else table.row()
                for value in row:
                    cells.cell(inline_markdown(value) if value else (" " if row_mm else ""))
        self.ln(3)
        self.set_font("f0", "", BODY_PT)

    def _column_widths(self, columns: list[list[str]], size: float) -> list[float]:
        """Column widths in mm across the page: each gets room for its longest word (words
        are not broken), and the space left goes to the columns with longer texts."""
        self.set_font("f0", "B", size)
        pad = 4.0
        least, wish = [], []
        for texts in columns:
            words = [w for t in texts for w in inline_text(t).split()] or [" "]
            least.append(max(self.get_string_width(w) for w in words) + pad)
            wish.append(max(self.get_string_width(inline_text(t)) for t in texts) + pad)
        self.set_font("f0", "", size)
        spare = self.width - sum(least)
        if spare <= 0:
            return [self.width * n / sum(least) for n in least]
        extra = [max(0.0, w - n) for w, n in zip(wish, least, strict=True)]
        if sum(extra) <= spare:
            return [n + e + (spare - sum(extra)) / len(least)
                    for n, e in zip(least, extra, strict=True)]
        return [n + spare * e / sum(extra) for n, e in zip(least, extra, strict=True)]

    def png(self, data: bytes, width_share: float = 1.0, alt: str = "") -> None:
        """A chart (PNG bytes) across the page, on one page."""
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            ratio = image.height / image.width
        width = min(self.width * width_share, 110 / ratio)  # at most 110 mm high
        self.keep(width * ratio + 2)
        self.image(io.BytesIO(data), x=self.l_margin + (self.width - width) / 2, w=width,
                   alt_text=alt or None)
        self.ln(3)

    def text_escape(self, text: str) -> str:
        return html.escape(text)


def _supports_min_height() -> bool:
    import inspect

    from fpdf.table import Table

    return "min_height" in inspect.signature(Table.row).parameters
