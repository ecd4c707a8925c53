"""Batch analysis of JSON-lines files: nothing silently dropped, nothing half written."""

from __future__ import annotations

import gc
import io
import json
import sys
from pathlib import Path

import pytest

from smokewatch.errors import ConfigError, InvalidInput
from smokewatch.services import text_files
from smokewatch.services.text import TextAnalyzer
from smokewatch.services.text_files import analyze_file


def _write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _line(identifier: object, text: str) -> str:
    return json.dumps({"id": identifier, "text": text}, ensure_ascii=False)


def test_malformed_lines_are_reported_by_number_and_the_rest_analysed(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "in.jsonl",
        [_line("a", "保本保息，年化20%"), "not json", "", '{"id": 3}', '["x"]', _line(5, "你好")],
    )
    report = analyze_file(source, tmp_path / "out.jsonl")
    assert [(m.line, m.reason.split(":")[0]) for m in report.malformed] == [
        (2, "not JSON"),
        (4, 'expected an object with "id" and a string "text"'),
        (5, 'expected an object with "id" and a string "text"'),
    ]
    out = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in out] == ["a", 5]
    assert report.written == 2 and report.lines == 6


def test_input_with_no_readable_line_fails_and_keeps_the_last_output(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "in.csv", ["id,text", "", "1,保本保息", "2,年化20%", "3,你好", "4,x"]
    )
    target = tmp_path / "out.jsonl"
    target.write_text("the previous run's output\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as failure:
        analyze_file(source, target)
    assert str(failure.value) == (
        f"no line of {source} could be read (line 1: not JSON: Expecting value at column 1; "
        "line 3: not JSON: Extra data at column 2; line 4: not JSON: Extra data at column 2; "
        'and 2 more); expected JSON lines {"id": ..., "text": "..."}; nothing was written'
    )
    assert target.read_text(encoding="utf-8") == "the previous run's output\n"


def test_an_input_of_blank_lines_is_an_empty_run_not_a_failure(tmp_path: Path) -> None:
    report = analyze_file(_write(tmp_path / "in.jsonl", ["", "  "]), tmp_path / "out.jsonl")
    assert (report.written, report.malformed) == (0, [])
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == ""


def test_a_json_error_is_placed_where_it_is_on_the_line() -> None:
    cut_off = text_files.parse_line(3, '{"id": 1, "text": "保本保息"\n')
    missing_comma = text_files.parse_line(4, '{"id": 1 "text": "保本保息"}\r\n')
    unterminated = text_files.parse_line(5, '{"id": 1, "text": "月息2分\n')
    assert unterminated == text_files.MalformedLine(
        5, "not JSON: Unterminated string starting at column 19"
    )
    assert cut_off == text_files.MalformedLine(
        3, "not JSON: Expecting ',' delimiter at the end of the line"
    )
    assert missing_comma == text_files.MalformedLine(
        4, "not JSON: Expecting ',' delimiter at column 10"
    )


def test_gbk_input_is_detected_and_read(tmp_path: Path) -> None:
    source = _write(tmp_path / "in.jsonl", [_line(1, "月息2分，稳赚不赔")], encoding="gbk")
    report = analyze_file(source, tmp_path / "out.jsonl")
    assert report.encoding == "gb18030"
    (record,) = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert record["promised_returns"][0]["annual_rate"] == 24.0


def test_a_line_with_undecodable_bytes_is_reported_and_the_rest_analysed(
    tmp_path: Path,
) -> None:
    source = tmp_path / "in.jsonl"
    lines = [_line(1, "月息2分，稳赚不赔"), _line(2, "保本保息"), _line(3, "年化20%")]
    encoded = [line.encode("gbk") for line in lines]
    encoded[1] = encoded[1].replace("保本".encode("gbk"), b"\xff\xfe")  # a corrupt line
    source.write_bytes(b"\n".join(encoded) + b"\n")
    report = analyze_file(source, tmp_path / "out.jsonl")
    assert report.encoding == "gb18030"
    assert report.malformed == [
        text_files.MalformedLine(2, "not gb18030 text: undecodable bytes at column 20")
    ]
    out = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert [r["id"] for r in out] == [1, 3]


def test_a_file_in_another_encoding_is_refused_with_the_option_to_name_it(
    tmp_path: Path,
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(_line(1, "保本保息").encode("utf-16"))
    with pytest.raises(InvalidInput, match=r"name it with --encoding \(e\.g\. big5, utf-16\)"):
        analyze_file(source, tmp_path / "out.jsonl")


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_standard_input_is_read_in_the_encoding_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, (_line(1, "月息2分") + "\n").encode("gbk"))
    report = analyze_file("-", tmp_path / "out.jsonl", encoding="gbk")
    (record,) = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert (report.encoding, record["promised_returns"][0]["annual_rate"]) == ("gbk", 24.0)


def test_undecodable_bytes_on_standard_input_are_one_bad_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, _line(1, "年化20%").encode() + b'\n{"id": 2, "text": "\xff"}\n')
    report = analyze_file("-", tmp_path / "out.jsonl")
    assert [(m.line, m.reason) for m in report.malformed] == [
        (2, "not utf-8 text: undecodable bytes at column 20")
    ]
    assert report.written == 1


