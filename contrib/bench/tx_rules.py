"""Transfer typology rules against AMLSim's labels, and the runtime of ``tx detect``.

Runs the real command (``smokewatch tx detect``) on ``DIR/transactions.csv.gz`` — it never
reads the labels — then compares ``FINDINGS.csv`` with ``DIR/alert_accounts.csv`` at the
account level, per typology:

* **alerts found**: alerts of the typology with at least one member account flagged by the
  typology's rule (the rule names one account per pattern, e.g. the fan-in hub);
* **subject recall**: member accounts flagged as subjects by the typology's rule;
* **involved recall**: member accounts flagged, or named among a finding's counterparties;
* **precision**: flagged subjects that are members of any SAR alert (a fan-in rule flagging a
  scatter-gather target is right about the account), and of the rule's own typology.

Rules without an AMLSim typology (Ponzi payouts, pass-through, loan fees) report how many
accounts they flag and how many of those are SAR members. Wall time and peak memory (RSS of
the child process) are measured around the command.

    .venv/bin/python contrib/bench/tx_rules.py --data ../shared/data/amlsim/ews62k
    .venv/bin/python contrib/bench/tx_rules.py --data ../shared/data/amlsim/ews12k \
        --engine 'spark://local[2]'
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
BIN = Path(sys.executable).parent

TYPOLOGY = {
    "SW-R-0301": "fan_in",
    "SW-R-0304": "fan_out",
    "SW-R-0305": "scatter_gather",
    "SW-R-0306": "gather_scatter",
    "SW-R-0307": "cycle",
}
"""The AMLSim typology each structural rule looks for; the others have none in AMLSim."""


def run_detect(data: Path, out: Path, engine: str | None) -> dict[str, Any]:
    findings = out / f"FINDINGS-{data.name}-{'spark' if engine else 'duckdb'}.csv"
    command = [
        str(BIN / "smokewatch"),
        "--no-progress",
        "tx",
        "detect",
        "--transactions",
        str(data / "transactions.csv.gz"),
        "--out",
        str(findings),
        "--json",
    ]
    if engine:
        command += ["--engine", engine]
    started = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report = json.loads(done.stdout)
    return {"findings": findings, "wall_s": seconds, "peak_rss_mb": peak_mb, "report": report}


def labels(data: Path) -> tuple[dict[str, set[str]], dict[str, dict[str, set[str]]]]:
    members: dict[str, set[str]] = defaultdict(set)
    alerts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    with (data / "alert_accounts.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            members[row["alert_type"]].add(row["acct_id"])
            alerts[row["alert_type"]][row["alert_id"]].add(row["acct_id"])
    return members, alerts


def score(findings: Path, data: Path) -> dict[str, Any]:
    members, alerts = labels(data)
    sar = set().union(*members.values())
    subjects: dict[str, set[str]] = defaultdict(set)
    involved: dict[str, set[str]] = defaultdict(set)
    with findings.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            subjects[row["rule"]].add(row["account"])
            involved[row["rule"]].add(row["account"])
            involved[row["rule"]].update(c for c in row["counterparties"].split(";") if c)
    rules: dict[str, Any] = {}
    for rule in sorted(set(subjects) | set(TYPOLOGY)):
        flagged = subjects.get(rule, set())
        entry: dict[str, Any] = {
            "flagged": len(flagged),
            "precision_any_sar": _share(len(flagged & sar), len(flagged)),
        }
        typology = TYPOLOGY.get(rule)
        if typology:
            own = members[typology]
            found = sum(1 for accts in alerts[typology].values() if accts & flagged)
            entry.update(
                typology=typology,
                precision_own_typology=_share(len(flagged & own), len(flagged)),
                alerts_found=f"{found}/{len(alerts[typology])}",
                alert_recall=_share(found, len(alerts[typology])),
                subject_recall=_share(len(flagged & own), len(own)),
                involved_recall=_share(len(involved[rule] & own), len(own)),
                involved_precision=_share(len(involved[rule] & sar), len(involved[rule])),
            )
        rules[rule] = entry
    every = set().union(*subjects.values()) if subjects else set()
    union = {t: _share(len(every & m), len(m)) for t, m in sorted(members.items())}
    return {
        "rules": rules,
        "any_rule_subject_recall": union,
        "any_rule_precision": _share(len(every & sar), len(every)),
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "amlsim" / "ews12k")
    parser.add_argument("--engine", default=None, help="e.g. spark://local[2]")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    run = run_detect(args.data, args.out, args.engine)
    result = {
        "data": args.data.name,
        "engine": run["report"]["engine"],
        "transfers": run["report"]["rows_loaded"],
        "wall_s": round(run["wall_s"], 1),
        "steps_s": run["report"]["seconds"],
        "transfers_per_s": round(run["report"]["rows_loaded"] / run["wall_s"]),
        "peak_rss_mb": round(run["peak_rss_mb"]),
        **score(run["findings"], args.data),
    }
    target = args.out / f"tx-rules-{args.data.name}-{result['engine']}.json"
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
