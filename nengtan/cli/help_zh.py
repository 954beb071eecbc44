"""The CLI in Chinese: the language a command line speaks, the help of the commands and command groups in zh-CN,
and its error lines through the service's catalogue (nengtan.messages).

The language is ``NENGTAN_LANG`` (zh | en), else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG`` beginning with
``zh``), else English. Each command keeps its English help where it is defined; :data:`HELP` holds the Chinese of
the top level (every command and group ``nengtan --help`` lists, tests/test_cli_zh.py). The sub-commands' help is
English still.
"""

from __future__ import annotations

import os
from typing import Any

APP_HELP = "能碳 nengtan — 工业园区能源与碳排放核算、双控预警与碳资产管理平台。"

HELP: dict[str, str] = {
    "version": "显示版本。",
    "init": "创建数据目录和登记库（迁移到最新结构）。",
    "inventory": "园区、行业或企业的月度、季度或年度能耗（吨标准煤）与二氧化碳排放（吨）。",
    "import": "导入交换文件：合格行入库，不合格行报告原因并隔离。",
    "quarantine": "被拒收的行：文件、行号、列和原因。",
    "demo": "构建确定性的演示园区，核算并打印其清单，写出 XLSX 报告。",
    "quality": "按计量器具和企业的数据质量（在线监测规则），存入登记库。",
    "warnings": "预警：园区目标、园区碳预算、行业和企业，红黄绿。",
    "scenarios": "达峰情景（基准、政策、强化），以蒙特卡洛给出 2030 年前达峰的概率。",
    "lmdi": "两年间二氧化碳变化的 LMDI 分解（各效应之和恰等于变化量）。",
    "serve": "启动平台服务（接口、驾驶舱、企业门户，uvicorn）。",
    "cost": "企业按分时电价的逐月电费，以及储能节省的费用。",
    "report": "报告（XLSX 与 PDF）：清单、目标与预警、会议材料包。",
    "factors": "排放因子库与园区实测值。",
    "audit": "审计日志：签名检查点与离线验证。",
    "ingest": "实时计量（MQTT、HTTP）、205-1 报表、采集网关、数据湖整理。",
    "targets": "双控目标：规划模板与目标采纳。",
    "budget": "年度碳预算：分配到企业，新进入与迁出企业。",
    "assess": "新建项目碳排放预评价与后评价。",
    "users": "平台服务的用户（园区管理员、企业、核查机构）。",
    "cert": "产品碳足迹标识认证。",
    "footprint": "产品碳足迹（ISO 14067、GB/T 24067-2024）。",
    "greenpower": "绿色电力：绿证、购电合同、消费声明、交易、逐时匹配、潮流追踪。",
    "ledger": "绿电账本：签名账本头、导出、离线验证、证明。",
    "ratings": "企业评价（碳效码等），每种为带版本的方法，并列出其输入。",
    "statistics": "平台不计量的统计数据（用地、税收、销售收入等）。",
    "esg": "企业 ESG 环境信息数据包及其公开发布。",
    "assets": "碳资产：配额、CCER、清缴履约。",
    "evaluate": "园区评价：HJ 274-2015 生态工业园区、零碳园区、温室气体清单。",
    "upward": "向上报送：在线监测数据项与月度存证，存储转发。",
    "energy-budget": "用能预算（能耗双控口径）与节能审查。",
    "region": "园区之上的区域：省 → 市 → 区县 → 园区。",
    "notify": "消息通知：预警、数据质量、证书到期与履约期限，经电子邮件、企业微信、钉钉与 Webhook 送达。",
    "tariff": "分时电价表（按生效日期）。",
    "storage": "企业储能装置。",
    "meter": "计量器具的日内负荷曲线与分表平衡。",
    "alarms": "实时告警：需量、用量异常与数据缺失。",
}
"""``nengtan <command> --help`` and the command list of ``nengtan --help``, in Chinese."""


def cli_lang() -> str:
    """zh or en: ``NENGTAN_LANG``, else the locale, else English."""
    explicit = os.environ.get("NENGTAN_LANG", "").strip().lower()
    if explicit in ("zh", "en"):
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def in_chinese(command: Any) -> Any:
    """The click command of the CLI with the top level's help in Chinese (the sub-commands keep theirs)."""
    command.help = APP_HELP
    for name, sub in getattr(command, "commands", {}).items():
        if name in HELP:
            sub.help = HELP[name]
            sub.short_help = HELP[name]
    return command


def error_line(message: str, status: int = 400) -> tuple[str, str]:
    """The line's head ("error:") and the message, in the CLI's language (the Chinese from nengtan.messages where
    the catalogue holds it)."""
    if cli_lang() != "zh":
        return "error:", message
    from nengtan.messages import error_in_chinese

    return "错误：", error_in_chinese(status, message) or message
