"""``smokewatch text``: train, analyze and inspect from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.cli.conftest import Run
from tests.text.models.conftest import sms_rows, write_sms_csv


def test_analyze_writes_one_line_per_text_and_reports_skipped_lines(
    sw: Run, tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    good = json.dumps({"id": "ad-1", "text": "保本保息，年化收益20%"}, ensure_ascii=False)
    source.write_text(f"{good}\n{{broken\n", encoding="utf-8")
    result = sw("text", "analyze", "--in", str(source), "--out", str(tmp_path / "out.jsonl"))
    assert result.code == 0, result.err
    assert "line 2: skipped, not JSON" in result.err
    assert "1 text analysed (rules only, utf-8), 1 malformed line skipped" in result.err
    (record,) = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]
    assert record["id"] == "ad-1"
    assert record["promised_returns"][0]["annual_rate"] == 20.0


_LOADED = """
import sys
from smokewatch.cli.main import main
try:
    main(["--no-progress", "text", "analyze", "--in", sys.argv[1], "--out", sys.argv[2]])
except SystemExit:
    pass
heavy = ("numpy", "scipy", "pyarrow", "pydantic_settings", "jieba.posseg", "cn2an")
print(" ".join(name for name in heavy if name in sys.modules))
"""


def test_analyze_with_the_rules_only_loads_no_model_arrow_or_settings_library(
    tmp_path: Path,
) -> None:
    # Start-up: the rules need none of them (cn2an only once a Chinese numeral is read).
    source = tmp_path / "in.jsonl"
    text = "芜湖鑫源财富管理有限公司承诺年化12%，保本保息"
    source.write_text(json.dumps({"id": 1, "text": text}, ensure_ascii=False) + "\n", "utf-8")
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-c", _LOADED, str(source), str(tmp_path / "out.jsonl")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert (tmp_path / "out.jsonl").read_text("utf-8").count("\n") == 1
    assert done.stdout.split() == []


def test_analyze_fails_with_exit_1_when_no_line_can_be_read(sw: Run, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,text\n1,保本保息\n", encoding="utf-8")
    result = sw("text", "analyze", "--in", str(source), "--out", str(tmp_path / "out.jsonl"))
    assert result.code == 1
    assert f"no line of {source} could be read (line 1: not JSON" in result.err
    assert not (tmp_path / "out.jsonl").exists()


def test_analyze_in_worker_processes_writes_what_one_process_writes(
    sw: Run, tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    texts = ["保本保息，年化收益20%", "投资1万元每月返息300元", "今天天气很好"]
    source.write_text(
        "".join(
            json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)
        ),
        encoding="utf-8",
    )
    outputs = []
    for jobs in ("1", "2"):
        target = tmp_path / f"out-{jobs}.jsonl"
        result = sw("text", "analyze", "--in", str(source), "--out", str(target), "--jobs", jobs)
        assert result.code == 0, result.err
        assert "3 texts analysed (rules only, utf-8)" in result.err
        outputs.append(target.read_text("utf-8"))
    assert outputs[0] == outputs[1] and len(outputs[0].splitlines()) == 3
    refused = sw("text", "analyze", "--in", str(source), "--out", "-", "--jobs", "0")
    assert refused.code == 2 and "--jobs" in refused.err


def test_inspect_explains_one_text(sw: Run) -> None:
    result = sw("text", "inspect", "我们保本保息，月息2分，详询13800138000")
    assert result.code == 0, result.err
    assert "保本保息" in result.out and "Risk factors" in result.out
    record = sw("text", "inspect", "--json", "我们保本保息，月息2分").json()
    assert record["promised_returns"][0]["annual_rate"] == 24.0


def test_train_writes_a_model_that_analyze_uses(sw: Run, tmp_path: Path) -> None:
    data = write_sms_csv(tmp_path / "sms.csv")
    model = tmp_path / "model"
    trained = sw("text", "train", "--task", "sms-fraud", "--data", str(data), "--out", str(model))
    assert trained.code == 0, trained.err
    assert (model / "MODEL_CARD.md").is_file()
    record = sw("text", "inspect", "--json", "--model", str(model), "下载APP办理无抵押贷款").json()
    assert record["category"] in {label for _, label in sms_rows()}


def test_train_refits_on_every_row_by_default_and_evaluate_then_refuses_the_training_file(
    sw: Run, tmp_path: Path
) -> None:
    rows = sms_rows()
    data = write_sms_csv(tmp_path / "sms.csv", rows)
    model = tmp_path / "model"
    trained = sw("text", "train", "--task", "sms-fraud", "--data", str(data), "--out", str(model))
    assert trained.code == 0, trained.err
    assert "validation split of sms.csv" in trained.out  # the figures: the validated fit
    assert f"refitted on all {len(rows)} rows after validation" in " ".join(trained.out.split())
    refused = sw("text", "evaluate", "--model", str(model), "--data", str(data))
    assert refused.code == 1 and "--no-refit to keep the validated fit" in refused.err


def test_train_rejects_an_unknown_task_or_a_missing_file(sw: Run, tmp_path: Path) -> None:
    bad_task = sw("text", "train", "--task", "tweets", "--data", "x", "--out", str(tmp_path))
    assert bad_task.code == 1 and "--task must be one of" in bad_task.err
    missing = sw("text", "train", "--task", "sms-fraud", "--data", "nope.csv", "--out", "m")
    assert missing.code == 1 and "no such training file" in missing.err


def test_train_reads_a_gb18030_file_and_evaluate_scores_its_validation_split(
    sw: Run, tmp_path: Path
) -> None:
    data = write_sms_csv(tmp_path / "sms.csv", encoding="gb18030")
    model = tmp_path / "model"
    trained = sw(
        "text", "train", "--task", "sms-fraud", "--data", str(data), "--out", str(model),
        "--no-refit",
    )  # fmt: skip
    assert trained.code == 0, trained.err
    assert "model written to" in " ".join(trained.out.split())
    assert "refitted" not in trained.out
    card = json.loads((model / "manifest.json").read_text("utf-8"))["metrics"]
    report = tmp_path / "report.json"
    shown = sw(
        "text", "evaluate", "--model", str(model), "--data", str(data), "--report", str(report)
    )
    assert shown.code == 0, shown.err
    assert "loan-fraud F1" in shown.out and "Most frequent mistakes" in shown.out
    assert "(gb18030): the validation split of the model's training file" in shown.out
    # training shows the card's figures as evaluate shows them (P(fraud) from the card)
    assert "validation split of sms.csv (gb18030)" in trained.out
    for figure in ("loan-fraud F1", "accuracy", "P(fraud) log loss", "P(fraud) Brier score"):
        assert _row(trained.out, figure) == _row(shown.out, figure)
    found = sw("text", "evaluate", "--json", "--model", str(model), "--data", str(data)).json()
    assert found == json.loads(report.read_text("utf-8"))
    assert (found["encoding"], found["rows"]) == ("gb18030", card["split"]["validation_rows"])
    assert found["metrics"]["loan_fraud"] == card["loan_fraud"]
    everything = sw("text", "evaluate", "--model", str(model), "--data", str(data), "--all-rows")
    assert "note: this is the model's training file" in everything.err
    missing = sw("text", "evaluate", "--model", str(model), "--data", "nope.csv")
    assert missing.code == 1 and "no such labelled file" in missing.err


def _row(output: str, figure: str) -> str:
    """The table line of a figure (the first line that names it)."""
    return next(line for line in output.splitlines() if f" {figure} " in line)
