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
from nengtan.cli.options_zh import OPTION_HELP, english_helps


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


def test_every_options_help_has_its_chinese() -> None:
    helps = set(english_helps(typer.main.get_command(app)))
    assert len(helps) > 250
    assert sorted(helps - set(OPTION_HELP)) == []  # an option's English help without its Chinese
    assert sorted(set(OPTION_HELP) - helps) == []  # a Chinese help whose English is no longer used


def test_a_commands_help_screen_in_chinese_and_in_english() -> None:
    zh = _run("inventory", "--help", lang="zh").stdout
    assert "用法：nengtan inventory [选项]" in zh and "选项" in zh and "显示本帮助并退出。" in zh
    assert OPTION_HELP["Calendar year (Asia/Shanghai)."] in zh and "[必填]" in zh and "[默认：park]" in zh
    assert "Options" not in zh and "Usage" not in zh and "Calendar year" not in zh
    en = _run("inventory", "--help", lang="en").stdout
    assert "Usage: nengtan inventory [OPTIONS]" in en and "Calendar year (Asia/Shanghai)." in en and "用法" not in en
    group = _run("targets", "--help", lang="zh").stdout
    assert "用法：nengtan targets [选项] 命令 [参数]..." in group and "命令" in group and "Commands" not in group


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


def test_import_quarantine_and_inventory_print_in_the_clis_language(tmp_path: Path) -> None:
    home = str(tmp_path / "home")
    examples = Path(__file__).resolve().parents[1] / "docs" / "examples"
    assert _run("init", "--home", home, lang="en").returncode == 0
    assert _run("import", "enterprises", str(examples / "enterprises.csv"), "--home", home, lang="en").returncode == 0
    f = tmp_path / "a.csv"
    f.write_text("uscc,period,carrier,quantity,unit\n91320115000001230J,2025-01,electricity,10000,kWh\n"
                 "91320115000001230J,2025-02,electricity,abc,kWh\n", encoding="utf-8")
    imported = _run("import", "activity", str(f), "--home", home, lang="zh")
    assert "a.csv：导入 1 行，0 行重复未变，1 行隔离" in imported.stdout
    assert "a.csv:3：数量列：'abc' 不是数字" in imported.stderr
    held = _run("quarantine", "--home", home, lang="zh").stdout
    assert "隔离区（1 行）" in held and "原因" in held and "'abc' 不是数字" in held and "reason" not in held
    zh = _run("inventory", "--year", "2025", "--home", home, lang="zh").stdout
    # 10 000 kWh × 0.1229 kgce/kWh (GB/T 2589-2020 附录A 表A.1, 电力当量值) = 1.229 tce, printed to two places
    assert "能源与碳排放清单 — park，2025" in zh and "综合能耗（当量值）" in zh and "外购电力" in zh and "1.23" in zh
    assert "因子集 cn@" in zh and "Energy (calorific)" not in zh and "By carrier" not in zh
    # the factor set's time-matching and the grid fall-back are said in Chinese too (FactorSet.basis_zh, note_zh)
    assert "因子：2025 年活动数据：采用" in zh and "年电网排放因子" in zh and "无此因子，改用 national 的" in zh
    assert "activity:" not in zh and "fell back" not in zh and "万元 (未填报)" in zh and "none reported" not in zh
    en = _run("inventory", "--year", "2025", "--home", home, lang="en").stdout
    assert "Inventory — park, 2025" in en and "Energy (calorific)" in en and "factor set cn@" in en
    assert "factors: 2025 activity:" in en and "fell back from" in en
    assert "综合能耗（当量值）" not in en and "外购电力" not in en


def test_every_command_line_mistake_has_its_chinese() -> None:
    import ast

    bare = []
    for path in sorted((Path(__file__).resolve().parents[1] / "nengtan" / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "UserError":
                passes_on = (len(node.args) == 1 and isinstance(node.args[0], ast.Call)
                             and getattr(node.args[0].func, "id", None) == "str")  # a domain error, Chinese already
                if len(node.args) + len(node.keywords) < 2 and not passes_on:
                    bare.append(f"{path.name}:{node.lineno}")
    assert bare == []


def test_parse_errors_and_mistakes_in_chinese(tmp_path: Path) -> None:
    from nengtan.cli.options_zh import parse_error_in_chinese

    assert parse_error_in_chinese("No such option: --bogus") == "没有这个选项：--bogus"
    assert parse_error_in_chinese("Missing option '--year' / '-y'.") == "缺少选项 '--year' / '-y'。"
    assert parse_error_in_chinese("Invalid value for '--year' / '-y': Input should be a valid integer, unable to "
                                  "parse string as an integer") == "'--year' / '-y' 的值无效：须为整数"
    assert parse_error_in_chinese("No such command 'inventorx'. Did you mean 'inventory'?") == (
        "没有这个命令：'inventorx'。是否想用 inventory？")
    assert parse_error_in_chinese("something else") == "something else"
    zh = _run("inventory", "--year", "abc", lang="zh")
    assert zh.returncode == 2 and "'--year' / '-y' 的值无效：须为整数" in zh.stderr and "Invalid value" not in zh.stderr
    en = _run("inventory", "--year", "abc", lang="en")
    assert "Invalid value for '--year'" in en.stderr
    home = str(tmp_path / "home")
    mistake = _run("import", "gadgets", str(tmp_path / "x.csv"), "--home", home, lang="zh")
    assert mistake.returncode == 2 and "错误：未知的导入类型 'gadgets'：请使用" in mistake.stderr


def test_every_cli_message_has_the_same_fields_in_both_languages() -> None:
    from string import Formatter

    from nengtan.cli.say import MESSAGES

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in Formatter().parse(text) if name}

    assert len(MESSAGES) > 40
    assert {key: (fields(en), fields(zh)) for key, (en, zh) in MESSAGES.items() if fields(en) != fields(zh)} == {}
    assert [key for key, (_, zh) in MESSAGES.items() if zh.isascii()] == []  # each has its Chinese


def test_every_command_table_is_the_folding_one() -> None:
    """The CLI's tables are nengtan.cli.common.Table (a long Chinese cell folds, a figure keeps its width): no module
    builds Rich's own."""
    from pathlib import Path

    import nengtan.cli

    modules = Path(nengtan.cli.__file__).parent.glob("*.py")
    assert [m.name for m in modules if "from rich.table import" in m.read_text(encoding="utf-8")] == []
