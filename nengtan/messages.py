"""Why a request failed, in Chinese: the service's error messages (RFC 9457 problem details, nengtan.api.errors)
beside their zh-CN form, for a page in Chinese.

The engine words an error once, in English, where it is raised; :func:`error_in_chinese` gives its Chinese from
this catalogue: a refused value's reason (nengtan.reasons), a thing that is not there (``enterprise 9132…`` →
未找到企业：9132…, every noun the engine names in a NotFoundError, tests/test_messages.py), the messages of no data,
of permission and of the service itself; None when the catalogue has no entry, and the page shows the English.
:func:`validation_in_chinese` says a failed request check (Pydantic's error types) with the field's name. A
not-found message's tail after the identifier (``(loaded: …)``) stays as the engine wrote it.
"""

from __future__ import annotations

import re

from nengtan.labels import CERTIFICATE_ACTIONS, USER_ROLES
from nengtan.labels import name as label
from nengtan.reasons import in_chinese

NOUNS: dict[str, str] = {
    "enterprise": "企业", "footprint": "产品碳足迹", "footprint request": "碳足迹数据请求", "meter": "计量器具",
    "user": "用户", "template": "模板", "target template": "目标模板", "certificate": "证书",
    "verification record": "核查记录", "upload": "上传文件", "tariff schedule": "分时电价表", "subscription": "订阅",
    "sector": "行业", "region": "区域", "rating method": "评价方法", "publication": "公开发布",
    "project assessment": "项目评估", "participant": "参与方", "park": "园区", "order": "订单",
    "open quarantined row": "待处理的隔离行", "ledger entry": "账本条目", "holding": "持有记录",
    "energy budget": "用能预算", "contract": "购电合同", "certification body": "认证机构",
    "budget allocation": "碳预算分配", "application": "认证申请", "CCER lot": "CCER 批次",
}
"""What a NotFoundError names first (``<noun> <identifier>``), in Chinese."""

_JOINS = ((" of enterprise ", "，企业 "), (" held by ", "，持有方 "), (" of ", "，"), (" for ", "，"))

PATTERNS: tuple[tuple[str, str], ...] = (
    (r"no energy data for (?P<where>.+?) in (?P<p>\S+): import statements or readings first",
     "{where_zh}（{p}）没有能耗数据：请先导入月度报表或计量读数"),
    (r"no energy data for (?P<y>\d{4})(: .*)?", "{y} 年没有能耗数据：请先导入月度报表或计量读数"),
    (r"no data for base year (?P<y>\d{4}): choose a base year that has data",
     "基准年 {y} 没有数据：请选择有数据的基准年"),
    (r"no such resource: (?P<path>\S+)", "没有这个地址：{path}"),
    (r"method (?P<m>\S+) is not allowed on (?P<path>\S+)", "{path} 不支持 {m} 请求"),
    (r"internal error; the administrator can find it in the server log", "服务内部错误，管理员可在服务日志中查到详情"),
    (r"(?P<u>\S+) has no electricity main meter: .*", "企业 {u} 没有电力总表，无法按 15 分钟或逐时数据计算"),
    (r"the park has no distribution network on the platform", "平台上没有园区配电网络"),
    (r"no time-of-use tariff is loaded: run `nengtan tariff load`", "尚未载入分时电价表：请运行 nengtan tariff load"),
    (r"meter (?P<m>\S+) holds no readings in (?P<y>\d{4})", "计量器具 {m} 在 {y} 年没有读数"),
    # permissions (nengtan.api.deps, the routers, nengtan.footprint.certification)
    (r"(?P<x>\S+) is outside your place \((?P<p>\S+)\)", "{x} 不在您的管辖范围（{p}）内"),
    (r"your role \((?P<r>\S+)\) may not change the data of enterprise (?P<u>\S+)",
     "您的角色（{r}）不能修改企业 {u} 的数据"),
    (r"this covers the whole installation; your account sees (?P<p>\S+) only",
     "此操作涉及全部范围；您的账号只能查看 {p}"),
    (r"scope '(?P<s>.*)' needs a park administrator; use enterprise:<uscc>",
     "范围 “{s}” 须由园区管理员查看；请使用 enterprise:<统一社会信用代码>"),
    (r"only a verifier signs an enterprise-year off", "只有核查机构可以签署确认企业年度数据"),
    (r"only a verifier may do this", "只有核查机构可以执行此操作"),
    (r"only a verifier comments on an enterprise-year", "只有核查机构可以对企业年度数据提出意见"),
    (r"only a park administrator may do this", "只有园区管理员可以执行此操作"),
    (r"only a park administrator \(or city or province staff\) may do this",
     "只有园区管理员（或市、省工作人员）可以执行此操作"),
    (r"(?P<a>\S+) verified this footprint and so may not decide on it .*",
     "{a} 核查了该碳足迹，不能作出认证决定（ISO/IEC 17065 7.6.1：决定须由未参与评价的人员作出）"),
    (r"(?P<x>\S+) of a certificate is done by the (?P<who>.+), not by a (?P<r>\S+) user",
     "证书的{x}须由{who_zh}执行，{r}不能执行"),
    (r"step (?P<x>\S+) \((?P<zh>[^)]*)\) is taken by the (?P<who>.+), not by a (?P<r>\S+) user",
     "步骤 {x}（{zh}）须由{who_zh}执行，{r}不能执行"),
    (r"only (?P<n>.+)'s own users withdraw its publication", "只有{n}自己的用户可以撤回其发布"),
    (r"only (?P<n>.+)'s own users choose what it publishes", "只有{n}自己的用户可以选择其发布的内容"),
    (r"an application is made by the enterprise whose product it is", "认证申请须由产品所属企业提出"),
)
ROLES_ZH = {"applicant enterprise": "申请企业", "certification body's auditor": "认证机构审核员",
            "certification body's decision maker": "认证机构决定人"}
