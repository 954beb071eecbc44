"""Why a row was refused, in Chinese: the importers' and the live validator's reasons (English, as stored with each
quarantined row and in every import result) beside their zh-CN form, in one catalogue; and why a figure cannot be
shown (energy cost and curves without readings), said the same way.

The importers word a reason once, in English, where the rule is checked (nengtan.ingest); the portal shows it in the
reader's language. Each entry is the English reason as a pattern, the parts that vary (a value, a row, a column)
captured by name, and the Chinese sentence that takes them. :func:`in_chinese` gives the Chinese of a reason, or
None when the catalogue has no entry for it (tests/test_reasons.py refuses a reason of the form and upload paths that
has none). A reason that combines two (``meter X: unit …``) is translated part by part.
"""

from __future__ import annotations

import re

_V = r"(?P<v>'.*?'|\S+)"  # a value as the reasons quote it ('…' or a bare word)

CATALOGUE: tuple[tuple[str, str], ...] = (
    # numbers and fields (nengtan.ingest.fields, nengtan.ingest.rows)
    (rf"{_V} is not a number", "{v} 不是数字"),
    (rf"{_V} is not a finite number", "{v} 不是有限的数值"),
    (rf"{_V} has full-width digits or separators; write ASCII digits \(1234\.5\)",
     "{v} 含全角数字或符号，请用半角数字（如 1234.5）"),
    (rf"{_V} is ambiguous: use '\.' for decimals and ',' only between groups of three digits \(1234\.5 or 1,234\.5\)",
     "{v} 有歧义：小数点请用“.”，“,”只用于每三位分组（如 1234.5 或 1,234.5）"),
    (r"is empty, a number is required", "为空，须填写数字"),
    (r"is empty", "为空"),
    (r"(?P<v>\S+) is negative", "{v} 为负数"),
    (r"(?P<v>\S+) is outside (?P<lo>\S+) … (?P<hi>\S+)", "{v} 超出 {lo} … {hi} 的范围"),
    (r"is (?P<n>[\d,]+) characters long \(at most (?P<m>[\d,]+)\): .*", "长度 {n} 个字符，超过上限 {m}"),
    (rf"{_V} is not a date \(YYYY-MM-DD\)", "{v} 不是日期（YYYY-MM-DD）"),
    # periods
    (r"period '(?P<p>.*)' has month (?P<m>\d+), expected 01-12", "统计期 “{p}” 的月份为 {m}，应为 01–12"),
    (r"period '(?P<p>.*)' is not of the form YYYY-MM", "统计期 “{p}” 不是 YYYY-MM 格式"),
    (r"period '(?P<p>.*)' is outside (?P<a>\d{4})-(?P<b>\d{4})", "统计期 “{p}” 超出 {a}–{b} 年"),
    (r"(?P<p>\d{4}-\d{2}) is in the future", "统计期 {p} 尚未到来"),
    # enterprises (nengtan.identifiers, nengtan.ingest.rows)
    (r"USCC '(?P<c>.*)' has check digit '(?P<a>.)', GB 32100-2015 gives '(?P<b>.)'",
     "统一社会信用代码 “{c}” 的校验码为 “{a}”，按 GB 32100-2015 应为 “{b}”"),
    (r"USCC '(?P<c>.*)' has (?P<n>\d+) characters, expected 18", "统一社会信用代码 “{c}” 为 {n} 位，应为 18 位"),
    (r"enterprise (?P<c>\S+) is not one you may write", "无权填报企业 {c} 的数据"),
    (r"enterprise (?P<c>\S+) is not registered \(import it in an enterprises file first\)",
     "企业 {c} 尚未登记（请先导入企业名录）"),
    # carriers and units (nengtan.units, nengtan.ingest.activity)
    (r"unknown carrier '(?P<c>.*)' \(one of .*\)", "未知的能源品种 “{c}”"),
    (r"unknown unit '(?P<u>.*)' \(known: (?P<k>.*)\)", "未知的计量单位 “{u}”（可用：{k}）"),
    (r"unit '(?P<u>.*)' does not fit (?P<c>\S+) \(expected something convertible to (?P<t>.*)\)",
     "计量单位 “{u}” 不适用于{c}（应可换算为 {t}）"),
    (r"unit (?P<u>\S+) does not fit (?P<c>\S+)", "计量单位 {u} 不适用于{c}"),
    (r"unit (?P<u>.*) is not text", "计量单位 {u} 不是文本"),
    # rows against rows
    (r"duplicate of row (?P<r>\d+)(?: \(same enterprise, period and carrier\))?", "与第 {r} 行重复"),
    (r"conflicts with row (?P<r>\d+) \(same enterprise, period and carrier\)",
     "与第 {r} 行冲突（同一企业、统计期和能源品种）"),
    (r"raw-material use (?P<f>\S+) exceeds the quantity (?P<q>\S+) (?P<u>\S*) it is part of",
     "原料用量 {f} 超过其所属的消费量 {q} {u}"),
    (r"differs from the stored (?P<q>\S+) (?P<u>\S+) \(batch (?P<b>\w+)\); re-import with a correction reason to "
     r"supersede it", "与已入库的 {q} {u}（批次 {b}）不同；如需更正，请填写更正原因后重新提交"),
    (r"(?P<y>\d{4}) of (?P<c>\S+) is signed off by a verifier; re-import with a correction reason to create a new "
     r"version", "{c} 的 {y} 年数据已经核查签署；如需更正，请填写更正原因，生成新版本"),
    (r"(?P<w>.+); re-import with a correction reason to create a new version",
     "{w}；如需更正，请填写更正原因，生成新版本"),
    # readings (nengtan.ingest.readings_file, nengtan.ingest.validate)
    (r"meter (?P<m>\S+) is not registered", "计量器具 {m} 尚未登记"),
    (r"unknown meter (?P<m>.+)", "未知的计量器具 {m}"),
    (r"reading has no 'meter'", "读数缺少表计编号"),
    (r"meter (?P<m>\S+) does not belong to gateway (?P<g>\S+)", "计量器具 {m} 不属于网关 {g}"),
    (r"(?:timestamp )?(?P<t>\S+) is before (?P<d>2000(?:-01-01)?)", "采集时间 {t} 早于 2000 年"),
    (r"(?:timestamp )?(?P<t>\S+) is in the future(?: \(more than (?P<s>\d+) s after (?P<n>\S+)\))?",
     "采集时间 {t} 晚于当前时间"),
    (r"(?:timestamp )?(?P<t>\S+) is (?P<s>\d+) s off (?:the meter's|meter (?P<m>\S+)'s) (?P<i>\d+)-minute grid "
     r"\(tolerance (?P<tol>\d+) s\)", "采集时间 {t} 偏离 {i} 分钟采集整点 {s} 秒（允许 {tol} 秒）"),
    (r"(?:timestamp )?(?P<t>\S+) is before meter (?P<m>\S+) was installed \((?P<d>[\d-]+)\)",
     "采集时间 {t} 早于计量器具 {m} 的安装日期 {d}"),
    (rf"{_V} is not a timestamp \(ISO 8601\)", "{v} 不是时间（ISO 8601）"),
    (r"timestamp (?P<t>.+) is not ISO 8601 or epoch seconds", "采集时间 {t} 不是 ISO 8601 时间或 Unix 秒"),
    (r"(?P<q>\S+) is not ok, estimated or suspect", "数据质量 “{q}” 不是 ok、estimated 或 suspect"),
    (r"unknown quality (?P<q>.+) \(ok, estimated, suspect\)", "未知的数据质量 {q}（ok、estimated、suspect）"),
    (r"value (?P<w>.+)", "读数：{w}"),
    (r"reading is not a JSON object", "读数不是 JSON 对象"),
    (r"payload is not JSON: .*", "消息不是 JSON"),
    (r"payload has no 'readings' list", "消息缺少 readings 列表"),
    (r"message of (?P<n>\d+) bytes exceeds the limit of (?P<m>\d+)", "消息 {n} 字节，超过上限 {m} 字节"),
    (r"topic is not <prefix>/gw/<gateway>/readings", "主题不是 <前缀>/gw/<网关>/readings"),
    # energy cost and curves with nothing to show (nengtan.engine.energycost, nengtan.engine.curves)
    (r"(?P<e>\S+) has no electricity main meter: .*",
     "{e} 没有电力主表：分时电费需要 15 分钟或逐时读数（月度报表不分时段）"),
    (r"(?P<e>\S+)'s meters (?P<m>.+) hold no readings in (?P<y>\d{4})", "{e} 的计量器具 {m} 在 {y} 年没有读数"),
    (r"no time-of-use tariff is loaded: .*", "尚未载入分时电价表（由园区管理员运行 nengtan tariff load）"),
    (r"meter (?P<m>\S+) holds no readings in (?P<y>\d{4})", "计量器具 {m} 在 {y} 年没有读数"),
)
_COMPILED = tuple((re.compile(p + r"\Z", re.DOTALL), zh) for p, zh in CATALOGUE)


def _carrier_zh(word: str) -> str:
    from nengtan.labels import CARRIERS

    return CARRIERS[word][0] if word in CARRIERS else word


def in_chinese(reason: str) -> str | None:
    """The Chinese of a refusal's reason, or None when the catalogue has no entry for it."""
    text = reason.strip()
    for pattern, zh in _COMPILED:
        m = pattern.match(text)
        if m is not None:
            parts = {k: ("" if v is None else v) for k, v in m.groupdict().items()}
            if "c" in parts and zh.count("{c}") and "不适用于" in zh:
                parts["c"] = _carrier_zh(parts["c"])
            for k, v in parts.items():  # a captured part is itself a reason (… ; re-import …, value …)
                if k == "w":
                    parts[k] = in_chinese(v) or v
            return zh.format(**parts)
    head, sep, rest = text.partition(": ")  # meter X: <reason>
    if sep and head.startswith("meter "):
        inner = in_chinese(rest)
        if inner is not None:
            return f"计量器具 {head.removeprefix('meter ')}：{inner}"
    return None
