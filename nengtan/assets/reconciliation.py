"""Reconciling a third-party verification (碳核查) with the platform's inventory of the same locked year, pure.

For each carrier (or emission source) both state an activity quantity A and an emission factor F (tCO2 per
unit), so emissions E = A · F. The difference E_v − E_p of the verified (v) and platform (p) figures is split
exactly into an activity part and a factor part:

    E_v − E_p = (A_v − A_p) · F_p  +  A_v · (F_v − F_p)

(the activity difference at the platform's factor, then the factor difference on the verified activity). A
carrier only one side states is all activity (the other side's A is 0). A source stated as emissions only (a
process item: activity None, `factor` holding its tonnes) differs as a whole. Each line says which part explains
it.
"""

from __future__ import annotations

from dataclasses import dataclass

from nengtan.i18n import Both, pair


@dataclass(frozen=True)
class Line:
    carrier: str
    activity: float | None  # in the carrier's canonical unit; None: stated as emissions only
    factor: float  # tCO2 per unit (with activity None: the tonnes)

    @property
    def emissions_t(self) -> float:
        return self.factor if self.activity is None else self.activity * self.factor


@dataclass(frozen=True)
class Difference:
    carrier: str
    platform_t: float
    verified_t: float
    activity_part_t: float
    factor_part_t: float
    explanation: str
    explanation_zh: str

    @property
    def difference_t(self) -> float:
        return self.verified_t - self.platform_t


def _joined(parts: list[tuple[str, str]]) -> tuple[str, str]:
    """Notes said one after another (English "; ", Chinese "；"); none: the figures agree."""
    if not parts:
        return pair("note.reconcile:agrees")
    en, zh = parts[0]
    for e, z in parts[1:]:
        en, zh = pair("note.reconcile:join", first=Both(en, zh), then=Both(e, z))
    return en, zh


def reconcile(platform: list[Line], verified: list[Line], tolerance_t: float = 0.5) -> list[Difference]:
    """Per carrier, the two figures and the difference split into its activity and factor parts, each explained in
    English and Chinese (the message catalogue's ``note.reconcile:*``)."""
    p = {x.carrier: x for x in platform}
    v = {x.carrier: x for x in verified}
    out = []
    for c in sorted(set(p) | set(v)):
        lp, lv = p.get(c, Line(c, 0.0, 0.0)), v.get(c, Line(c, 0.0, 0.0))
        one_side = ([pair("note.reconcile:platform_only")] if c not in v else
                    [pair("note.reconcile:verifier_only")] if c not in p else [])
        if lp.activity is None or lv.activity is None:
            d = lv.emissions_t - lp.emissions_t
            why = [*one_side, pair("note.reconcile:emissions", platform=lp.emissions_t, verified=lv.emissions_t)]
            out.append(Difference(c, lp.emissions_t, lv.emissions_t, d, 0.0,
                                  *_joined(why if abs(d) > tolerance_t else [])))
            continue
        factor_p = lp.factor if c in p else lv.factor
        activity_part = (lv.activity - lp.activity) * factor_p
        factor_part = lv.activity * (lv.factor - factor_p)
        why = list(one_side)
        if abs(activity_part) > tolerance_t:
            why.append(pair("note.reconcile:activity", platform=lp.activity, verified=lv.activity, part=activity_part))
        if abs(factor_part) > tolerance_t:
            why.append(pair("note.reconcile:factor", platform=factor_p, verified=lv.factor, part=factor_part))
        out.append(Difference(c, lp.emissions_t, lv.emissions_t, activity_part, factor_part, *_joined(why)))
    return out
