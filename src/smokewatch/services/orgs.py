"""The register of licensed local financial organisations, and the exits being worked through.

``organisations`` lists the register with each organisation's latest report and latest rating
(``SW-S-0003``). ``exits`` follows the institutions in exit (status ``exiting``/``exited``, and
every online-lending institution) from their latest report on or before a day: how much of
what lenders were owed has been repaid, how many lenders were repaid in full, and the flag the
leadership asks about — **exited but not cleared** (已退出未清零): the register says exited while
money is still owed to lenders.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from smokewatch.engine import Engine
from smokewatch.errors import InvalidInput
from smokewatch.services.workspace import open_engine
from smokewatch.settings import Settings

EXIT_STATUSES = ("exiting", "exited", "lost_contact", "revoked")


@dataclass(frozen=True, slots=True)
class ExitProgress:
    """Where one institution's exit stands."""

    org_id: str
    name: str
    uscc: str
    kind: str
    status: str
    adcode: str | None
    period_end: date | None
    """Latest report used (``None``: the institution never reported)."""
    outstanding: float | None
    """Still owed to lenders at that date, yuan."""
    repaid: float | None
    """Repaid to lenders so far, yuan."""
    repaid_share: float | None
    """repaid / (repaid + outstanding)."""
    lenders_left: int | None
    lenders_repaid: int | None
    lenders_repaid_share: float | None
    exited_not_cleared: bool
    """Registered as exited while money is still owed to lenders."""
    no_report: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


def exits(settings: Settings, *, as_of: date | None = None) -> list[ExitProgress]:
    """Every institution in exit, most still owed first.

    Raises:
        InvalidInput: the workspace has no register of local organisations.
    """
    with open_engine(settings) as engine:
        if not engine.has_table("local_org"):
            raise InvalidInput("no register of local financial organisations (ingest local_org)")
        orgs = _exit_orgs(engine)
        reports = _latest_reports(engine, as_of) if engine.has_table("org_report") else {}
    found = [_progress(org, reports.get(org["uscc"])) for org in orgs]
    return sorted(found, key=lambda e: (-(e.outstanding or 0.0), e.name))


def _exit_orgs(engine: Engine) -> list[dict[str, Any]]:
    o = engine.table("local_org")
    chosen = o.filter(o.status.isin(list(EXIT_STATUSES)) | (o.kind == "online_lending_exit"))
    rows: list[dict[str, Any]] = engine.to_arrow(
        chosen.select("id", "name", "uscc", "kind", "status", "adcode"), step="exits"
    ).to_pylist()
    return rows


def _latest_reports(engine: Engine, as_of: date | None) -> dict[str, dict[str, Any]]:
    r = engine.table("org_report")
    if as_of is not None:
        r = r.filter(r.period_end <= as_of)
    rows = engine.to_arrow(
        r.select(
            "org_uscc",
            "period_end",
            "outstanding_balance",
            "repaid_to_lenders",
            "lenders",
            "lenders_repaid",
        ),
        step="exits",
    ).to_pylist()
    latest: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen = latest.get(row["org_uscc"])
        if seen is None or row["period_end"] > seen["period_end"]:
            latest[row["org_uscc"]] = row
    return latest


def _share(part: float | None, other: float | None) -> float | None:
    if part is None or other is None or part + other <= 0:
        return None
    return part / (part + other)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _progress(org: dict[str, Any], report: dict[str, Any] | None) -> ExitProgress:
    outstanding = _number(report["outstanding_balance"]) if report else None
    repaid = _number(report["repaid_to_lenders"]) if report else None
    left = report["lenders"] if report else None
    done = report["lenders_repaid"] if report else None
    owed = (outstanding or 0.0) > 0 or (left or 0) > 0
    return ExitProgress(
        org_id=org["id"],
        name=org["name"],
        uscc=org["uscc"],
        kind=org["kind"],
        status=org["status"],
        adcode=org["adcode"],
        period_end=report["period_end"] if report else None,
        outstanding=outstanding,
        repaid=repaid,
        repaid_share=_share(repaid, outstanding),
        lenders_left=left,
        lenders_repaid=done,
        lenders_repaid_share=_share(
            float(done) if done is not None else None, float(left) if left is not None else None
        ),
        exited_not_cleared=org["status"] == "exited" and owed,
        no_report=report is None,
    )


__all__ = ["EXIT_STATUSES", "ExitProgress", "exits"]
