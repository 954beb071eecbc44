"""The service's error messages in Chinese (nengtan.messages): every thing the engine says is not found has its
Chinese noun, and the common messages read in Chinese with their own values."""

from __future__ import annotations

import re
from pathlib import Path

from nengtan.messages import NOUNS, error_in_chinese

PKG = Path(__file__).resolve().parent.parent / "nengtan"
NOT_FOUND = re.compile(r"(?:NotFoundError|not_found)\(f?[\"']([A-Za-z][A-Za-z ]*?) [{'\"]")
"""A not-found message that begins with words and then a value: ``NotFoundError(f"enterprise {uscc}")``."""
SENTENCES = ("no ", "the ", "data for ")
"""Not-found messages that are whole sentences, in nengtan.messages.PATTERNS, not ``<noun> <id>``."""


def test_every_noun_the_engine_says_is_not_found_has_its_chinese() -> None:
    nouns = {m.group(1) for f in PKG.rglob("*.py") for m in NOT_FOUND.finditer(f.read_text(encoding="utf-8"))}
    nouns = {re.sub(r" (of|for)$", "", n) for n in nouns if not n.startswith(SENTENCES)}
    assert {"enterprise", "meter", "footprint", "certificate"} <= nouns  # the scan finds them
    assert sorted(n for n in nouns if n not in NOUNS) == []


def test_common_messages_in_chinese_with_their_values() -> None:
    assert error_in_chinese(404, "enterprise 91320115100079190E") == "未找到企业：91320115100079190E"
    assert error_in_chinese(404, "meter E001-M of enterprise 913201151000") == \
        "未找到计量器具：E001-M，企业 913201151000"
    assert error_in_chinese(404, "no energy data for enterprise:9132 in 2031: import statements or readings first") \
        == "企业 9132（2031）没有能耗数据：请先导入月度报表或计量读数"
    assert error_in_chinese(404, "no energy data for the park in 2031-Q1: import statements or readings first") \
        == "园区（2031-Q1）没有能耗数据：请先导入月度报表或计量读数"
    assert error_in_chinese(404, "upload 7 of enterprise 9132 not found or not accessible to you") == \
        "未找到上传文件：7，企业 9132（或无权查看）"
    assert error_in_chinese(404, "no such resource: /api/x") == "没有这个地址：/api/x"
    assert error_in_chinese(500, "internal error; the administrator can find it in the server log") == \
        "服务内部错误，管理员可在服务日志中查到详情"
    assert error_in_chinese(422, "'abc' is not a number") == "'abc' 不是数字"  # a refused value (nengtan.reasons)
    assert error_in_chinese(403, "only a verifier signs an enterprise-year off") == \
        "只有核查机构可以签署确认企业年度数据"
    assert error_in_chinese(403, "a refusal the catalogue does not hold") == "没有权限执行此操作"
    assert error_in_chinese(409, "something the catalogue does not hold") is None
    # a not-found message's tail after the identifier is said too (the catalogue's error.join)
    assert error_in_chinese(404, "tariff schedule js-2025 (loaded: js-2024, js-2023)") == \
        "未找到分时电价表：js-2025（已载入：js-2024, js-2023）"
    assert error_in_chinese(404, "rating method 'mu' version 3 (it has 1, 2)") == \
        "未找到评价方法：'mu' 版本 3（现有版本：1, 2）"
    assert error_in_chinese(404, "rating method 'x' (one of green-code, mu)") == \
        "未找到评价方法：'x'（可选：green-code, mu）"
    assert error_in_chinese(404, "user 'li' is not registered (or is disabled)") == "用户 'li' 未登记（或已停用）"


def test_refusals_of_permission_in_chinese_with_the_roles_named() -> None:
    assert error_in_chinese(403, "region:320900 is outside your place (region:320100)") == \
        "region:320900 不在您的管辖范围（region:320100）内"
    assert error_in_chinese(403, "suspend of a certificate is done by the certification body's decision maker, not "
                                 "by a enterprise user") == "证书的暂停须由认证机构决定人执行，企业用户不能执行"
    assert error_in_chinese(403, "your role (verifier) may not change the data of enterprise 9132") == \
        "您的角色（核查机构）不能修改企业 9132 的数据"


def test_every_value_added_basis_has_its_chinese() -> None:
    import pandas as pd

    from nengtan.indicators import fill_value_added, value_added_basis_zh

    def basis(constant: list[float | None]) -> str:
        eco = pd.DataFrame({"value_added": [1.0] * len(constant), "gross_output": [2.0] * len(constant),
                            "value_added_constant": constant})
        return fill_value_added(eco)[1]

    assert value_added_basis_zh(basis([])) == "未填报"
    assert value_added_basis_zh(basis([1.0, 1.0])) == "可比价"
    assert value_added_basis_zh(basis([None, None])) == "现价（未填报可比价增加值）"
    assert value_added_basis_zh(basis([None, 1.0, 1.0])) == "可比价；3 行中有 1 行未填可比价，以现价补足"


def test_every_refusal_of_a_user_request_has_its_chinese(registry) -> None:  # type: ignore[no-untyped-def]
    """The admin page's and `nengtan users`' refusals (nengtan.api.users), raised for real, read in Chinese with their
    values and the roles named."""
    from nengtan.api.auth import WeakPasswordError
    from nengtan.api.users import UserError, add_user, update_user

    good = "a-long-enough-password"
    attempts = [("", good, "admin", [], None, None), ("x", good, "owner", [], None, None),
                ("x", good, "enterprise", [], None, None), ("x", good, "public", ["91320115100079190E"], None, None),
                ("x", good, "cert_auditor", [], None, None), ("x", good, "cert_auditor", ["9132"], "CB", None),
                ("x", good, "verifier", [], "CB", None), ("x", good, "verifier", [], None, "park:x"),
                ("x", good, "admin", [], None, "park:no-such-park"), ("x", good, "admin", [], None, "region:999999"),
                ("x", good, "enterprise", ["91320115100079190E"], None, None), ("x", "short", "admin", [], None, None)]
    said: list[tuple[str, str]] = []
    with registry.session(write=True) as s:
        add_user(s, "test", "taken", good, "admin")
        for username, password, role, enterprises, org, place in [*attempts, ("taken", good, "admin", [], None, None)]:
            try:
                add_user(s, "test", username, password, role, enterprises, org=org, place=place)
            except (UserError, WeakPasswordError) as exc:
                said.append((str(exc), error_in_chinese(400, str(exc)) or ""))
        try:
            update_user(s, "test", "nobody", active=False)
        except UserError as exc:
            said.append((str(exc), error_in_chinese(400, str(exc)) or ""))
    assert len(said) == len(attempts) + 2  # every attempt refused
    assert all(re.search(r"[\u4e00-\u9fff]", zh) for _, zh in said), [en for en, zh in said if not zh]
    by_english = dict(said)
    assert by_english["user 'taken' already exists"] == "用户 'taken' 已存在"
    assert by_english["a public user is not bound to enterprises"] == "公众不绑定企业"
    assert "密码至少须有" in by_english[next(en for en in by_english if en.startswith("password"))]
