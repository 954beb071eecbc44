"""The reports' words — workbook sheets, headings, notes and PDF titles — from the message catalogue (nengtan.i18n):
context ``report``, the English as msgid and the text the zh-CN report prints as msgstr.

The reports are printed in Chinese. Where a heading also carries its English for a verifier or an exporter
("汇总 Summary"), that is how the catalogue's Chinese is written, so the printed text is in one place.
"""

from __future__ import annotations

from nengtan import i18n


def zh(english: str, **fields: object) -> str:
    """The report's text for ``english`` (gettext's pgettext in context ``report``), its fields filled in."""
    text = i18n.text("report", english)
    return text.format(**fields) if fields else text


def both(english: str) -> str:
    """A heading printed in Chinese with its English beside it ("汇总 Summary"): the catalogue's Chinese for
    ``english`` in context ``report``, a space, and the English."""
    return f"{i18n.text('report', english)} {english}"


def page_word(key: str) -> str:
    """A thing named as the web pages name it (``web:<key>``; a zero-carbon gap's measure, say), in Chinese; the key
    itself where the catalogue has none."""
    return i18n.page_word(key, "zh")
