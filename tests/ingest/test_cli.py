"""The ingest CLI commands: clear one-line errors, real registry."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from nengtan.cli.ingest import register
from nengtan.identifiers import make_uscc
from nengtan.ingest.form205 import write_sample
from tests.ingest.conftest import make_park

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def cli(pg_url, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NENGTAN_DATABASE_URL", pg_url)
    monkeypatch.setenv("NENGTAN_HOME", str(tmp_path / "home"))
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_form205_and_quality_commands(cli, registry, tmp_path):  # type: ignore[no-untyped-def]
    park = make_park(registry, n_ent=1, meters_per_ent=1, gateways=False)
    f = write_sample(tmp_path / "s.xlsx", uscc=park.enterprises[0], period="2025-02")
    r = cli("ingest", "form205", str(f))
    assert r.exit_code == 0, r.output
    assert "Natural gas: 852,000.000 (of which raw-material use 320,000.000: 原料用能" in r.output  # (carriers named)
    assert "flag:" not in r.output  # the sample's coefficients are the library's
    r2 = cli("quality", "--year", "2025", "--month", "2", "--enterprise", park.enterprises[0])
    assert r2.exit_code == 0, r2.output
    assert "0/28" in r2.output  # no readings: no complete day out of 28


def test_user_mistakes_are_one_line(cli, tmp_path):  # type: ignore[no-untyped-def]
    f = write_sample(tmp_path / "s.xlsx", uscc=make_uscc("110000", 777), period="2025-02")
    for args, needle in [
        (("ingest", "form205", str(f)), "is not registered; import enterprises first"),
        (("ingest", "form205", str(tmp_path / "nope.xlsx")), "no such file"),
        (("quality", "--year", "2025", "--month", "13"), "--month 13 is not 1-12"),
        (("quality", "--year", "2025", "--enterprise", "123"), "has 3 characters"),
        (("ingest", "gateway-add", "GW-X", "--meter", "NO-SUCH"), "unknown meter 'NO-SUCH'"),
    ]:
        r = cli(*args)
        assert r.exit_code == 1, (args, r.output)
        assert needle in r.output and "Traceback" not in r.output
        assert len(r.output.strip().splitlines()) == 1, r.output


def test_a_mistake_names_the_domain_s_reason_in_chinese_too(cli, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NENGTAN_LANG", "zh")
    r = cli("quality", "--year", "2025", "--enterprise", "123")
    assert r.exit_code == 1 and r.output.strip() == "错误：--enterprise：统一社会信用代码 “123” 为 3 位，应为 18 位"
