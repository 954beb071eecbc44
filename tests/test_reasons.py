"""The refusals' reasons in Chinese (nengtan.reasons): every reason the form and upload paths give for a catalogue
of bad rows — statements, economic data, readings, live readings — has its Chinese, and the Chinese carries the
row's own values."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nengtan.config import data_home, database_url
from nengtan.demo import SMALL, build_demo
from nengtan.ingest.files import import_file
from nengtan.ingest.validate import Catalog, Validator
from nengtan.reasons import in_chinese
from nengtan.registry.store import Registry
from nengtan.registry.tables.park import Enterprise, Meter

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def park(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    paths = data_home(tmp_path_factory.mktemp("reasons") / "home")
    reg = Registry.open(database_url(paths))
    build_demo(paths, reg, SMALL, minutes=60)
    yield paths, reg
    reg.close()


def _reasons(paths, reg, kind: str, text: str, allowed: set[str]) -> list[str]:  # type: ignore[no-untyped-def]
    f = Path(paths.home) / f"{kind}.csv"
    f.write_text(text, encoding="utf-8")
    return [i["reason"] for i in import_file(reg, paths, kind, f, allowed_usccs=allowed).to_dict()["issues"]]


def test_every_reason_of_the_form_and_upload_paths_has_its_chinese(park) -> None:  # type: ignore[no-untyped-def]
    paths, reg = park
    from sqlalchemy import select

    with reg.session() as s:
        a, b = s.execute(select(Enterprise.uscc).order_by(Enterprise.id).limit(2)).scalars().all()
        meter, unit = s.execute(select(Meter.code, Meter.unit).where(Meter.kind == "interval")).first()  # type: ignore[misc]
    activity = [
        "uscc,period,carrier,quantity,unit,feedstock_quantity",
        f"{a},2024-01,coal,1.5,t,", f"{a},2024-13,coal,1.5,t,", f"{a},2024-02,coal,abc,t,", f"{a},2024-04,coal,１２,t,",
        f"{a},2024-05,unobtainium,1,t,", f"{a},2024-06,coal,1,kWh,", f"{a},2024-07,coal,-1,t,",
        f"{a},2030-01,coal,1,t,",
        f"{a},2024-02,coal,\"1,5\",t,", "91320000MA1XXXXX0X,2024-01,coal,1,t,", "BADCODE,2024-01,coal,1,t,",
        f"{b},2024-01,coal,1,t,", f"{a},2024-01,coal,2,t,", f"{a},2024-08,coal,1,t,3", f"{a},2024-09,coal,,t,",
        f"{a},,coal,1,t,", f"{a},2024-10,,1,t,", f"{a},2024-11,coal,1,,"]
    economic = ["uscc,period,value_added,gross_output", f"{a},2024-01,x,1", f"{a},2024-13,1,1", f"{a},2024-02,-5,1",
                f"{a},2024-02,5,1", f"{a},2024-03,,1"]
    readings = ["meter_id,ts,value,unit,quality", "NOPE,2024-01-01T00:15:00+08:00,1,kWh,ok",
                f"{meter},yesterday,1,{unit},ok", f"{meter},2024-01-01T00:15:00+08:00,x,{unit},ok",
                f"{meter},2024-01-01T00:15:00+08:00,1,m3,ok", f"{meter},2024-01-01T00:15:00+08:00,1,{unit},weird",
                f"{meter},2024-01-01T00:22:00+08:00,1,{unit},ok", f"{meter},2099-01-01T00:15:00+08:00,1,{unit},ok",
                f"{meter},1999-01-01T00:15:00+08:00,1,{unit},ok"]
    reasons = (_reasons(paths, reg, "activity", "\n".join(activity) + "\n", {a})
               + _reasons(paths, reg, "economic", "\n".join(economic) + "\n", {a})
               + _reasons(paths, reg, "readings", "\n".join(readings) + "\n", {a}))
    # live readings (MQTT, HTTP gateways): the validator's own words
    live = Validator(Catalog.load(reg)).validate([
        {"meter": "NOPE", "ts": "2025-01-01T00:15:00+08:00", "value": 1.0},
        {"meter": meter, "ts": "someday", "value": 1.0},
        {"meter": meter, "ts": "2025-01-01T00:15:00+08:00", "value": "x"},
        {"meter": meter, "ts": "2025-01-01T00:15:00+08:00", "value": 1.0, "quality": "weird"},
        {"meter": meter, "ts": "2025-01-01T00:15:00+08:00", "value": 1.0, "unit": "m3"}, "not an object"])
    reasons += [r.reason for r in live.rejects]
    assert len(reasons) >= 35
    missing = [r for r in reasons if in_chinese(r) is None]
    assert not missing, f"reasons without their Chinese: {missing}"
    assert all(CJK.search(in_chinese(r) or "") for r in reasons)


@pytest.mark.parametrize(("reason", "zh"), [
    ("'abc' is not a number", "'abc' 不是数字"),
    ("period '2024-13' has month 13, expected 01-12", "统计期 “2024-13” 的月份为 13，应为 01–12"),
    ("unit 'kWh' does not fit coal (expected something convertible to t)",
     "计量单位 “kWh” 不适用于原煤（应可换算为 t）"),
    ("USCC '91320000MA1XXXXX0X' has check digit 'X', GB 32100-2015 gives 'Q'",
     "统一社会信用代码 “91320000MA1XXXXX0X” 的校验码为 “X”，按 GB 32100-2015 应为 “Q”"),
    ("differs from the stored 12.5 t (batch 1a2b3c4d); re-import with a correction reason to supersede it",
     "与已入库的 12.5 t（批次 1a2b3c4d）不同；如需更正，请填写更正原因后重新提交"),
    ("2025 of 91320115100079190E is signed off by a verifier; re-import with a correction reason to create a new "
     "version", "91320115100079190E 的 2025 年数据已经核查签署；如需更正，请填写更正原因，生成新版本"),
    ("meter E001-M: unit m3 does not fit electricity", "计量器具 E001-M：计量单位 m3 不适用于外购电力"),
])
def test_a_reason_and_its_chinese(reason: str, zh: str) -> None:
    assert in_chinese(reason) == zh


def test_a_reason_the_catalogue_does_not_know_is_none() -> None:
    assert in_chinese("the moon is made of cheese") is None
