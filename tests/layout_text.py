"""The text a rendered Dash layout shows, for tests that read a page without a browser."""
from __future__ import annotations


def text(c) -> str:
    """The text of a component and its children, in order."""
    if c is None:
        return ""
    if isinstance(c, str | int | float):
        return str(c)
    if isinstance(c, list | tuple):
        return "".join(text(x) for x in c)
    return text(getattr(c, "children", None))
