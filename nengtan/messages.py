"""Why a request failed, in Chinese: the service's error messages (RFC 9457 problem details, nengtan.api.errors)
beside their zh-CN form, for a page in Chinese.

The engine words an error once, in English, where it is raised; :func:`error_in_chinese` gives its Chinese from
this catalogue: a refused value's reason (nengtan.reasons), a thing that is not there (``enterprise 9132…`` →
未找到企业：9132…, every noun the engine names in a NotFoundError, tests/test_messages.py), the messages of no data,
of permission and of the service itself; None when the catalogue has no entry, and the page shows the English.
"""

from __future__ import annotations

import re

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
)
_COMPILED = tuple((re.compile(p + r"\Z"), zh) for p, zh in PATTERNS)
_BY_STATUS = {401: "请先登录", 403: "没有权限执行此操作"}


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
