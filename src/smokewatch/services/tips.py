"""Public tips (举报): the form checked, the tip kept and processed, tracked by code.

A reporter submits a :class:`TipForm` (anonymous unless they leave a contact) with up to five
evidence files; :func:`submit_tip` checks every field (a :class:`TipRejected` lists the fields
and what is wrong with each, as codes the portal translates), checks the files
(:mod:`smokewatch.services.tips_uploads`), processes the tip
(:mod:`smokewatch.services.tips_processing`: reading, spam, duplicates, entity, routing) and
stores it in one transaction. The reporter receives a **tracking code** once: 20 characters
from a 31-letter alphabet without look-alikes (0/O, 1/I/L) — about 99 bits, shown in groups of
four; only its SHA-256 is stored, so the code cannot be recovered from the store.

With the code, :func:`track` shows the tip's public status, its public history and any reward
decision (never who handles it or what the other tips say); :func:`add_information` appends
text and files. Internal statuses map onto what the reporter sees (:data:`PUBLIC_STATUS`); a
tip held as spam reads "received", so senders learn nothing from it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smokewatch.errors import InvalidInput, NotFound
from smokewatch.model.vocab import get_vocabulary
from smokewatch.services import tips_processing as processing
from smokewatch.services.tips_uploads import CheckedFile, Upload, check_uploads, store_file
from smokewatch.store.db import Store
from smokewatch.store.orm_tips import RewardDecision, Tip, TipAttachment, TipEvent

ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""Tracking-code letters: digits and capitals without 0/O, 1/I/L."""
CODE_LENGTH: Final = 20
LIMITS: Final = {
    "target_name": 200,
    "target_url": 500,
    "target_wechat": 64,
    "target_phone": 32,
    "target_address": 300,
    "description": 5000,
    "contact": 200,
    "more": 5000,
}
"""Longest value of each text field (characters)."""
MAX_AMOUNT: Final = Decimal("1e12")
PUBLIC_STATUS: Final = {
    "received": "received",
    "spam": "received",
    "triaged": "under_review",
    "duplicate": "under_review",
    "converted": "case_opened",
    "dismissed": "closed_no_action",
    "closed": "closed",
}
"""What the reporter sees for each internal status."""
_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{4,20}$")
_WECHAT = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]{5,63}$")
_URL = re.compile(r"^(https?://)?[^\s/$.?#<>\"']+\.[^\s<>\"']+$", re.IGNORECASE)


class TipRejected(InvalidInput):
    """The form has errors: ``fields`` maps each wrong field to a code (``required`` …)."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = fields
        super().__init__("; ".join(f"{name}: {code}" for name, code in sorted(fields.items())))


@dataclass(frozen=True, slots=True)
class TipForm:
    """What the public form sends (strings as typed; checked by :func:`clean`)."""

    target_name: str
    description: str
    consent: bool
    target_url: str = ""
    target_wechat: str = ""
    target_phone: str = ""
    target_address: str = ""
    amount: str = ""
    happened_on: str = ""
    learnt_via: str = "other"
    contact: str = ""
    locale: str = "zh_CN"
    files: list[Upload] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Submitted:
    """A stored tip: the code to give the reporter (once) and what the public may know."""

    tip_id: str
    tracking_code: str
    status: str


def new_tracking_code() -> str:
    """A fresh tracking code, grouped by four: ``K7QM-…`` (about 99 bits)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def code_hash(code: str) -> str:
    """SHA-256 of a tracking code as typed (case, spaces and dashes do not matter).

    Raises:
        InvalidInput: not 20 letters of the alphabet.
    """
    compact = re.sub(r"[\s\-]", "", code).upper()
    if len(compact) != CODE_LENGTH or any(c not in ALPHABET for c in compact):
        raise InvalidInput("not a tracking code")
    return hashlib.sha256(compact.encode()).hexdigest()


def _text(value: str, name: str, errors: dict[str, str], *, required: bool = False) -> str | None:
    cleaned = value.replace("\x00", "").strip()
    if not cleaned:
        if required:
            errors[name] = "required"
        return None
    if len(cleaned) > LIMITS[name]:
        errors[name] = "too_long"
    return cleaned


