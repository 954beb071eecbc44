"""The park's order book (its trading board) for green electricity, GECs, allowances of a compliance year
(``cea:<year>``) and CCERs: continuous double auction, price-time priority.

An incoming order meets the resting orders of the other side of the same product, best price first and, at one
price, oldest first; it trades while the prices cross (a buy at or above the sell), at the resting order's price
(the price that was on the book when the newcomer arrived). Quantities are whole MWh (a GEC is 1 MWh, and green
power is settled per MWh with its bundled GECs), or whole tonnes for allowances and CCERs (prices in 元/t). What is
left of the incoming order rests on the book.

This is the matching rule of exchanges' continuous trading (e.g. 上海证券交易所交易规则 3.4: 价格优先、时间优先; the
provincial power-trading centres' rolling matching of green-power listings follows the same principle). Pure: the
engine reads the book, calls :func:`match`, and records the fills and the remainders.
"""

from __future__ import annotations

from dataclasses import dataclass

from nengtan.errors import InputError

SIDES = ("buy", "sell")
PRODUCTS = ("gec", "green_power", "ccer")
"""The fixed products; allowances trade per compliance year as ``cea:<year>``."""


def known_product(product: str) -> bool:
    if product in PRODUCTS:
        return True
    head, _, year = product.partition(":")
    return head == "cea" and year.isdigit() and len(year) == 4


@dataclass(frozen=True)
class Order:
    id: int
    side: str  # buy | sell
    product: str  # gec | green_power | ccer | cea:<year>
    price: float  # 元/MWh (元/t for allowances and CCERs)
    mwh: int  # what remains to be filled (MWh, or t)
    owner: str  # the participant (an enterprise's USCC, or the agency's code)

    def __post_init__(self) -> None:
        if self.side not in SIDES:
            raise InputError(f"order side {self.side!r}: buy or sell")
        if not known_product(self.product):
            raise InputError(f"order product {self.product!r}: {', '.join(PRODUCTS)} or cea:<year>")
        if not self.price > 0 or self.price != self.price:
            raise InputError(f"order price {self.price}: a positive price in 元 per unit")
        if self.mwh < 1:
            raise InputError(f"order quantity {self.mwh}: at least 1 (MWh or t)")


@dataclass(frozen=True)
class Fill:
    buy_id: int
    sell_id: int
    mwh: int
    price: float


def _priority(o: Order) -> tuple[float, int]:
    """Best first: the highest buy, the lowest sell; at one price, the earlier order (lower id)."""
    return (-o.price if o.side == "buy" else o.price, o.id)


def match(book: list[Order], incoming: Order) -> tuple[list[Fill], int]:
    """Fills of ``incoming`` against ``book`` (the resting orders, any side or product) and what is left of it.

    A participant's order never trades with its own resting orders (they are passed over)."""
    other = "sell" if incoming.side == "buy" else "buy"
    resting = sorted((o for o in book if o.side == other and o.product == incoming.product and o.mwh > 0
                      and o.owner != incoming.owner), key=_priority)
    left = incoming.mwh
    fills: list[Fill] = []
    for o in resting:
        if left == 0:
            break
        crosses = incoming.price >= o.price if incoming.side == "buy" else incoming.price <= o.price
        if not crosses:
            break
        q = min(left, o.mwh)
        buy, sell = (incoming, o) if incoming.side == "buy" else (o, incoming)
        fills.append(Fill(buy.id, sell.id, q, o.price))
        left -= q
    return fills, left


def public_book(book: list[Order]) -> dict[str, dict[str, list[dict[str, float]]]]:
    """The book as everyone may see it: per product and side, the price levels and their MWh — no owners, no
    order ids (an enterprise sees its own orders apart, never another's positions)."""
    out: dict[str, dict[str, list[dict[str, float]]]] = {p: {"buy": [], "sell": []} for p in
                                                        sorted({*PRODUCTS, *(o.product for o in book)})}
    levels: dict[tuple[str, str, float], int] = {}
    for o in book:
        if o.mwh > 0:
            levels[(o.product, o.side, o.price)] = levels.get((o.product, o.side, o.price), 0) + o.mwh
    for (product, side, price), mwh in sorted(levels.items(), key=lambda kv: (kv[0][0], kv[0][1],
                                                                             -kv[0][2] if kv[0][1] == "buy"
                                                                             else kv[0][2])):
        out[product][side].append({"price": price, "mwh": float(mwh)})
    return out
