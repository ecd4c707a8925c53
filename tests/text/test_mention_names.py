"""Organisation and platform names: the same with the shipped jieba dictionary as with jieba's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smokewatch.text import mention_names
from smokewatch.text.mention_names import find_names

TEXTS = (
    "据芜湖鑫源理财咨询有限公司称，其旗下鑫源金服已下线",
    "我们发现上海某某投资管理有限公司和善林金融涉嫌非法集资",
    "“凯瑞汇”运营方芜湖凯瑞信息科技有限公司已被立案",
    "投资人通过中国宝武钢铁集团有限公司旗下的平台购买理财",
    "该集团董事长在北京市朝阳区召开会议，宣布收购华夏银行股份有限公司",
)


@pytest.fixture
def fresh_words() -> Iterator[None]:
    mention_names._words.cache_clear()
    yield
    mention_names._words.cache_clear()


def test_the_examples_name_what_they_should() -> None:
    text = TEXTS[0]
    assert [(text[n.start : n.end], n.platform) for n in find_names(text)] == [
        ("芜湖鑫源理财咨询有限公司", False),
        ("鑫源金服", True),
    ]


def test_names_are_the_same_with_jiebas_own_dictionary(
    fresh_words: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert mention_names.load_jieba_dictionary() is not None
    shipped = [find_names(text) for text in TEXTS]
    monkeypatch.setattr(mention_names, "load_jieba_dictionary", lambda: None)
    mention_names._words.cache_clear()  # the installed jieba's dictionary differs from ours
    assert [find_names(text) for text in TEXTS] == shipped
