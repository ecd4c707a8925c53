"""Business scopes (经营范围) in the wording real registries use.

Since 2021 scopes follow the standard form ``一般项目：…（除许可业务外，可自主依法经营法律法规
非禁止或限制的项目）许可项目：…（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营
项目以相关部门批准文件或许可证件为准）``; older scopes are a list of items followed by
``（依法须经批准的项目，经相关部门批准后方可开展经营活动）``. Many ordinary scopes carry the
prohibition clause ``（未经金融等监管部门批准，不得从事吸收存款、融资担保、代客理财、向社会公众
集（融）资等金融业务）`` after investment-adjacent items; the detector must not read those as
financial business.

The generator builds a few dozen variants per industry once per run and then draws rows
from them by index, so scope text never costs per-row Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from smokewatch.demo.pools import Clauses, Industry

STANDARD_WORDING_SINCE = date(2021, 3, 1)
"""Scopes registered or changed from this date use the standard 一般项目/许可项目 form."""

NEW, OLD = 0, 1


def new_style(
    general: list[str], licensed: list[str], clauses: Clauses, *, licensed_first: bool = False
) -> str:
    """A scope in the standard 一般项目/许可项目 form.

    Examples:
        >>> from smokewatch.demo.pools import load_pools
        >>> new_style(["软件开发"], [], load_pools().clauses)
        '一般项目：软件开发（除许可业务外，可自主依法经营法律法规非禁止或限制的项目）'
    """
    parts = []
    if general:
        parts.append("一般项目：" + "；".join(general) + clauses.general_tail)
    if licensed:
        part = "许可项目：" + "；".join(licensed) + clauses.licensed_tail
        parts.insert(0 if licensed_first else len(parts), part)
    return "".join(parts)


def old_style(items: list[str], clauses: Clauses, *, separator: str = "；") -> str:
    """A scope in the pre-2021 form: items, a full stop, the approval clause."""
    return separator.join(items) + "。" + clauses.old_tail


def _items(rng: np.random.Generator, industry: Industry, clauses: Clauses) -> list[str]:
    count = int(rng.integers(3, min(8, len(industry.general)) + 1))
    chosen = [industry.general[i] for i in rng.choice(len(industry.general), count, False)]
    for item in industry.adjacent:
        if rng.random() < 0.5:
            chosen.append(item + (clauses.prohibition if rng.random() < 0.6 else ""))
    return chosen


def _variant(rng: np.random.Generator, industry: Industry, clauses: Clauses, style: int) -> str:
    general = _items(rng, industry, clauses)
    licensed: list[str] = []
    if industry.licensed and rng.random() < 0.5:
        count = int(rng.integers(1, len(industry.licensed) + 1))
        licensed = [industry.licensed[i] for i in rng.choice(len(industry.licensed), count, False)]
    if style == NEW:
        return new_style(general, licensed, clauses, licensed_first=bool(rng.random() < 0.3))
    separator = "、" if rng.random() < 0.25 else "；"
    return old_style(licensed + general, clauses, separator=separator)


@dataclass(frozen=True, slots=True)
class ScopeBook:
    """Scope variants per (industry, style), stored flat for drawing by index.

    Industries beyond the pool's list (finance profiles) have one fixed scope each.
    """

    texts: pa.StringArray
    start: npt.NDArray[np.int64]
    count: npt.NDArray[np.int64]

    @classmethod
    def build(
        cls,
        rng: np.random.Generator,
        industries: tuple[Industry, ...],
        clauses: Clauses,
        fixed: tuple[str, ...] = (),
        *,
        per_style: int = 24,
    ) -> ScopeBook:
        """Draw ``per_style`` variants for each industry and style, then append ``fixed``."""
        texts: list[str] = []
        slots = len(industries) + len(fixed)
        start = np.zeros((slots, 2), dtype=np.int64)
        count = np.zeros((slots, 2), dtype=np.int64)
        for i, industry in enumerate(industries):
            for style in (NEW, OLD):
                variants = dict.fromkeys(
                    _variant(rng, industry, clauses, style) for _ in range(per_style)
                )
                start[i, style], count[i, style] = len(texts), len(variants)
                texts.extend(variants)
        for j, text in enumerate(fixed):
            start[len(industries) + j, :], count[len(industries) + j, :] = len(texts), 1
            texts.append(text)
        return cls(pa.array(texts, type=pa.string()), start, count)

    def draw(
        self,
        rng: np.random.Generator,
        industry: npt.NDArray[np.int64],
        style: npt.NDArray[np.int64],
    ) -> npt.NDArray[np.int64]:
        """One variant index (into :attr:`texts`) per row."""
        offset = np.floor(rng.random(industry.shape[0]) * self.count[industry, style])
        return np.asarray(self.start[industry, style] + offset.astype(np.int64), dtype=np.int64)


__all__ = ["NEW", "OLD", "STANDARD_WORDING_SINCE", "ScopeBook", "new_style", "old_style"]
