"""The compare page's region picker as a tree: every place right under its parent (province, prefecture, county …)
and shown with it (中牟县 · 郑州市), searchable by name, alias, code and parent; after each place with figures below
it, an option for the place with all its children (``4101*``: 郑州市 and its counties), expanded by ``params``.
Labels are not indented: the picker shows the chosen option's label as it is."""

from __future__ import annotations

import pandas as pd

from dashboard.components import region_label
from dashboard.params import WITH_CHILDREN
from etl.claims.regions import GAZETTEER


def _path(code: str) -> tuple[str, ...]:
    """The codes from the top down to ``code`` (a place the gazetteer does not know sorts last)."""
    if code == "CN":
        return ()
    chain = [c for c in GAZETTEER.ancestors(code) if c != "CN"]
    return tuple(reversed(chain)) if chain else ("~", code)


def tree_options(regions: pd.DataFrame, lang: str = "zh") -> list[dict]:
    """Options of the regions with figures and the places containing them, in tree order."""
    rows = regions[regions.has_data] if "has_data" in regions else regions[regions.n_facts > 0]
    with_facts = set(regions.code[regions.n_facts > 0])
    options = []
    for r in sorted(rows.itertuples(), key=lambda r: _path(r.code)):
        label = region_label(r.name, r.parent)
        search = " ".join(x for x in (r.name, str(r.aliases or "").replace("|", " "), r.code,
                                      r.parent if isinstance(r.parent, str) else "") if x)
        options.append({"label": label, "value": r.code, "search": search})
        children = [c for c in GAZETTEER.children.get(r.code, []) if c in with_facts]
        if children:
            more = (f"{r.name} and the {len(children)} places within it with figures" if lang == "en"
                    else f"{r.name}及下辖 {len(children)} 地")
            options.append({"label": "▸ " + more, "value": r.code + WITH_CHILDREN,
                            "search": f"{search} 及下辖 全部 children"})
    return options
