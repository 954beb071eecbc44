"""The carbon-footprint label (碳足迹标识) of a certificate, as SVG and PNG: the product, its footprint per
declared unit, the certificate number and a QR code that opens the public verification page.

Both images are drawn from one QR matrix (the ``qrcode`` package, error correction M, ISO/IEC 18004) and
render the engine's certificate view; nothing is computed here.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

import qrcode
import qrcode.constants

from nengtan.reports.fonts import cjk_font
from nengtan.reports.words import both, zh

GREEN = "#1b7f4b"


def verify_url(base_url: str, number: str) -> str:
    """The address the QR code carries: ``<base>/verify/<certificate number>``."""
    return f"{base_url.rstrip('/')}/verify/{number}"


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR code of `text` with its 4-module quiet zone (True: dark)."""
    q = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    q.add_data(text)
    q.make(fit=True)
    return [list(row) for row in q.get_matrix()]


def label_value(c: dict[str, Any]) -> str:
    """The certificate's kg CO2e as the label and the verification page print it."""
    v = float(c["value_kgco2e"])
    return f"{v:,.4g}" if abs(v) < 100 else f"{v:,.1f}"


def label_svg(c: dict[str, Any], url: str) -> str:
    """An SVG label of 360 × 200 px for certificate view `c` whose QR code carries `url`."""
    m = qr_matrix(url)
    n = len(m)
    cell = 160 / n
    dark = "".join(f"M{20 + x * cell:.3f},{20 + y * cell:.3f}h{cell:.3f}v{cell:.3f}h-{cell:.3f}z"
                   for y, row in enumerate(m) for x, on in enumerate(row) if on)
    lines = [
        (both("Carbon footprint"), 13, "normal"),
        (f"{label_value(c)} kg CO₂e", 24, "bold"),
        (zh("per {unit}", unit=c["declared_unit"]), 13, "normal"),
        (c["product_name"][:24], 13, "bold"),
        (c["number"], 11, "normal"),
        (zh("valid to {date}", date=c["valid_to"]), 10, "normal"),
    ]
    ys = (44, 78, 98, 124, 150, 168)
    texts = "".join(f'<text x="192" y="{y}" font-size="{size}" font-weight="{weight}">{escape(t)}</text>'
                    for (t, size, weight), y in zip(lines, ys, strict=True))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="360" height="200" viewBox="0 0 360 200" role="img" '
            f'aria-label="{escape(c["product_name"])} {label_value(c)} kg CO2e / {escape(c["declared_unit"])}">'
            f'<rect x="1" y="1" width="358" height="198" rx="10" fill="#fff" stroke="{GREEN}" stroke-width="2"/>'
            f'<path d="{dark}" fill="#000"/>'
            f'<g font-family="Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif" fill="{GREEN}">{texts}</g>'
            f'<text x="20" y="192" font-size="8" fill="#555" font-family="sans-serif">{escape(url)}</text></svg>')


def _font(size: int) -> Any:
    from PIL import ImageFont

    font = cjk_font()
    if font is not None:
        return ImageFont.truetype(str(font.path), size, index=font.index), True
    return ImageFont.load_default(size), False


def label_png(c: dict[str, Any], url: str, scale: int = 3) -> bytes:
    """The same label as a PNG (`scale` × 360 × 200 px). Chinese words need a CJK font (Debian's
    fonts-noto-cjk); without one the label keeps its English words only."""
    from PIL import Image, ImageDraw

    w, h = 360 * scale, 200 * scale
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((scale, scale, w - scale, h - scale), radius=10 * scale, outline=GREEN, width=2 * scale)
    m = qr_matrix(url)
    cell = 160 * scale / len(m)
    for y, row in enumerate(m):
        for x, on in enumerate(row):
            if on:
                x0, y0 = 20 * scale + x * cell, 20 * scale + y * cell
                d.rectangle((x0, y0, x0 + cell - 1, y0 + cell - 1), fill="black")
    lines = [(both("Carbon footprint"), "Carbon footprint", 13), (f"{label_value(c)} kg CO2e", None, 24),
             (zh("per {unit}", unit=c["declared_unit"]), f"per {c['declared_unit']}", 13),
             (c["product_name"][:24], c["number"], 13),
             (c["number"], "", 11), (zh("valid to {date}", date=c["valid_to"]), f"valid to {c['valid_to']}", 10)]
    y = 28
    for chinese, en, size in lines:
        font, cjk = _font(size * scale)
        text = chinese if cjk or en is None else en
        if text:
            d.text((192 * scale, y * scale), text, fill=GREEN, font=font)
        y += size + 12
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
