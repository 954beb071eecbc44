"""The PDF every report prints: fpdf2 in the CJK font (nengtan.reports.fonts), writing each text with the characters
that font has, so that none prints as a gap."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container
from typing import Any

from fpdf import FPDF

from nengtan.reports.fonts import require_cjk_font

_NEGATIVE_POWER = re.compile("⁻([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def in_font(cmap: Container[int]) -> Callable[[str], str]:
    """A function that writes a text with the characters the font (its `cmap`) has: a character it lacks as its
    compatibility form (CO₂ → CO2, Unicode NFKC), a negative power in superscripts (10⁻³) as 10^-3 (not 10-3)."""

    def fold(s: str) -> str:
        if all(ord(c) in cmap for c in s):
            return s
        s = _NEGATIVE_POWER.sub(lambda m: "^-" + m.group(1).translate(_DIGITS), s)
        return "".join(c if ord(c) in cmap else unicodedata.normalize("NFKC", c) for c in s)

    return fold


class CjkPdf(FPDF):
    """An FPDF with the CJK font added as "cjk", every text it prints (cells, titles, table cells, widths) written
    with that font's characters (:func:`in_font`, through fpdf2's normalize_text)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        font = require_cjk_font()
        self.add_font("cjk", "", str(font.path), collection_font_number=font.index)
        self._printable = in_font(getattr(self.fonts["cjk"], "cmap", {}))

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(self._printable(text))