def _amount(raw: str, errors: dict[str, str]) -> Decimal | None:
    value = raw.replace(",", "").replace("，", "").strip()
    if not value:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        errors["amount"] = "not_a_number"
        return None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        errors["amount"] = "out_of_range"
        return None
    return amount.quantize(Decimal("0.01"))


def _date(raw: str, errors: dict[str, str], today: date) -> date | None:
    if not raw.strip():
        return None
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        errors["happened_on"] = "not_a_date"
        return None
    if day > today or day.year < 1990:
        errors["happened_on"] = "out_of_range"
    return day


def clean(form: TipForm, today: date) -> dict[str, Any]:
    """The checked values of the form's fields.

    Raises:
        TipRejected: one or more fields are missing or wrong (all of them are listed).
    """
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "target_name": _text(form.target_name, "target_name", errors, required=True),
        "description": _text(form.description, "description", errors, required=True),
        "target_url": _text(form.target_url, "target_url", errors),
        "target_wechat": _text(form.target_wechat, "target_wechat", errors),
        "target_phone": _text(form.target_phone, "target_phone", errors),
        "target_address": _text(form.target_address, "target_address", errors),
        "contact": _text(form.contact, "contact", errors),
        "amount": _amount(form.amount, errors),
        "happened_on": _date(form.happened_on, errors, today),
    }
    checks = (("target_url", _URL), ("target_wechat", _WECHAT), ("target_phone", _PHONE))
    for name, pattern in checks:
        if values[name] and name not in errors and not pattern.match(values[name]):
            errors[name] = "invalid"
    channel = get_vocabulary("tip_channel").resolve(form.learnt_via or "other")
    if channel is None:
        errors["learnt_via"] = "invalid"
    values["learnt_via"] = channel or "other"
    if not form.consent:
        errors["consent"] = "required"
    if errors:
        raise TipRejected(errors)
    return values


def add_event(session: Session, tip: Tip, action: str, actor: str, at: datetime, **kw: Any) -> None:
    """Append a step to the tip's history (``public=True``: the reporter sees it)."""
    seq = session.execute(
        sa.select(sa.func.count()).select_from(TipEvent).where(TipEvent.tip_id == tip.id)
    ).scalar_one()
    public = bool(kw.pop("public", False))
    session.add(
        TipEvent(
            tip_id=tip.id,
            seq=int(seq) + 1,
            action=action,
            actor=actor,
            at=at,
            public=public,
            data=kw,
        )
    )


def _attach(
    session: Session, tip: Tip, files: list[CheckedFile], folder: Path, at: datetime
) -> None:
    known = set(
        session.scalars(sa.select(TipAttachment.sha256).where(TipAttachment.tip_id == tip.id))
    )
    for checked in files:
        store_file(folder, checked)
        if checked.sha256 in known:
            continue
        known.add(checked.sha256)
        session.add(
            TipAttachment(
                tip_id=tip.id,
                sha256=checked.sha256,
                size=checked.size,
                media_type=checked.media_type,
                original_name=checked.name,
                added_at=at,
            )
        )


