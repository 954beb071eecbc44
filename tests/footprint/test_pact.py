"""PACT 3.0 documents: written valid, read back the same, and a non-conforming one refused with its problem."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from nengtan.footprint.pact import Footprint, PactError, decimal, from_pact, problems, to_pact, validate

FP = Footprint(pf_id="3f0c8d6e-1b2a-4c5d-9e8f-7a6b5c4d3e2f", created=dt.datetime(2026, 12, 3, 1, 2, 3, tzinfo=dt.UTC),
               company_name="南京诚信电气科技有限公司", uscc="91320115100475142W", product="cell",
               product_name="电池片 PV cell", declared_unit="m2", total_kgco2e=49.3427, fossil_kgco2e=49.3427,
               biogenic_kgco2e=0.0, reference_year=2025, primary_data_share=0.973,
               dqi={"technological": 1.25, "geographical": 1.5, "temporal": 1.0, "reliability": 2.0,
                    "completeness": 1.0},
               database="nengtan-bg@9c0c6ff3", model="cell@4f751873",
               verification={"provider": "certification body DEMO-CB", "completed_at": "2026-12-03T00:00:00Z"})


def test_export_is_valid_and_states_the_engine_figures() -> None:
    doc = to_pact(FP)
    assert problems(doc) == []
    pcf = doc["pcf"]
    assert doc["specVersion"] == "3.0.0" and doc["status"] == "Active"
    assert doc["companyIds"] == ["urn:cn:uscc:91320115100475142W"]
    assert pcf["declaredUnitOfMeasurement"] == "square meter" and pcf["declaredUnitAmount"] == "1"
    assert pcf["pcfIncludingBiogenicUptake"] == "49.3427" == pcf["pcfExcludingBiogenicUptake"]
    assert pcf["fossilGhgEmissions"] == "49.3427"
    assert pcf["primaryDataShare"] == "97.3"  # percent (PACT Methodology 4.2.2)
    assert pcf["dqi"] == {"technologicalDQR": "1.25", "geographicalDQR": "1.5", "temporalDQR": "1"}
    assert pcf["referencePeriodStart"] == "2025-01-01T00:00:00Z" and pcf["referencePeriodEnd"] == "2026-01-01T00:00:00Z"
    assert pcf["ipccCharacterizationFactors"] == ["AR6"] and "ISO14067" in pcf["crossSectoralStandards"]
    assert pcf["verification"]["providerName"] == "certification body DEMO-CB"


def test_round_trip() -> None:
    doc = json.loads(json.dumps(to_pact(FP)))
    back = from_pact(doc)
    assert (back.pf_id, back.product, back.declared_unit, back.reference_year) == (FP.pf_id, "cell", "m2", 2025)
    assert back.total_kgco2e == pytest.approx(FP.total_kgco2e, rel=1e-12)
    assert back.primary_data_share == pytest.approx(0.973)
    assert back.verified_by == "certification body DEMO-CB"


def test_biogenic_uptake_is_apart() -> None:
    """Including uptake = the total; excluding it = total − uptake (uptake ≤ 0): 10 − (−4) = 14."""
    fp = dataclasses.replace(FP, total_kgco2e=10.0, fossil_kgco2e=12.0, biogenic_kgco2e=-2.0,
                             biogenic_uptake_kgco2e=-4.0)
    pcf = to_pact(fp)["pcf"]
    assert (pcf["pcfIncludingBiogenicUptake"], pcf["pcfExcludingBiogenicUptake"], pcf["biogenicCO2Uptake"]) == \
        ("10", "14", "-4")


def test_rated_power_travels_as_a_piece_and_comes_back_per_kwp() -> None:
    doc = to_pact(dataclasses.replace(FP, product="module_w", declared_unit="kWp", total_kgco2e=248.99))
    assert doc["pcf"]["declaredUnitOfMeasurement"] == "piece" and doc["pcf"]["productMassPerDeclaredUnit"] == "0"
    assert "1 kWp of rated power" in doc["productDescription"]
    assert from_pact(doc).declared_unit == "kWp"


def test_tonnes_are_1000_kilogram() -> None:
    pcf = to_pact(dataclasses.replace(FP, declared_unit="t", total_kgco2e=1234.5))["pcf"]
    assert (pcf["declaredUnitOfMeasurement"], pcf["declaredUnitAmount"], pcf["productMassPerDeclaredUnit"]) == \
        ("kilogram", "1000", "1000")


def test_a_foreign_document_without_nengtan_extension() -> None:
    doc = to_pact(FP)
    del doc["extensions"]
    doc["pcf"]["declaredUnitOfMeasurement"], doc["pcf"]["declaredUnitAmount"] = "kilogram", "2"
    assert from_pact(doc).declared_unit == "2 kg"


@pytest.mark.parametrize(("change", "where"), [
    (lambda d: d.pop("companyIds"), "(document): 'companyIds' is a required property"),
    (lambda d: d.__setitem__("id", "not-a-uuid"), "id: 'not-a-uuid' is not a 'uuid'"),
    (lambda d: d["pcf"].__setitem__("pcfIncludingBiogenicUptake", "1e3"), "pcf/pcfIncludingBiogenicUptake"),
    (lambda d: d["pcf"].__setitem__("fossilGhgEmissions", 12.5), "pcf/fossilGhgEmissions: 12.5 is not of type"),
    (lambda d: d["pcf"].__setitem__("declaredUnitOfMeasurement", "watt"), "pcf/declaredUnitOfMeasurement"),
    (lambda d: d["pcf"].__setitem__("geographyRegionOrSubregion", "Eastern Asia"), "pcf: "),
    (lambda d: d.__setitem__("created", "2026-13-01T00:00:00Z"), "created: "),
    (lambda d: d["pcf"].__setitem__("primaryDataShare", "120"), "pcf/primaryDataShare"),
    (lambda d: d.__setitem__("companyIds", ["uscc:913201"]), "companyIds/0"),
])
def test_non_conforming_documents_are_refused_with_the_problem(change: Any, where: str) -> None:
    doc = to_pact(FP)
    change(doc)
    found = problems(doc)
    assert any(p.startswith(where) or where in p for p in found), found
    with pytest.raises(PactError, match=r"is not a PACT 3\.0\.0 ProductFootprint"):
        validate(doc)
    with pytest.raises(PactError):
        from_pact(doc)


def test_decimals_are_plain() -> None:
    assert decimal(1e-7) == "0" and decimal(2.5e-5) == "0.000025" and decimal(1234567.0) == "1234567"
    assert Decimal(decimal(0.1 + 0.2)) == Decimal("0.3")
    assert decimal(-0.0) == "0"
