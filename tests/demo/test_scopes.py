from __future__ import annotations

import numpy as np

from smokewatch.demo.pools import load_pools
from smokewatch.demo.scopes import NEW, OLD, ScopeBook, new_style, old_style

CLAUSES = load_pools().clauses


def test_standard_scopes_close_the_general_part_with_its_tail() -> None:
    assert new_style(["软件开发", "信息技术咨询服务"], [], CLAUSES) == (
        "一般项目：软件开发；信息技术咨询服务" + CLAUSES.general_tail
    )


def test_standard_scopes_can_put_licensed_items_first() -> None:
    text = new_style(["软件开发"], ["第二类增值电信业务"], CLAUSES, licensed_first=True)
    assert text.startswith("许可项目：第二类增值电信业务" + CLAUSES.licensed_tail + "一般项目：")


def test_old_scopes_end_with_the_approval_clause() -> None:
    assert old_style(["建筑材料销售", "五金产品零售"], CLAUSES, separator="、") == (
        "建筑材料销售、五金产品零售。" + CLAUSES.old_tail
    )


def test_the_book_holds_variants_for_every_industry_and_style() -> None:
    industries = load_pools().industries
    book = ScopeBook.build(np.random.default_rng(1), industries, CLAUSES, ("固定范围",))
    assert (book.count[: len(industries)] >= 5).all()
    assert book.texts[int(book.start[len(industries), NEW])].as_py() == "固定范围"


def test_drawn_variants_belong_to_the_drawn_industry_and_style() -> None:
    industries = load_pools().industries
    book = ScopeBook.build(np.random.default_rng(1), industries, CLAUSES)
    industry = np.zeros(200, dtype=np.int64)
    style = np.full(200, OLD, dtype=np.int64)
    drawn = book.draw(np.random.default_rng(2), industry, style)
    start, count = book.start[0, OLD], book.count[0, OLD]
    assert ((drawn >= start) & (drawn < start + count)).all()
    assert all(book.texts[int(i)].as_py().endswith(CLAUSES.old_tail) for i in drawn)
