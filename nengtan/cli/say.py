# ruff: noqa: E501  (a catalogue: each message stays on as few lines as it can, its English beside its Chinese)
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
    "targets.none": ("no targets adopted yet: `nengtan targets list --templates`, then `nengtan targets adopt ID`",
                     "尚未采纳目标：先运行 `nengtan targets list --templates`，再运行 `nengtan targets adopt 编号`"),
    "targets.adopted": ("adopted {id}: {indicator} {kind} {value:g} {unit}", "已采纳 {id}：{indicator} {kind} {value:g} {unit}"),
    "targets.no_base": (" (no {year} data: give --base-level, or warnings show this target grey)",
                        "（没有 {year} 年数据：请给出 --base-level，否则预警中该目标显示为灰色）"),
    "budget.allocated": ("{year} carbon budget v{version} ({method}, base {base}) approved by {by}: {budget:,.2f} tCO2, "
                         "reserve {reserve:,.2f} t, {n} enterprises",
                         "{year} 年碳预算 v{version}（{method}，基准年 {base}），批准人 {by}：{budget:,.2f} tCO2，"
                         "储备 {reserve:,.2f} t，{n} 家企业"),
    "budget.shown": ("{year} v{version} {method}, approved by {by} at {at}: {budget:,.2f} t (reserve {reserve:,.2f} t)",
                     "{year} 年 v{version} {method}，批准人 {by}，时间 {at}：{budget:,.2f} t（储备 {reserve:,.2f} t）"),
    "warnings.counts": ("{year}-{month:02d} warnings: red {red}, yellow {yellow}, green {green}, grey {grey}",
                        "{year}-{month:02d} 预警：红 {red}，黄 {yellow}，绿 {green}，灰 {grey}"),
    "warnings.demo": ("warnings {year}-{month:02d} (sectors + enterprise budgets, v{version} {method} {budget:,.0f} t): "
                      "red {red}, yellow {yellow}, green {green}, grey {grey}",
                      "预警 {year}-{month:02d}（行业与企业预算，v{version} {method} {budget:,.0f} t）："
                      "红 {red}，黄 {yellow}，绿 {green}，灰 {grey}"),
    "targets.progress": ("targets vs progress, {year}-{month:02d}", "目标与进度，{year}-{month:02d}"),
    "warnings.top": ("top 5", "前 5 项"),
    "scenarios.title": ("scenarios {year}–2035 ({draws} draws, seed 1)", "达峰情景 {year}–2035（{draws} 次抽样，种子 1）"),
    "assess.demo": ("pre-assessment {name}: {co2:,.1f} tCO2/yr, {per_va:.4f} tCO2/万元 → [bold]{verdict}[/]",
                    "项目预评估 {name}：{co2:,.1f} tCO2/年，{per_va:.4f} tCO2/万元 → [bold]{verdict}[/]"),
    "assess.verdict": ("verdict: [bold]{verdict}[/]", "结论：[bold]{verdict}[/]"),
    "assess.condition": ("  condition: {text}", "  条件：{text}"),
    "assess.post": ("{name} {year} ({months} months): status [bold]{status}[/]",
                    "{name} {year} 年（{months} 个月）：状态 [bold]{status}[/]"),
    "targets.report": ("targets report: {path}", "目标报告：{path}"),
    "demo.compliance": ("compliance {year}: {n} key emitters {states}; CCER used {ccer:,.0f} t, shortfall {short:,.0f} t "
                        "(nengtan assets status --year {year})",
                        "{year} 年履约：{n} 家重点排放单位{states}；使用 CCER {ccer:,.0f} t，缺口 {short:,.0f} t"
                        "（nengtan assets status --year {year}）"),
    "demo.chain_title": ("PV chain footprints {year} (metered data, national life-cycle grid factor)",
                         "光伏产业链碳足迹 {year}（计量数据，全国生命周期电网因子）"),
    "demo.certificate": ("certificate {number} ({status}, valid to {valid_to}): {product} {value:,.1f} kg CO2e per {unit}; "
                         "label {svg}, {png}; PACT {pact}; study {study}",
                         "证书 {number}（{status}，有效期至 {valid_to}）：{product} 每 {unit} {value:,.1f} kg CO2e；"
                         "标识 {svg}、{png}；PACT {pact}；研究报告 {study}"),
    "demo.greenpower": ("green power {year}: {n} claims cancelled {mwh:,} GECs (MWh); Scope 2 market-based {market:,.2f} tCO2 "
                   "(location-based {location:,.2f}); green power stated on statements {stated:,.0f} kWh (unverified "
                   "claims, shown apart)",
                   "{year} 年绿电：{n} 项消费声明注销绿证 {mwh:,} 张（兆瓦时）；范围二基于市场 {market:,.2f} tCO2"
                   "（基于位置 {location:,.2f}）；报表填报的绿电 {stated:,.0f} 千瓦时（未经核实的声明，单独列示）"),
    "demo.gec_stock": ("GEC stock (MWh by status): {stock}", "绿证持仓（按状态，兆瓦时）：{stock}"),
    "demo.traced": ("park grid traced: {buses} buses × {intervals:,} intervals; {green:,.0f} of {load:,.0f} kWh consumed "
                    "traced to green sources ({share:.2%})",
                    "园区电网潮流追踪：{buses} 个节点 × {intervals:,} 个时段；用电 {load:,.0f} 千瓦时中 {green:,.0f} "
                    "千瓦时追踪到绿电来源（{share:.2%}）"),
    "demo.ledger": ("green-power ledger: {n} entries, exported to {export} and verified offline: {state}; statement {out}",
                    "绿电账本：{n} 条，已导出到 {export} 并离线验证：{state}；报表 {out}"),
    "demo.evaluation": ("evaluation {year}: HJ 274 mandatory not met {failed}, optional met {met}/{chosen}, {flagged} "
                        "printed values flagged; zero-carbon failing {zc_failing} of {zc_all}; GHG {ghg:,.0f} tCO2e "
                        "(reports/evaluation-*-{year}.*; nengtan evaluate hj274 --year {year} --base-year {base} "
                        "--place {place})",
                        "{year} 年评价：HJ 274 必选指标未达标 {failed}，可选指标达标 {met}/{chosen}，{flagged} 个填报值被标记；"
                        "零碳园区 {zc_all} 项中 {zc_failing} 项未达标；温室气体 {ghg:,.0f} tCO2e"
                        "（reports/evaluation-*-{year}.*；nengtan evaluate hj274 --year {year} --base-year {base} "
                        "--place {place}）"),
    "none": ("none", "无"),
    "intact": ("intact", "完好"),
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


def word(table: dict[str, tuple[str, str]], code: str) -> str:
    """A code's word from a nengtan.labels table ((zh, en) per code) in the CLI's language; the code itself where
    the table lacks it."""
    zh, en = table.get(code, (code, code))
    return zh if cli_lang() == "zh" else en


def pick(english: str, chinese: str) -> str:
    """A table's heading or label in the CLI's language."""
    return chinese if cli_lang() == "zh" else english
