"""Green power held on the platform (issue 11): certificates, contracts, claims, the park's order book, and the
append-only ledger every one of their events is a leaf of.

- ``gec_holding``: a range of GECs of one project, production month and class, held by one participant, in
  one status (nengtan.greenpower.gec); cancelling or trading part of a range splits it;
- ``green_contract``: a month of a green-power contract (绿电交易 or a PPA) with its bundled GECs;
  ``green_contract_profile``: its metered hourly delivery, when there is one;
- ``green_claim`` / ``green_claim_part``: a claim of green-power consumption by an enterprise for a month, and
  the GECs (by holding) it cancelled;
- ``green_order`` / ``green_trade``: the park's order book and its fills;
- ``ledger_entry``: the green-power ledger, append-only (the database refuses updates and deletes), each
  entry a leaf of an RFC 6962 Merkle tree (nengtan.engine.greenledger).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nengtan.registry.tables.base import Base, utc_now


class GecHolding(Base):
    """GECs ``first_seq``..``last_seq`` of one project-month-class code prefix, held by ``owner``."""

    __tablename__ = "gec_holding"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    head_code: Mapped[str] = mapped_column(String(32), index=True)  # the code of the first GEC
    project_code: Mapped[str] = mapped_column(String(17), index=True)
    energy_type: Mapped[str] = mapped_column(String(24))
    production_month: Mapped[dt.date] = mapped_column(Date)
    first_seq: Mapped[int] = mapped_column(Integer)
    last_seq: Mapped[int] = mapped_column(Integer)
    tradable: Mapped[bool] = mapped_column(Boolean)
    owner: Mapped[str] = mapped_column(String(40), index=True)  # an enterprise's USCC or a participant's code
    status: Mapped[str] = mapped_column(String(16))
    traded: Mapped[bool] = mapped_column(Boolean, default=False)
    origin: Mapped[str] = mapped_column(String(80))
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("green_contract.id"), nullable=True)
    split_from_id: Mapped[int | None] = mapped_column(ForeignKey("gec_holding.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class GreenContract(Base):
    """One month of a green-power contract between a generator and an enterprise."""

    __tablename__ = "green_contract"
    __table_args__ = (UniqueConstraint("number", "month"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(16))  # green_trade | ppa
    seller: Mapped[str] = mapped_column(String(200))
    project_code: Mapped[str] = mapped_column(String(17))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    month: Mapped[dt.date] = mapped_column(Date)
    mwh: Mapped[int] = mapped_column(Integer)
    price: Mapped[float | None] = mapped_column(Float, nullable=True)  # 元/MWh, energy and environment value
    shape: Mapped[str] = mapped_column(String(16))  # the hourly profile: flat | solar | wind
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class GreenContractProfile(Base):
    """A contract's metered delivery in one hour [kWh]: the hourly shape of its months' volumes."""

    __tablename__ = "green_contract_profile"
    __table_args__ = (UniqueConstraint("number", "hour"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(60))
    hour: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    kwh: Mapped[float] = mapped_column(Float)


class GreenClaim(Base):
    """An enterprise's claim of green-power consumption in one month, backed by cancelled GECs."""

    __tablename__ = "green_claim"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    mwh: Mapped[int] = mapped_column(Integer)
    ledger_seq: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class GreenClaimPart(Base):
    """The GECs of one holding a claim cancelled."""

    __tablename__ = "green_claim_part"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("green_claim.id"), index=True)
    holding_id: Mapped[int] = mapped_column(ForeignKey("gec_holding.id"), unique=True)
    mwh: Mapped[int] = mapped_column(Integer)


class GreenOrder(Base):
    """An order on the park's book."""

    __tablename__ = "green_order"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(40), index=True)
    side: Mapped[str] = mapped_column(String(4))
    product: Mapped[str] = mapped_column(String(16))
    price: Mapped[float] = mapped_column(Float)
    mwh: Mapped[int] = mapped_column(Integer)
    remaining: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))  # open | filled | cancelled
    holding_id: Mapped[int | None] = mapped_column(ForeignKey("gec_holding.id"), nullable=True)
    ccer_lot_id: Mapped[int | None] = mapped_column(ForeignKey("ccer_lot.id"), nullable=True)  # a CCER sell's lot
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class GreenTrade(Base):
    """A fill of two orders: a record of the trade, not a payment."""

    __tablename__ = "green_trade"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    buy_order_id: Mapped[int] = mapped_column(ForeignKey("green_order.id"), index=True)
    sell_order_id: Mapped[int] = mapped_column(ForeignKey("green_order.id"), index=True)
    product: Mapped[str] = mapped_column(String(16))
    mwh: Mapped[int] = mapped_column(Integer)
    price: Mapped[float] = mapped_column(Float)
    ledger_seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class LedgerEntry(Base):
    """One leaf of a Merkle-logged ledger: its position, kind and canonical JSON body."""

    __tablename__ = "ledger_entry"
    __table_args__ = (UniqueConstraint("log", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    log: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int] = mapped_column(Integer)  # 0-based leaf index
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(40), index=True)  # whose entry it is (a USCC, or "park")
    body: Mapped[str] = mapped_column(Text)
    leaf: Mapped[str] = mapped_column(String(64))  # hex of the leaf hash, kept to rebuild the tree quickly
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
