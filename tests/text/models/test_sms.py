"""The SMS fraud model: training, verified artefacts, neutralised style marks."""

from __future__ import annotations

import csv
import json
from importlib import metadata
from pathlib import Path

import pytest

from smokewatch.errors import ConfigError
from smokewatch.text.models import load_text_model, train_sms_fraud
from smokewatch.text.models.sms import SmsFraudModel, neutralise
from smokewatch.text.models.training import SMS_TEMPERATURES


def test_neutralise_removes_the_marks_only_one_class_has() -> None:
    operator = neutralise("【中国联通】尊敬的用户，访问URL领取DIGIT元话费，详询PHONE，回复TD退订。")
    fraud = neutralise("尊敬的用户，访问https://x.cn/a领取50元话费，详询13800138000")
    assert operator.rstrip(",。") == fraud
    assert neutralise("PLACE移动NAME先生XXX") == "X移动X先生X"


def test_host_names_are_bounded_as_dns_bounds_them() -> None:
    assert neutralise("访问abc.example.com领取") == "访问U领取"
    # a long run of digits or letters is no host name (and costs time linear in its length)
    assert neutralise("1" * 100_000) == "0"
    assert neutralise("A-" * 50_000) == "A-" * 50_000
    assert neutralise("x" * 64 + ".cn") == "X" + "U"


def test_a_trained_model_round_trips_and_explains(sms_file: Path, tmp_path: Path) -> None:
    report = train_sms_fraud(sms_file, tmp_path / "sms", seed=1)
    model = load_text_model(report.folder)
    assert isinstance(model, SmsFraudModel)
    assert model.task == "sms-fraud"
    assert set(model.labels) == {"正常短信", "贷款、代办信用卡类", "冒充公检法及政府机关类"}
    (loan,) = model.predict(["您好，我是信贷专员，可为您办理无抵押贷款，下载APP即可提现"])
    assert loan.category == "贷款、代办信用卡类"
    assert loan.subject is None
    assert sum(loan.probabilities.values()) == pytest.approx(1.0, abs=1e-4)
    assert loan.reasons
    assert all(r.weight > 0 for r in loan.reasons)
    assert any("贷款" in r.feature for r in loan.reasons)
    assert report.metrics["split"]["seed"] == 1
    assert report.metrics["loan_fraud"]["f1"] == 1.0


def test_the_probabilities_are_calibrated_out_of_fold(sms_file: Path, tmp_path: Path) -> None:
    report = train_sms_fraud(sms_file, tmp_path / "sms", seed=2)
    tuned = report.metrics["calibration"]
    assert tuned["temperature"] in SMS_TEMPERATURES
    loss = tuned["out_of_fold_log_loss"]
    assert loss["after"] <= loss["before"]
    assert set(tuned["validation"]) == {"before", "after"}
    manifest = json.loads((report.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["metrics"]["calibration"]["temperature"] == tuned["temperature"]


def test_the_manifest_and_card_describe_the_training(sms_file: Path, tmp_path: Path) -> None:
    folder = train_sms_fraud(sms_file, tmp_path / "sms").folder
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["training_data"]["file"] == "sms.csv"
    assert manifest["training_data"]["rows"] == 200
    assert len(manifest["training_data"]["sha256"]) == 64
    assert manifest["labels"][0] == "正常短信"
    assert "numpy" in manifest["libraries"]
    # the news model's word classes come from jieba's dictionary: its version is recorded
    assert manifest["libraries"]["jieba"] == metadata.version("jieba")
    card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "research-only" in card
    assert "Style shift" in card
    assert "Softmax temperature" in card


def test_a_changed_artefact_is_refused(sms_file: Path, tmp_path: Path) -> None:
    folder = train_sms_fraud(sms_file, tmp_path / "sms").folder
    alphabet = json.loads((folder / "alphabet.json").read_text(encoding="utf-8"))
    (folder / "alphabet.json").write_text(json.dumps(alphabet[::-1]), encoding="utf-8")
    with pytest.raises(ConfigError, match="sha256"):
        load_text_model(folder)


def test_a_feature_spec_from_other_code_is_refused(sms_file: Path, tmp_path: Path) -> None:
    folder = train_sms_fraud(sms_file, tmp_path / "sms").folder
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["features"]["names"][-1] = "spec:0000000000000000"
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ConfigError, match="feature list"):
        load_text_model(folder)


def test_a_batch_gives_the_same_answers_as_single_texts(sms_file: Path, tmp_path: Path) -> None:
    model = load_text_model(train_sms_fraud(sms_file, tmp_path / "sms").folder)
    texts = [
        "您好，我是信贷专员，可为您办理无抵押贷款",
        "",
        "我是市公安局民警，请将钱转入安全账户\x1f配合调查",
        "【中国联通】话费余额DIGIT元",
    ]
    together = model.predict(texts)
    alone = [model.predict([t])[0] for t in texts]
    assert together == alone


def test_real_data_reaches_a_quality_floor(shared_data: Path, tmp_path: Path) -> None:
    source = shared_data / "telecom-fraud-texts" / "telecom_fraud_texts_utf8.csv"
    with source.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    data = tmp_path / "half.csv"  # every other row: the same distribution, half the time
    with data.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([rows[0], *rows[1::2]])
    report = train_sms_fraud(data, tmp_path / "sms")
    assert report.metrics["loan_fraud"]["f1"] >= 0.9
    assert report.metrics["fraud_vs_normal"]["f1"] >= 0.98
    assert report.metrics["style_probe"]["unchanged"] >= 0.99
