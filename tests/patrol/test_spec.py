"""Patrol specs: defaults, validation and located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from smokewatch.errors import ConfigError, NotFound
from smokewatch.patrol.spec import load_patrol_spec, parse_patrol_spec

SPEC = """\
id: wuhu_wealth
title: 芜湖理财网站巡查
sites:
  - name: 鑫源财富
    seeds: [http://xinyuan.example.cn/]
    allowed_hosts: ["*.xinyuan.example.cn"]
"""


def test_a_minimal_spec_gets_polite_defaults() -> None:
    spec = parse_patrol_spec(SPEC, "wuhu_wealth.yml")
    site = spec.sites[0]
    assert (site.max_depth, site.max_pages, site.min_interval_s, site.kind) == (
        2,
        100,
        1.0,
        "web_page",
    )
    assert spec.fetch.retries == 2
    assert spec.fetch.user_agent.startswith("smokewatch-patrol/")


def test_hosts_default_to_the_seeds_hosts() -> None:
    spec = parse_patrol_spec(
        SPEC.replace('    allowed_hosts: ["*.xinyuan.example.cn"]\n', ""), "x.yml"
    )
    assert spec.sites[0].hosts == ("xinyuan.example.cn",)


def test_errors_are_located_in_the_file() -> None:
    bad = (
        SPEC.replace("http://xinyuan.example.cn/", "ftp://xinyuan.example.cn/")
        + "    max_depth: 99\n"
    )
    with pytest.raises(ConfigError) as caught:
        parse_patrol_spec(bad, "wuhu_wealth.yml")
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 2
    assert any(m.startswith("wuhu_wealth.yml:5:") and "not an http(s) URL" in m for m in messages)
    assert any(m.startswith("wuhu_wealth.yml:7:") and "max_depth" in m for m in messages)


def test_an_override_needs_a_reason_and_an_authoriser() -> None:
    bad = SPEC + "    robots_override: {reason: 联席会议决定}\n"
    with pytest.raises(ConfigError, match="authorised_by"):
        parse_patrol_spec(bad, "x.yml")


def test_the_id_must_equal_the_file_name(tmp_path: Path) -> None:
    (tmp_path / "other.yml").write_text(SPEC, encoding="utf-8")
    with pytest.raises(ConfigError, match="differs from its file name"):
        load_patrol_spec(tmp_path, "other")


def test_an_unknown_patrol_names_the_known_ones(tmp_path: Path) -> None:
    (tmp_path / "wuhu_wealth.yml").write_text(SPEC, encoding="utf-8")
    with pytest.raises(NotFound, match="known patrols: wuhu_wealth"):
        load_patrol_spec(tmp_path, "nope")


MIRRORED = SPEC + "    mirror: http://127.0.0.1:8123\n"


def test_a_mirror_is_an_origin_the_seeds_origin_is_fetched_from() -> None:
    spec = parse_patrol_spec(MIRRORED, "x.yml")
    assert spec.sites[0].mirror == "http://127.0.0.1:8123"
    assert dict(spec.mirrors.routes) == {"http://xinyuan.example.cn": "http://127.0.0.1:8123"}
    assert spec.mirrors.fetch_url("http://xinyuan.example.cn/a?b=1") == (
        "http://127.0.0.1:8123/a?b=1"
    )
    assert spec.mirrors.canonical("http://127.0.0.1:8123/a") == "http://xinyuan.example.cn/a"
    assert parse_patrol_spec(SPEC, "x.yml").mirrors.routes == {}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("http://127.0.0.1:8123", "http://127.0.0.1:8123/copy/"), "must be an origin"),
        (("http://127.0.0.1:8123", "ftp://127.0.0.1"), r"is not an http\(s\) URL"),
        (
            (
                "seeds: [http://xinyuan.example.cn/]",
                "seeds: [http://xinyuan.example.cn/, http://m.xinyuan.example.cn/]",
            ),
            "seeds of one origin",
        ),
        (("    mirror:", "    render: true\n    mirror:"), "render: true is not supported"),
    ],
)
def test_a_wrong_mirror_is_reported(change: tuple[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_patrol_spec(MIRRORED.replace(*change), "x.yml")


def test_two_sites_cannot_share_a_mirror() -> None:
    other = (
        "  - name: 鑫源二号\n    seeds: [http://xinyuan2.example.cn/]\n"
        "    mirror: http://127.0.0.1:8123/\n"
    )
    with pytest.raises(ConfigError, match=r"mirror http://127\.0\.0\.1:8123 serves more than one"):
        parse_patrol_spec(MIRRORED + other, "x.yml")