"""The certification roles as nengtan.footprint.certification names them, in Chinese."""
_COMPILED = tuple((re.compile(p + r"\Z"), zh) for p, zh in PATTERNS)
_BY_STATUS = {401: "请先登录", 403: "没有权限执行此操作"}
"""What a 401 or 403 says in Chinese when its message is not in PATTERNS."""


def _where_zh(where: str) -> str:
    if where == "the park":
        return "园区"
    kind, _, code = where.partition(":")
    return f"{NOUNS.get(kind, kind)} {code}" if code else where


def not_found_in_chinese(detail: str) -> str | None:
    """``<noun> <identifier …>`` as 未找到<名词>：<identifier …>, or None when the noun is not in NOUNS."""
    noun = next((n for n in sorted(NOUNS, key=len, reverse=True) if detail.startswith(n + " ")), None)
    if noun is None:
        return None
    rest = detail[len(noun) + 1:]
    for en, zh in _JOINS:
        rest = rest.replace(en, zh)
    return f"未找到{NOUNS[noun]}：{rest}"


def error_in_chinese(status: int, detail: str) -> str | None:
    """The Chinese of an error message the service answers with ``status``, or None when the catalogue has none."""
    text = detail.strip()
    for pattern, zh in _COMPILED:
        m = pattern.match(text)
        if m is not None:
            parts = {k: v or "" for k, v in m.groupdict().items()}
            if "where" in parts:
                parts["where_zh"] = _where_zh(parts["where"])
            if "who" in parts:
                parts["who_zh"] = ROLES_ZH.get(parts["who"], parts["who"])
            if "r" in parts:
                parts["r"] = label(USER_ROLES, parts["r"])
            if "x" in parts and parts["x"] in CERTIFICATE_ACTIONS:
                parts["x"] = label(CERTIFICATE_ACTIONS, parts["x"])
            return zh.format(**parts)
    if status == 404:
        what, hidden, _ = text.partition(" not found or not accessible to you")  # nengtan.api.errors.not_found
        found = not_found_in_chinese(what)
        if found is not None:
            return found + ("（或无权查看）" if hidden else "")
    reason = in_chinese(text)
    if reason is not None:
        return reason
    return _BY_STATUS.get(status)


VALIDATION: dict[str, str] = {
    "missing": "必填", "int_parsing": "须为整数", "int_from_float": "须为整数", "float_parsing": "须为数字",
    "bool_parsing": "须为 true 或 false", "date_parsing": "须为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "须为日期（YYYY-MM-DD）", "datetime_parsing": "须为日期时间（ISO 8601）",
    "json_invalid": "不是有效的 JSON", "literal_error": "须为以下之一：{expected}", "enum": "须为以下之一：{expected}",
    "greater_than": "须大于 {gt}", "greater_than_equal": "须不小于 {ge}", "less_than": "须小于 {lt}",
    "less_than_equal": "须不大于 {le}", "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "至多 {max_length} 个字符", "string_pattern_mismatch": "格式不符（{pattern}）",
    "too_short": "至少 {min_length} 项", "too_long": "至多 {max_length} 项", "string_type": "须为文本",
    "list_type": "须为列表", "dict_type": "须为对象", "model_type": "须为对象", "extra_forbidden": "不是可接受的字段",
}
"""The request checks' failures (Pydantic's error types, with their context), in Chinese."""
FIELDS: dict[str, str] = {
    "year": "年份", "month": "月份", "quarter": "季度", "format": "格式", "scope": "范围", "place": "管辖范围",
    "username": "用户名", "password": "密码", "role": "角色", "uscc": "统一社会信用代码", "limit": "条数上限",
    "offset": "起始位置", "items": "指标", "reason": "原因", "enterprises": "绑定企业", "day": "日期",
    "base_year": "基准年", "gwp": "全球增温潜势", "kind": "类别", "period": "统计期", "carrier": "能源品种",
    "quantity": "数量", "unit": "单位", "value": "数值", "file": "文件", "request": "请求",
}
"""The names of the fields requests carry most, in Chinese (others keep their own)."""


def validation_in_chinese(field: str, kind: str, ctx: dict[str, object] | None, message: str) -> str:
    """One failed request check in Chinese: the field's name and what it must be (Pydantic's message where the
    catalogue has no entry for its type; a validator's own message through the refusals' catalogue)."""
    name = ".".join(FIELDS.get(part, part) for part in field.split("."))
    template = VALIDATION.get(kind)
    if template is not None:
        try:
            return f"{name}：{template.format(**(ctx or {}))}"
        except (KeyError, IndexError):
            pass
    own = in_chinese(message.removeprefix("Value error, "))
    return f"{name}：{own or message}"
