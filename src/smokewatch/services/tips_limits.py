"""The portal's sliding-window limits kept in the store, so every portal process shares them.

:func:`hit` counts one request of a ``bucket`` (``submit``, ``lookup``, ``code``,
``challenge``) for a key and says whether it is allowed, in one transaction: on SQLite the
store's writes are serialised (``BEGIN IMMEDIATE``); on PostgreSQL a transaction-scoped
advisory lock per bucket and key makes the count and the insert one step, so two processes
cannot both take the last place. Keys arrive already hashed (the portal HMACs addresses, codes
and challenges): the store never holds a client address. Rows older than the window are
deleted as the bucket is checked.
"""

from __future__ import annotations

import hashlib
import time

import sqlalchemy as sa

from smokewatch.store.db import Store
from smokewatch.store.orm_tips import TipLimitHit


def _lock_id(bucket: str, key: str) -> int:
    digest = hashlib.sha256(f"{bucket}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def hit(
    store: Store, bucket: str, key: str, *, limit: int, window: float, now: float | None = None
) -> float | None:
    """Count one request; ``None`` if allowed, else the seconds until the next is allowed.

    A refused request is not counted (a client waiting out the window is let in on time).
    """
    moment = time.time() if now is None else now
    since = moment - window
    with store.unit_of_work() as session:
        if store.dialect == "postgresql":
            session.execute(sa.select(sa.func.pg_advisory_xact_lock(_lock_id(bucket, key))))
        session.execute(
            sa.delete(TipLimitHit).where(TipLimitHit.bucket == bucket, TipLimitHit.at <= since)
        )
        count, oldest = session.execute(
            sa.select(sa.func.count(), sa.func.min(TipLimitHit.at)).where(
                TipLimitHit.bucket == bucket, TipLimitHit.key == key, TipLimitHit.at > since
            )
        ).one()
        if int(count) >= limit:
            return max(0.0, window - (moment - float(oldest)))
        session.add(TipLimitHit(bucket=bucket, key=key, at=moment))
        return None


__all__ = ["hit"]
