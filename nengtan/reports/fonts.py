"""The CJK font the PDF reports and PNG labels draw Chinese with: Debian's fonts-noto-cjk (installed by the
project's set-up, scripts/install-fonts.sh), else WenQuanYi; none is bundled."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nengtan.errors import NengtanError


@dataclass(frozen=True)
class CjkFont:
    path: Path
    index: int  # the face in a collection (.ttc): Simplified Chinese


CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # faces JP, KR, SC, TC, HK: SC is 2
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)


class FontMissingError(NengtanError):
    """No CJK font on this machine."""

    status = 500


def cjk_font() -> CjkFont | None:
    for path, index in CANDIDATES:
        if Path(path).exists():
            return CjkFont(Path(path), index)
    return None


def require_cjk_font() -> CjkFont:
    font = cjk_font()
    if font is None:
        raise FontMissingError("no Chinese font on this machine: install Debian's fonts-noto-cjk "
                               "(scripts/install-fonts.sh, which make demo and make test run)")
    return font
