"""The CLI in Chinese (nengtan.cli.help_zh): the language from NENGTAN_LANG or the locale, the top level's help and
the error lines in zh-CN."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from nengtan.cli import app
from nengtan.cli.help_zh import HELP, SUB_HELP, cli_lang


def _paths(command, path: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for name, sub in getattr(command, "commands", {}).items():
        key = f"{path} {name}".strip()
        out += [key, *_paths(sub, key)]
    return out


def _run(*args: str, lang: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NENGTAN_LANG": lang, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "nengtan.cli.entry", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_every_command_and_group_has_its_chinese_help() -> None:
    paths = _paths(typer.main.get_command(app))
    top = {p for p in paths if " " not in p}
    assert len(top) > 30 and len(paths) > 150
    assert sorted(top - set(HELP)) == [] and sorted(set(HELP) - top) == []
    assert sorted(set(paths) - top - set(SUB_HELP)) == [] and sorted(set(SUB_HELP) - set(paths)) == []


def test_the_language_comes_from_nengtan_lang_then_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("NENGTAN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert cli_lang() == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert cli_lang() == "zh"
    monkeypatch.setenv("LC_ALL", "C.UTF-8")  # LC_ALL wins over LANG
    assert cli_lang() == "en"
    monkeypatch.setenv("NENGTAN_LANG", "zh")
    assert cli_lang() == "zh"


def test_help_and_errors_in_chinese_and_in_english(tmp_path: Path) -> None:
    out = _run("--help", lang="zh").stdout
    assert "能碳 nengtan — 工业园区能源与碳排放核算" in out and HELP["inventory"] in out and HELP["alarms"] in out
    assert HELP["inventory"] not in _run("--help", lang="en").stdout
    assert SUB_HELP["greenpower gec stock"] in _run("greenpower", "gec", "--help", lang="zh").stdout
    home = str(tmp_path / "home")
    assert _run("init", "--home", home, lang="zh").returncode == 0
    zh = _run("inventory", "--year", "2025", "--home", home, lang="zh")
    assert zh.returncode == 2 and "错误：2025 年没有能耗数据：请先导入月度报表或计量读数" in zh.stderr
    en = _run("inventory", "--year", "2025", "--home", home, lang="en")
    assert en.returncode == 2 and "error: no energy data for 2025" in en.stderr
