"""The address resolver's tables: division nodes, and the keyword table it searches text with.

The keyword table holds every full division name and the short forms that stand for a
division (芜湖 for 芜湖市, 延边 for 延边朝鲜族自治州; see :mod:`smokewatch.text.address`). It
is derived from the shipped division table alone, and deriving it walks all 45,000 divisions
(more than half a second), so it is built once with ``contrib/build_text_tables.py`` and
shipped beside the code as ``text/data/address_keywords.json.gz``; a test checks that the
shipped file is exactly what :func:`build_keyword_table` gives. The file records the digest of
the division table it was built from, and a table that does not match the installed divisions
is rebuilt in memory instead of used.

The nodes (a division with its chain of ancestors) are built on first use: a text names a few
dozen of the 45,000 divisions.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from smokewatch.model._yaml import package_dir
from smokewatch.model.divisions import Division, Divisions, Level, divisions_sha256

RANK: Mapping[Level, int] = {
    Level.PROVINCE: 1,
    Level.CITY: 2,
    Level.COUNTY: 3,
    Level.TOWNSHIP: 4,
}

_ETHNIC = sorted(
    [
        *("蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白"),
        *("土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "拉祜", "水", "东乡", "纳西"),
        *("景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯"),
        *("阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固"),
        *("京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各"),
    ],
    key=len,
    reverse=True,
)
"""Ethnic groups named in autonomous divisions (延边朝鲜族自治州 → 延边), longest first."""
_AUTONOMOUS = re.compile(r"(自治区|自治州|自治县|自治旗)$")
_SUFFIX = {
    Level.PROVINCE: re.compile(r"(省|市|特别行政区)$"),
    Level.CITY: re.compile(r"(市|地区|盟)$"),
    Level.COUNTY: re.compile(r"(新区|林区|特区|区|县|市|旗)$"),
}
_NO_SHORT_FORM = re.compile(
    r"开发区|园区|产业|高新|示范区|试验区|管理区|管委会|新城|矿区|城区|郊区"
)
_GENERIC = frozenset({"城区", "郊区", "矿区", "市中区"})
"""Full names that are also ordinary words; they count only when a parent is mentioned."""

TABLE_FILE = "address_keywords.json.gz"
_FORMAT = 1

Keyword = tuple[tuple[str, ...], bool, bool]
"""A keyword's candidate division codes, whether it is a short form, and whether it needs a
parent: ambiguous short forms (桥西, 长安) and generic names (城区) only count for the
divisions whose city or province the address also names."""


@dataclass(frozen=True, slots=True)
class Node:
    """A division as the resolver sees it."""

    code: str
    name: str
    level: Level
    chain: tuple[str, ...]  # ancestors from the province down, ending with the node itself
    current: bool
    placeholder: bool
    path_names: tuple[str, ...]
    chain_set: frozenset[str]
    ancestors: frozenset[str]
    city: str | None


def short_form(name: str, level: Level) -> str | None:
    """The usual short form of a province, city or county name, or ``None``.

    Examples:
        >>> short_form("芜湖市", Level.CITY), short_form("广西壮族自治区", Level.PROVINCE)
        ('芜湖', '广西')
        >>> short_form("延边朝鲜族自治州", Level.CITY), short_form("和县", Level.COUNTY) is None
        ('延边', True)
    """
    if level is Level.TOWNSHIP or _NO_SHORT_FORM.search(name):
        return None
    stem = _AUTONOMOUS.sub("", name)
    stem = _strip_ethnic(stem) if stem != name else _SUFFIX[level].sub("", name)
    return stem if len(stem) >= 2 and stem != name else None


def _strip_ethnic(stem: str) -> str:
    changed = True
    while changed:
        changed = False
        for group in _ETHNIC:
            for ending in (group + "族", group):
                if stem.endswith(ending) and len(stem) - len(ending) >= 2:
                    stem = stem[: -len(ending)]
                    changed = True
                    break
            if changed:
                break
    return stem


class Nodes(dict[str, Node]):
    """The divisions' nodes by code, each built when it is first looked up.

    ``code in nodes`` asks the division table, so it holds for nodes not built yet; iterating
    gives the nodes built so far only.
    """

    def __init__(self, divisions: Divisions) -> None:
        super().__init__()
        self._divisions = divisions

    def __missing__(self, code: str) -> Node:
        node = _node(self._divisions, code)
        self[code] = node
        return node

    def __contains__(self, code: object) -> bool:
        return code in self._divisions


def _parent_of(division: Division) -> str | None:
    if division.parent == division.code:
        # Prefecture-level cities without counties (东莞, 中山, 儋州) appear twice in the
        # table, as city and as their own county; keep them as cities under the province.
        return division.code[:2] + "0000"
    return division.parent


def _node(divisions: Divisions, code: str) -> Node:
    division = divisions[code]
    chain: list[str] = [code]
    parent = _parent_of(division)
    while parent is not None and parent in divisions and parent not in chain:
        chain.append(parent)
        parent = _parent_of(divisions[parent])
    chain.reverse()
    names: list[str] = []
    for part_code in chain:
        part = divisions[part_code]
        if part.status != "placeholder" and (not names or names[-1] != part.name):
            names.append(part.name)
    return Node(
        code=code,
        name=division.name,
        level=Level.CITY if division.parent == code else division.level,
        chain=tuple(chain),
        current=division.status != "obsolete",
        placeholder=division.status == "placeholder",
        path_names=tuple(names),
        chain_set=frozenset(chain),
        ancestors=frozenset(chain[:-1]),
        city=chain[1] if len(chain) > 1 else None,
    )


def keywords(divisions: Divisions, nodes: Mapping[str, Node]) -> dict[str, Keyword]:
    """Every full name, and the short forms that no full name already claims."""
    real = [n for n in (nodes[d.code] for d in divisions) if not n.placeholder]
    renamed = _renamed_counties(real)
    full: dict[str, list[str]] = {}
    for node in real:
        full.setdefault(node.name, []).append(renamed.get(node.code, node.code))
    shorts: dict[str, list[Node]] = {}
    for node in real:
        short = short_form(node.name, node.level)
        if short is not None and node.code not in renamed:
            shorts.setdefault(short, []).append(node)
    table: dict[str, Keyword] = {
        name: (tuple(sorted(set(codes))), False, name in _GENERIC) for name, codes in full.items()
    }
    for short, candidates in shorts.items():
        if short in table:
            continue
        best = _unique_best(candidates)
        if best is not None:
            table[short] = (best, True, False)
        else:
            table[short] = (tuple(sorted(n.code for n in candidates)), True, True)
    return table


def _unique_best(candidates: list[Node]) -> tuple[str, ...] | None:
    """The one division a short form stands for (higher level first, then current).

    A municipality's province and city share their name (北京市), so 北京 stands for both,
    exactly as the full name does.
    """
    ranked = sorted(candidates, key=lambda n: (RANK[n.level], not n.current, n.code))
    top = ranked[0]
    rest = [n for n in ranked[1:] if not (n.name == top.name and top.code in n.chain_set)]
    if rest and RANK[rest[0].level] == RANK[top.level] and rest[0].current == top.current:
        return None
    same = [n.code for n in ranked if n.name == top.name and top.code in n.chain_set]
    return tuple(sorted(same))


def _renamed_counties(nodes: Iterable[Node]) -> dict[str, str]:
    """Abolished county code → the current county of the same short name in the same city.

    繁昌县 became 繁昌区 and 无为县 became 无为市: an address using the old name belongs to
    the current division. 芜湖县 became 湾沚区 and stays an (abolished) division of its own.
    """
    current: dict[tuple[str, str], str] = {}
    for node in nodes:
        short = short_form(node.name, node.level)
        if node.level is Level.COUNTY and node.current and short and len(node.chain) > 1:
            current[(node.chain[1], short)] = node.code
    renamed: dict[str, str] = {}
    for node in nodes:
        short = short_form(node.name, node.level)
        if node.level is Level.COUNTY and not node.current and short and len(node.chain) > 1:
            successor = current.get((node.chain[1], short))
            if successor is not None:
                renamed[node.code] = successor
    return renamed


def build_keyword_table(divisions: Divisions) -> bytes:
    """The keyword table of ``divisions`` as shipped: gzip'd JSON, byte for byte reproducible.

    ``divisions`` must be the shipped table (its digest is recorded in the file).
    """
    table = keywords(divisions, Nodes(divisions))
    document = {
        "format": _FORMAT,
        "divisions_sha256": divisions_sha256(),
        "keywords": [
            [word, list(codes), short, parent] for word, (codes, short, parent) in table.items()
        ],
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def read_keyword_table(data: bytes) -> dict[str, Keyword] | None:
    """The keywords of a table written by :func:`build_keyword_table`.

    ``None`` when the table was built from another division table than the shipped one (or
    by another format): the caller derives the keywords instead.
    """
    document: dict[str, Any] = json.loads(gzip.decompress(data))
    if document.get("format") != _FORMAT or document.get("divisions_sha256") != divisions_sha256():
        return None
    return {
        word: (tuple(codes), short, parent) for word, codes, short, parent in document["keywords"]
    }


def shipped_keyword_table() -> bytes:
    """The bytes of the shipped keyword table."""
    return (package_dir("smokewatch.text", "data") / TABLE_FILE).read_bytes()


__all__ = [
    "RANK",
    "TABLE_FILE",
    "Keyword",
    "Node",
    "Nodes",
    "build_keyword_table",
    "keywords",
    "read_keyword_table",
    "shipped_keyword_table",
    "short_form",
]