def submit_tip(
    store: Store, form: TipForm, *, files_dir: Path, home_adcode: str | None = None
) -> Submitted:
    """Check, process and keep a tip; return its tracking code (shown once, stored hashed).

    ``home_adcode`` is the workspace's own division: it breaks ties between places of the same
    name and receives tips that name no place and no known entity.

    Raises:
        TipRejected: fields missing or wrong.
        InvalidInput: a file refused (type, size, content).
    """
    now = datetime.now(UTC)
    values = clean(form, now.date())
    files = check_uploads(form.files)
    description = values["description"]
    analysis = processing.analyse(description, home_adcode)
    spam = processing.spam_reasons(description, values["target_name"])
    key = processing.target_key(
        values["target_name"], values["target_url"], values["target_wechat"], values["target_phone"]
    )
    code = new_tracking_code()
    with store.unit_of_work() as session:
        entity = processing.resolve_target(session, values["target_name"])
        adcode, routed_by = processing.route(values["target_address"], entity, home_adcode)
        original = None if spam else processing.find_original(session, key, description, now)
        status = "spam" if spam else "duplicate" if original is not None else "received"
        tip = Tip(
            id="TIP-" + secrets.token_hex(6).upper(),
            tracking_hash=code_hash(code),
            status=status,
            target_key=key,
            locale=form.locale if form.locale in ("zh_CN", "en") else "zh_CN",
            adcode=adcode,
            agency_id=processing.agency_for(session, adcode),
            routed_by=routed_by,
            entity_id=entity.entity_id if entity else None,
            entity_name=entity.name if entity else None,
            duplicate_of=original.id if original is not None else None,
            spam_reasons=spam,
            risk_score=float(analysis.get("risk_score") or 0.0),
            analysis=analysis,
            case_id=None,
            submitted_at=now,
            updated_at=now,
            **values,
        )
        session.add(tip)
        session.flush()
        _attach(session, tip, files, files_dir, now)
        add_event(session, tip, "submitted", "public", now, public=True, files=len(files))
        add_event(
            session,
            tip,
            "processed",
            "system",
            now,
            status=status,
            adcode=adcode,
            routed_by=routed_by,
            agency_id=tip.agency_id,
            entity_id=tip.entity_id,
            duplicate_of=tip.duplicate_of,
            spam_reasons=spam,
        )
        return Submitted(tip.id, code, PUBLIC_STATUS[status])


def _by_code(session: Session, code: str) -> Tip:
    tip = session.scalars(sa.select(Tip).where(Tip.tracking_hash == code_hash(code))).first()
    if tip is None:
        raise NotFound("no tip with this tracking code")
    return tip


def public_view(session: Session, tip: Tip) -> dict[str, Any]:
    """What the holder of the code may see: status, public history, the reward decision."""
    events = session.scalars(
        sa.select(TipEvent)
        .where(TipEvent.tip_id == tip.id, TipEvent.public.is_(True))
        .order_by(TipEvent.seq)
    ).all()
    reward = session.get(RewardDecision, tip.id)
    files = session.scalar(
        sa.select(sa.func.count()).select_from(TipAttachment).where(TipAttachment.tip_id == tip.id)
    )
    return {
        "status": PUBLIC_STATUS[tip.status],
        "submitted_at": tip.submitted_at.isoformat(),
        "updated_at": tip.updated_at.isoformat(),
        "target_name": tip.target_name,
        "files": int(files or 0),
        "history": [
            {"action": e.action, "at": e.at.isoformat(), "message": e.data.get("message")}
            for e in events
        ],
        "reward": None
        if reward is None
        else {
            "amount": str(reward.awarded),
            "reason": reward.reason,
            "decided_at": reward.decided_at.isoformat(),
            "payment_status": reward.payment_status,
        },
    }


def track(store: Store, code: str) -> dict[str, Any]:
    """The public view of the tip behind a tracking code.

    Raises:
        InvalidInput: not a tracking code; NotFound: no tip has it.
    """
    with store.unit_of_work() as session:
        return public_view(session, _by_code(session, code))


def add_information(
    store: Store, code: str, text: str, files: list[Upload], *, files_dir: Path
) -> dict[str, Any]:
    """Append the reporter's further information (text and/or files) to their tip.

    Raises:
        TipRejected: nothing given, or the text too long; InvalidInput: a file refused;
        NotFound: no tip has the code.
    """
    errors: dict[str, str] = {}
    more = _text(text, "more", errors)
    checked = check_uploads(files)
    if more is None and not checked and not errors:
        errors["more"] = "required"
    if errors:
        raise TipRejected(errors)
    now = datetime.now(UTC)
    with store.unit_of_work() as session:
        tip = _by_code(session, code)
        _attach(session, tip, checked, files_dir, now)
        add_event(
            session,
            tip,
            "information_added",
            "public",
            now,
            public=True,
            text=more,
            files=len(checked),
        )
        tip.updated_at = now
        return public_view(session, tip)


__all__ = [
    "ALPHABET",
    "CODE_LENGTH",
    "LIMITS",
    "PUBLIC_STATUS",
    "Submitted",
    "TipForm",
    "TipRejected",
    "add_event",
    "add_information",
    "clean",
    "code_hash",
    "new_tracking_code",
    "public_view",
    "submit_tip",
    "track",
]
