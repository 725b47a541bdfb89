"""Fonts: Helvetica for English, WenQuanYi Micro Hei (embedded TrueType) for Chinese.

The CJK font ships in ``resources/fonts`` (Apache-2.0, licence beside it).  reportlab
embeds only the glyphs a document uses, so a Chinese report grows by tens of KB, not
by the 5 MB font.  If the file is missing (a broken install) the Debian system copy is
tried, then reportlab's non-embedded Adobe CID font STSong-Light, which viewers with
the Adobe Asian font pack render and the text stays extractable.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import sys
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

CJK_FONT_NAME = "WenQuanYiMicroHei"
CJK_FONT_FILE = "wqy-microhei.ttc"
_FONT_DIR_ENV = "HASHINSIGHT_FONTS_DIR"  # frozen builds may point here


@dataclasses.dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    embedded: bool


def font_candidates() -> list[Path]:
    here = Path(__file__).resolve()
    folders = [Path(p) for p in [os.environ.get(_FONT_DIR_ENV, "")] if p]
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller: datas copied to resources/fonts
    if bundle:
        folders.append(Path(bundle) / "resources" / "fonts")
    folders.append(here.parents[3] / "resources" / "fonts")  # the source tree
    folders.append(Path("/usr/share/fonts/truetype/wqy"))
    return [folder / CJK_FONT_FILE for folder in folders]


@functools.cache
def _cjk_fonts() -> FontSet:
    for path in font_candidates():
        if path.is_file():
            pdfmetrics.registerFont(TTFont(CJK_FONT_NAME, str(path), subfontIndex=0))
            # Micro Hei has no bold face: the same face keeps bold labels legible
            return FontSet(CJK_FONT_NAME, CJK_FONT_NAME, embedded=True)
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return FontSet("STSong-Light", "STSong-Light", embedded=False)


def fonts_for(lang: str) -> FontSet:
    if lang == "zh_CN":
        return _cjk_fonts()
    return FontSet("Helvetica", "Helvetica-Bold", embedded=False)
