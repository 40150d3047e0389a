"""Login cards: a PDF to print and cut, eight cards to an A4 page.

Each card has the hub's address as a QR code (a phone's camera opens it) and in letters, the
user name, the one-time password, the person's name (so the facilitator hands the right card)
and two short lines on what happens next. The password is printed once: the hub keeps only
its hash, so a lost card is replaced with ``python -m grading hub accounts --reset NAME``.

>>> import tempfile
>>> from grading.hub.accounts import Card
>>> out = Path(tempfile.mkdtemp()) / "cards.pdf"
>>> login_cards([Card("r01", "participant", "Rosa Villanueva", "kabupi-4725")],
...             "http://192.168.1.20:8000", out).read_bytes()[:5]
b'%PDF-'
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from grading.hub.accounts import Card

CARD_W, CARD_H = 95.0, 68.0  # millimetres
COLUMNS, ROWS = 2, 4
MARGIN_X, MARGIN_Y = 10.0, 8.5
QR_SIZE = 30.0
ROLE_TITLES = {"participant": "Participant", "facilitator": "Facilitator"}
#: Scripts of the course's countries that Noto Sans itself lacks: names on cards in Thai or
#: Nepali are drawn with these when the Debian package fonts-noto-core is installed.
SCRIPT_FONTS = ("NotoSansThai", "NotoSansDevanagari")


def card_fonts() -> list[tuple[Path, Path]]:
    """(regular, bold) fonts for the cards: the PDF fonts of the business plan, then Thai and
    Devanagari where installed."""
    from widgets.business.report import NOTO, pdf_fonts

    extra = [(NOTO / f"{name}-Regular.ttf", NOTO / f"{name}-Bold.ttf") for name in SCRIPT_FONTS]
    return pdf_fonts() + [(r, b) for r, b in extra if r.exists() and b.exists()]


def qr_image(text: str):
    """The QR code of ``text`` as a black-and-white image (``qrcode``, medium error correction:
    a card folded or smudged still scans)."""
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(text)
    code.make(fit=True)
    return code.make_image().get_image().convert("L")


def login_url(address: str) -> str:
    """The page a card's QR code opens: the hub's login page.

    >>> login_url("http://192.168.1.20:8000/"), login_url("https://hub.example.org/hub/login")
    ('http://192.168.1.20:8000/hub/login', 'https://hub.example.org/hub/login')
    """
    address = address.rstrip("/")
    return address if address.endswith("/hub/login") else f"{address}/hub/login"


def login_cards(cards: Sequence[Card], address: str, path: str | Path) -> Path:
    """Write the cards to ``path`` (a PDF) and return it; the file is made readable by its
    owner only, since it holds passwords."""
    import os

    from fpdf import FPDF

    path = Path(path)
    url = login_url(address)
    qr = qr_image(url)
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title("Homeward login cards")
    fonts = card_fonts()
    for k, (regular, bold) in enumerate(fonts):
        pdf.add_font(f"f{k}", "", str(regular))
        pdf.add_font(f"f{k}", "B", str(bold))
    pdf.set_fallback_fonts([f"f{k}" for k in range(1, len(fonts))])
    per_page = COLUMNS * ROWS
    for index, card in enumerate(cards):
        if index % per_page == 0:
            pdf.add_page()
        slot = index % per_page
        x = MARGIN_X + (slot % COLUMNS) * CARD_W
        y = MARGIN_Y + (slot // COLUMNS) * CARD_H
        _card(pdf, card, url, qr, x, y)
    if not cards:
        pdf.add_page()
        pdf.set_font("f0", "", 12)
        pdf.text(MARGIN_X, MARGIN_Y + 10, "No new login cards.")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    os.chmod(path, 0o600)
    return path


def _card(pdf, card: Card, url: str, qr, x: float, y: float) -> None:
    pdf.set_draw_color(150, 150, 150)
    pdf.set_dash_pattern(dash=1.5, gap=1.5)
    pdf.rect(x, y, CARD_W, CARD_H)  # where to cut
    pdf.set_dash_pattern()
    left = x + 4
    pdf.set_text_color(11, 93, 59)
    pdf.set_font("f0", "B", 12)
    pdf.set_xy(left, y + 3)
    pdf.cell(CARD_W - QR_SIZE - 10, 6, "Homeward workshop")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("f0", "", 9)
    pdf.set_xy(left, y + 9)
    pdf.cell(CARD_W - QR_SIZE - 10, 5, ROLE_TITLES.get(card.role, card.role)
             + (f": {card.display}" if card.display else ""))
    pdf.image(qr, x=x + CARD_W - QR_SIZE - 3, y=y + 3, w=QR_SIZE, h=QR_SIZE)
    rows = [("User name", card.name), ("One-time password", card.password)]
    top = y + 17
    for label, value in rows:
        pdf.set_font("f0", "", 8)
        pdf.set_xy(left, top)
        pdf.cell(50, 4, label)
        pdf.set_font("f0", "B", 14)
        pdf.set_xy(left, top + 4)
        pdf.cell(CARD_W - QR_SIZE - 10, 7, value)
        top += 12
    pdf.set_font("f0", "", 8)
    pdf.set_xy(left, y + 42)
    pdf.cell(CARD_W - 8, 4, "Open this address, or scan the square with your phone:")
    pdf.set_font("f0", "B", 9)
    pdf.set_xy(left, y + 46)
    pdf.cell(CARD_W - 8, 5, url)
    pdf.set_font("f0", "", 8)
    pdf.set_xy(left, y + 52)
    pdf.multi_cell(CARD_W - 8, 4, "The first time you log in, choose your own password. "
                   "After that this card no longer opens your account. Keep it private.")
