"""Parse the numbers written in Chinese documents: Arabic (1,234.5), full-width, Chinese numerals.

>>> parse_arabic("1,234.5")
1234.5
>>> parse_chinese("两千")
2000.0
>>> parse_chinese("一百二十")
120.0
"""
from __future__ import annotations

import re

# Full-width digits and signs map one-to-one onto ASCII, so offsets stay the same.
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％＋／～\u3000", "0123456789.%+/~ ")

_HAS_FULLWIDTH = re.compile("[０-９．％＋／～\u3000]")

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}


def to_halfwidth(text: str) -> str:
    """Full-width digits, point, percent, plus, slash, tilde and ideographic space to ASCII (same length)."""
    return text.translate(_FULLWIDTH) if _HAS_FULLWIDTH.search(text) else text


def parse_arabic(s: str) -> float:
    """'1,234.5' -> 1234.5 (thousands separators dropped)."""
    return float(s.replace(",", ""))


def parse_chinese(s: str) -> float:
    """A Chinese numeral ('三万', '两千五百', '十五', '一百零八', '二〇二〇') as a number."""
    if s and all(c in CN_DIGITS for c in s):  # digit by digit: 二〇二〇
        return float("".join(str(CN_DIGITS[c]) for c in s))
    total, section, digit = 0.0, 0.0, None
    for c in s:
        if c in CN_DIGITS:
            digit = CN_DIGITS[c]
        elif c in CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * CN_SMALL_UNITS[c]
            digit = None
        elif c in CN_BIG_UNITS:
            section += digit or 0
            total = (total + section) * CN_BIG_UNITS[c] if CN_BIG_UNITS[c] > 10_000 else \
                total + section * CN_BIG_UNITS[c]
            section, digit = 0.0, None
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + section + (digit or 0)
