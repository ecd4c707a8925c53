"""Clusters: judgements and USCCs win over the model, ids stay stable across runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from smokewatch.resolve.clusters import Judgement, Link, cluster

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _groups(entity_of: dict[str, str]) -> set[frozenset[str]]:
    by: dict[str, set[str]] = {}
    for record, entity in entity_of.items():
        by.setdefault(entity, set()).add(record)
    return {frozenset(g) for g in by.values()}


def test_links_above_the_threshold_join_records_transitively() -> None:
    result = cluster(
        "abcd", [Link("a", "b", 0.99), Link("b", "c", 0.95), Link("c", "d", 0.2)], threshold=0.9
    )
    assert _groups(result.entity_of()) == {frozenset("abc"), frozenset("d")}
    sizes = dict(
        zip(
            result.assignments["record_id"].to_pylist(),
            result.assignments["entity_size"].to_pylist(),
            strict=True,
        )
    )
    assert sizes == {"a": 3, "b": 3, "c": 3, "d": 1}


def test_two_usccs_never_share_an_entity_and_one_uscc_always_does() -> None:
    uscc = {"a": "U1", "b": None, "c": "U2", "d": "U2"}
    result = cluster("abcd", [Link("a", "b", 0.99), Link("b", "c", 0.98)], threshold=0.9, uscc=uscc)
    assert _groups(result.entity_of()) == {frozenset("ab"), frozenset("cd")}
    assert result.held_apart == [("b", "c", "different USCCs")]


def test_the_latest_judgement_wins_over_the_model() -> None:
    judgements = [
        Judgement("a", "b", True, "alice", T0),
        Judgement("b", "a", False, "bob", T0 + timedelta(days=1)),
        Judgement("c", "d", True, "alice", T0),
    ]
    links = [Link("a", "b", 0.99), Link("b", "c", 0.1)]
    result = cluster("abcd", links, threshold=0.9, judgements=judgements)
    assert _groups(result.entity_of()) == {frozenset("a"), frozenset("b"), frozenset("cd")}
    joined = dict(
        zip(
            result.assignments["record_id"].to_pylist(),
            result.assignments["joined_by"].to_pylist(),
            strict=True,
        )
    )
    assert joined["c"] == joined["d"] == "judgement"


def test_a_not_same_judgement_holds_apart_whole_entities() -> None:
    judgements = [Judgement("a", "c", False, "alice", T0)]
    links = [Link("a", "b", 0.99), Link("b", "c", 0.98)]
    result = cluster("abc", links, threshold=0.9, judgements=judgements)
    assert _groups(result.entity_of()) == {frozenset("ab"), frozenset("c")}
    assert result.held_apart == [("b", "c", "judged not the same")]


def test_input_order_does_not_change_the_entities() -> None:
    links = [Link("a", "b", 0.95), Link("b", "c", 0.95), Link("c", "a", 0.95)]
    forward = cluster("abc", links, threshold=0.9).entity_of()
    backward = cluster("cba", list(reversed(links)), threshold=0.9).entity_of()
    assert forward == backward


def test_new_records_join_existing_entities_without_renumbering() -> None:
    first = cluster("abc", [Link("a", "b", 0.99)], threshold=0.9).entity_of()
    second = cluster(
        "abcde", [Link("a", "b", 0.99), Link("e", "b", 0.97)], threshold=0.9, previous=first
    ).entity_of()
    assert second["a"] == second["b"] == second["e"] == first["a"]
    assert second["c"] == first["c"]
    assert second["d"] not in set(first.values())


def test_a_merge_keeps_the_larger_entity_and_reports_the_retired_id() -> None:
    first = cluster("abc", [Link("a", "b", 0.99)], threshold=0.9).entity_of()
    result = cluster(
        "abc", [Link("a", "b", 0.99), Link("b", "c", 0.95)], threshold=0.9, previous=first
    )
    after = result.entity_of()
    assert after["c"] == first["a"]
    assert result.merged == {first["c"]: first["a"]}


def test_a_split_gives_the_smaller_part_a_new_id_never_an_old_one() -> None:
    first = cluster("abc", [Link("a", "b", 0.99), Link("b", "c", 0.99)], threshold=0.9)
    before = first.entity_of()
    judged = [Judgement("c", "b", False, "alice", T0), Judgement("a", "c", False, "alice", T0)]
    after = cluster(
        "abc",
        [Link("a", "b", 0.99), Link("b", "c", 0.99)],
        threshold=0.9,
        judgements=judged,
        previous=before,
    ).entity_of()
    assert after["a"] == after["b"] == before["a"]
    assert after["c"] not in set(before.values())
