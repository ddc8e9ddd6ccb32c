"""Traditional characters read as their simplified twins (OpenCC's t2s), one character for one, so that
offsets into the converted text are offsets into the original.

>>> to_simplified("完成建檔立卡貧困人口629戶2773人脫貧,資金8775萬元")
'完成建档立卡贫困人口629户2773人脱贫,资金8775万元'
>>> to_simplified("截至2013年底") == "截至2013年底"
True
"""
from __future__ import annotations

import re
from functools import cache

import opencc
import regex

HAN = regex.compile(r"\p{Han}")
# common characters that only traditional text has: a text without any is not converted (converting is slow)
TRADITIONAL_HINT = re.compile("[們個來這說時對會為國發經與過資貧縣鄉鎮戶萬億區農務實現據報導關幫開]")
TRADITIONAL_SHARE = 0.02  # a text is read as traditional when conversion changes this share of its characters


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@cache
def _simplified(char: str) -> str:
    out = _converter().convert(char)
    return out if len(out) == 1 else char


def to_simplified(text: str) -> str:
    """``text`` with each traditional character replaced by its simplified form (same length); a simplified
    text (fewer than 2 % of its characters change) is returned as it is, so that a simplified name that is
    also a traditional form (乾县) stays."""
    if not TRADITIONAL_HINT.search(text):
        return text
    converted = _converter().convert(text)
    if len(converted) != len(text):
        converted = "".join(_simplified(c) if HAN.match(c) else c for c in text)
    changed = sum(a != b for a, b in zip(text, converted, strict=True))
    return converted if changed >= TRADITIONAL_SHARE * len(text) else text
