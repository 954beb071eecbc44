"""What the CLI prints, in its language (nengtan.cli.help_zh.cli_lang): each message's English beside its Chinese.

The commands people run every day — demo, inventory, import, quarantine and the reports — print through here; the
tables keep units and codes as they are.
"""

from __future__ import annotations

from nengtan.cli.help_zh import cli_lang
from nengtan.labels import INDICATORS

MESSAGES: dict[str, tuple[str, str]] = {
    "wrote": ("wrote {path}", "已写出 {path}"),
    "report": ("report: {path}", "报告：{path}"),
    "inventory.title": ("Inventory — {scope}, {period}", "能源与碳排放清单 — {scope}，{period}"),
    "inventory.by_carrier": ("By carrier", "分能源品种"),
    "inventory.basis": ("factor set [bold]{factor_set}[/] · data version [bold]{data_version}[/] · {n} enterprises",
                        "因子集 [bold]{factor_set}[/] · 数据版本 [bold]{data_version}[/] · {n} 家企业"),
    "inventory.factors": ("factors: {note}", "因子：{note}"),
    "inventory.note": ("[yellow]note:[/] {note}", "[yellow]注：[/]{note}"),
    "import.progress": ("importing {file}", "正在导入 {file}"),
    "import.more": ("… and {n} more (see `nengtan quarantine`)", "……另有 {n} 行（见 `nengtan quarantine`）"),
    "import.done": ("{file}: {ok} rows imported, {duplicate} duplicates unchanged, {bad} quarantined (batch {batch})",
                    "{file}：导入 {ok} 行，{duplicate} 行重复未变，{bad} 行隔离（批次 {batch}）"),
    "import.statistics": ("{file}: {landed} statistics imported, {refused} refused",
                          "{file}：导入 {landed} 项统计数据，拒收 {refused} 项"),
    "quarantine.title": ("Quarantine ({n} rows)", "隔离区（{n} 行）"),
    "demo.building": ("building the demo park", "正在构建演示园区"),
    "demo.building_step": ("building the demo park: {step}", "正在构建演示园区：{step}"),
    "demo.green": ("demo park: green power (contracts, GECs, claims, trades, network traced)…",
                   "演示园区：绿色电力（合同、绿证、消费声明、交易、电网潮流追踪）……"),
    "demo.assets": ("demo park: verification records, allowances and CCERs of the key emitters…",
                    "演示园区：重点排放单位的核查记录、配额与 CCER……"),
    "demo.ratings": ("demo park: statistics, ratings, carbon points, energy-use rights, an ESG publication…",
                     "演示园区：统计数据、企业评价、碳积分、用能权与一份 ESG 公开发布……"),
    "demo.regions": ("demo: Jiangsu's regions, the park placed in Jiangning, a second park in Yancheng…",
                     "演示：江苏省的行政区域、位于江宁的园区、盐城的第二个园区……"),
    "demo.operations": ("demo: time-of-use tariff loaded; storage and alarm rules at {meter} (demand {demand:,.0f} "
                        "kW): {alarms} alarms from the year's last week; virtual meter {virtual} (nengtan cost / meter "
                        "curve / alarms list)",
                        "演示：已载入分时电价；在 {meter} 设置储能和告警规则（需量 {demand:,.0f} kW）："
                        "年末一周产生 {alarms} 条告警；虚拟表 {virtual}"
                        "（见 nengtan cost / meter curve / alarms list）"),
    "demo.built": ("demo park: {enterprises} enterprises, {meters} meters, {readings:,} readings in {home}",
                   "演示园区：{enterprises} 家企业、{meters} 块表计、{readings:,} 条读数，位于 {home}"),
    "demo.serve": ("cockpit and enterprise portal: run [bold]nengtan serve --demo{home}[/] and open the address it "
                   "prints (http://127.0.0.1:8000/ by default)",
                   "驾驶舱与企业门户：运行 [bold]nengtan serve --demo{home}[/]，打开它打印的地址（默认 "
                   "http://127.0.0.1:8000/）"),
    "demo.live": ("feeding the demo meters live over MQTT (127.0.0.1:1883) for {seconds:g} s…",
                  "正在经 MQTT（127.0.0.1:1883）实时推送演示表计读数 {seconds:g} 秒……"),
    "demo.live_done": ("live: {gateways} gateways, {meters} meters, {messages} messages; {accepted} readings stored, "
                       "{duplicate} duplicates, {rejected} rejected (last reading {last})",
                       "实时：{gateways} 个网关、{meters} 块表计、{messages} 条消息；"
                       "存储 {accepted} 条读数，{duplicate} 条重复，{rejected} 条拒收（最后读数 {last}）"),
}
"""Message key → (English, zh-CN), each with the same fields."""

SHARES_ZH = {"non_fossil_energy_share": INDICATORS["nonfossil_share"][0],
             "renewable_electricity_share": INDICATORS["renewable_electricity_share"][0],
             "estimated_energy_share": "能耗中估算读数所占比重"}
"""The inventory's shares (nengtan.accounting.Inventory.shares) in Chinese."""


def say(key: str, **fields: object) -> str:
    """The message ``key`` in the CLI's language, its fields filled in."""
    english, chinese = MESSAGES[key]
    return (chinese if cli_lang() == "zh" else english).format(**fields)


def pick(english: str, chinese: str) -> str:
    """A table's heading or label in the CLI's language."""
    return chinese if cli_lang() == "zh" else english
