"""The glossary on paper: every word with its explanation and example, in one language.

>>> from pypdf import PdfReader
>>> import io
>>> text = PdfReader(io.BytesIO(glossary_pdf("id"))).pages[0].extract_text()
>>> "APR" in text
True
"""

from __future__ import annotations

from widgets.glossary.model import entries, lookup
from widgets.glossary.page import ALSO_CALLED, EXAMPLE, INTRO, SEE_ALSO, TITLE, letter_of
from widgets.i18n import gettext_for

__all__ = ["glossary_pdf"]


def glossary_pdf(language: str = "en") -> bytes:
    """The whole glossary as an A4 PDF in large type, letter by letter."""
    from widgets.handouts.pdf import HandoutPDF

    _ = gettext_for(language)
    pdf = HandoutPDF(_(TITLE), language, footer="Homeward")
    pdf.add_page()
    pdf.title_block(_(TITLE))
    pdf.paragraph(_(INTRO), 12)
    pdf.ln(2)
    letter = None
    for entry in entries(language):
        term = entry.text("term", language)
        if letter_of(term) != letter:
            letter = letter_of(term)
            pdf.heading(letter, 2)
        pdf.keep(30)
        text = f"### {term}\n\n{entry.text('explanation', language)}"
        if entry.example:
            text += f"\n\n*{_(EXAMPLE)}* {entry.text('example', language)}"
        if entry.local_names:
            text += f"\n\n*{_(ALSO_CALLED)}* {', '.join(entry.local_names)}"
        if entry.see:
            words = ", ".join(lookup(s).text("term", language) for s in entry.see)
            text += f"\n\n*{_(SEE_ALSO)}* {words}"
        pdf.markdown(text, 13)
    return bytes(pdf.output())