def test_a_lone_surrogate_escape_is_read_in_a_text_and_refused_in_an_id(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "in.jsonl",
        ['{"id": 1, "text": "保本\\ud800保息，月息2分"}', '{"id": "\\udc00", "text": "保本"}'],
    )
    report = analyze_file(source, tmp_path / "out.jsonl")
    assert [(m.line, m.reason) for m in report.malformed] == [
        (2, '"id" is not Unicode text (a lone surrogate escape)')
    ]
    (record,) = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert record["promised_returns"][0]["span"] == [6, 10]  # U+FFFD holds the surrogate's place


def test_a_failed_run_leaves_no_output_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [_line(i, f"第{i}条：保本保息") for i in range(text_files.BATCH * 2)]
    source = _write(tmp_path / "in.jsonl", lines)
    target = tmp_path / "out.jsonl"
    target.write_text("the previous run's output\n", encoding="utf-8")
    calls = 0
    real = TextAnalyzer.analyze

    def fail_on_second_batch(self: TextAnalyzer, items: list[tuple[object, str]]) -> object:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("disk full")
        return real(self, items)

    monkeypatch.setattr(TextAnalyzer, "analyze", fail_on_second_batch)
    with pytest.raises(RuntimeError, match="disk full"):
        analyze_file(source, target)
    assert target.read_text(encoding="utf-8") == "the previous run's output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


def test_progress_counts_every_input_line(tmp_path: Path) -> None:
    source = _write(tmp_path / "in.jsonl", [_line(i, "保本") for i in range(300)] + ["bad"])
    seen: list[tuple[str, object]] = []

    class Recorder:
        def start(self, task: str, total: int | None = None) -> None:
            seen.append(("start", total))

        def advance(self, units: int = 1) -> None:
            seen.append(("advance", units))

        def finish(self) -> None:
            seen.append(("finish", None))

    analyze_file(source, tmp_path / "out.jsonl", progress=Recorder())
    assert seen[0] == ("start", 301)
    assert sum(u for k, u in seen if k == "advance" and isinstance(u, int)) == 301
    assert seen[-1] == ("finish", None)


def test_a_missing_input_or_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such input file"):
        analyze_file(tmp_path / "missing.jsonl", tmp_path / "out.jsonl")
    source = _write(tmp_path / "in.jsonl", [_line(1, "x")])
    with pytest.raises(InvalidInput, match="output folder does not exist"):
        analyze_file(source, tmp_path / "nowhere" / "out.jsonl")


def test_the_loaded_analyzer_is_kept_off_the_collector_during_the_run_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _write(tmp_path / "in.jsonl", [_line(1, "保本保息，年化20%")])
    frozen_while_analysing: list[int] = []
    real = TextAnalyzer.analyze

    def analyze(self: TextAnalyzer, items: list[tuple[object, str]]) -> object:
        frozen_while_analysing.append(gc.get_freeze_count())
        return real(self, items)

    monkeypatch.setattr(TextAnalyzer, "analyze", analyze)
    analyze_file(source, tmp_path / "out.jsonl")
    # warm_up analyses one text before the run (nothing frozen yet), the run one batch
    assert frozen_while_analysing[0] == 0 and frozen_while_analysing[1] > 0
    assert gc.get_freeze_count() == 0


def test_worker_processes_write_the_same_lines_in_the_same_order(tmp_path: Path) -> None:
    texts = ["保本保息，年化20%", "月息2分，详询13800138000", "今天天气很好", "拉人头发展下线"]
    lines = [_line(i, f"{i}号：{texts[i % 4]}") for i in range(text_files.BATCH * 2 + 7)]
    lines[3] = "not json"
    lines[text_files.BATCH + 1] = '{"id": 1}'
    source = _write(tmp_path / "in.jsonl", lines)
    alone = analyze_file(source, tmp_path / "alone.jsonl")
    pooled = analyze_file(source, tmp_path / "pooled.jsonl", jobs=2)
    written = (tmp_path / "pooled.jsonl").read_text("utf-8")
    assert written == (tmp_path / "alone.jsonl").read_text("utf-8")
    assert [json.loads(x)["id"] for x in written.splitlines()][:5] == [0, 1, 2, 4, 5]
    assert pooled.malformed == alone.malformed
    assert [m.line for m in pooled.malformed] == [4, text_files.BATCH + 2]
    assert (pooled.lines, pooled.written, pooled.task) == (alone.lines, alone.written, None)


def test_a_model_the_workers_refuse_fails_the_run_and_keeps_the_last_output(
    tmp_path: Path,
) -> None:
    source = _write(tmp_path / "in.jsonl", [_line(1, "保本保息")])
    target = tmp_path / "out.jsonl"
    target.write_text("the previous run's output\n", encoding="utf-8")
    (tmp_path / "model").mkdir()
    with pytest.raises(ConfigError, match="manifest"):
        analyze_file(source, target, model_dir=tmp_path / "model", jobs=2)
    assert target.read_text(encoding="utf-8") == "the previous run's output\n"


def test_fewer_than_one_job_is_a_clear_error(tmp_path: Path) -> None:
    source = _write(tmp_path / "in.jsonl", [_line(1, "x")])
    with pytest.raises(InvalidInput, match="jobs must be at least 1, not 0"):
        analyze_file(source, tmp_path / "out.jsonl", jobs=0)
