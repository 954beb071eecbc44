"""The CLI in Chinese: the language a command line speaks, the help of the commands and command groups in zh-CN,
and its error lines through the service's catalogue (nengtan.messages).

The language is ``NENGTAN_LANG`` (zh | en), else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG`` beginning with
``zh``), else English. Each command keeps its English help where it is defined; :data:`HELP` and :data:`SUB_HELP`
hold the Chinese of every command and group, nengtan.cli.options_zh that of every option (tests/test_cli_zh.py).
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

SUB_HELP: dict[str, str] = {
    "report inventory": "写出清单工作簿（合计、品种、行业、企业、逐月、因子表）；输出 .pdf 时同时写出工作簿和 PDF。",
    "report targets": "会议用目标工作簿：目标与进度、预算分配、预警、情景（含图表）、项目评价。",
    "report pack": "驾驶舱会议材料包：核心指标、逐月趋势、能源结构、行业、排放大户与预警，附图表。",
    "factors list": "平台内置的因子集。",
    "factors show": "因子库每一行的数值、单位、来源、条款与状态（及园区实测值）。",
    "factors add": "记录园区实测值（如燃气供应商的低位发热量），在 <因子集>+park 中生效。",
    "audit checkpoint": "以园区 Ed25519 密钥签署审计日志当前的树头（条数与默克尔根）。",
    "audit verify": "校验哈希链，并确认日志仍按原顺序完整保存每个检查点覆盖的条目。",
    "ingest mqtt": "订阅网关主题（QoS 1、持久会话），读数恰好存储一次。",
    "ingest http": "为不能使用 MQTT 的网关提供 POST /ingest/readings（每个网关一个令牌）。",
    "ingest form205": "导入 205-1 能源购进、消费与库存月报（XLSX）。",
    "ingest gateway-add": "登记网关及其可写入的计量器具；令牌只显示一次。",
    "ingest compact": "按分区合并数据湖小文件（整理期间读数始终恰好可见一次）。",
    "targets list": "已采纳的目标（加 --templates 时列出规划中的目标模板）。",
    "targets adopt": "为园区采纳一个目标模板（可修改）；再次采纳会替换之前的版本。",
    "budget allocate": "把本年园区碳预算分配到企业，保存为新版本。",
    "budget show": "显示一个分配版本（默认最新）。",
    "budget enter": "年中新进入企业：按基准 × 预计增加值 × (13 − 月份)/12 从储备中分配。",
    "budget leave": "年中迁出企业：释放其分配（保留迄今的季节份额）。",
    "assess project": "碳排放预评估：强度与行业基准、园区平均比较，给出结论和理由。",
    "assess post": "后评估：实际强度与承诺强度比较，较差时预警。",
    "users add": "创建用户。",
    "users list": "列出用户及其角色和绑定企业。",
    "users passwd": "设置用户密码。",
    "users disable": "停用用户（其令牌立即失效）。",
    "cert apply": "就一条碳足迹记录向认证机构委托标识认证。",
    "cert step": "执行认证申请的一个步骤；认证决定通过即颁发证书。",
    "cert list": "当前用户可见的认证申请。",
    "cert show": "认证申请及其各步骤，或证书（与公开验证页一致）。",
    "cert action": "对证书监督、暂停、恢复或撤销。",
    "cert label": "证书的标识（SVG 或 PNG），附公开验证页的二维码。",
    "footprint calc": "一个产品声明单位的碳足迹，按阶段和活动列出。",
    "footprint template": "写出内置的模型模板，供企业填入自己的数据。",
    "footprint report": "一个产品声明单位的 ISO 14067 碳足迹研究报告（XLSX 或 PDF）。",
    "footprint list": "企业的碳足迹记录。",
    "footprint show": "一条碳足迹记录（本企业可见全部；共享给客户时以 PACT 格式）。",
    "footprint request": "向供应商索取某产品的碳足迹（经其同意后共享，或被拒绝）。",
    "footprint share": "答复客户的索取：共享一条碳足迹记录，或拒绝。",
    "footprint requests": "企业发出和收到的碳足迹索取（JSON）。",
    "footprint pact": "PACT 3.0（WBCSD Pathfinder）碳足迹数据交换。",
    "footprint pact export": "把一条碳足迹记录导出为 PACT 3.0 ProductFootprint（经校验）。",
    "footprint pact validate": "按 PACT 3.0 数据模型校验文件，列出每个问题。",
    "footprint pact import": "保存供应商的 PACT 碳足迹，供企业模型引用（provider pcf:<id>）。",
    "greenpower cfe": "负荷与无碳电源逐时比较：CFE 得分、逐时匹配比例与年度电量比例。",
    "greenpower trace": "园区电网潮流追踪：节点碳强度、绿电比例、支路与负荷的碳排放。",
    "greenpower claim": "声明某月消费的绿电，核销其对应的绿证。",
    "greenpower claims": "绿电消费声明及各自核销的绿证。",
    "greenpower book": "公开的交易簿：各价位与最近成交，不显示交易方。",
    "greenpower statement": "企业绿电消费证明：声明、对应绿证、潮流归属，以及每条记录在签名账本中的包含证明。",
    "greenpower gec": "绿证（GEC）：持有、到期、冻结。",
    "greenpower gec import": "登记国家平台核发的绿证（每行一段编号）。",
    "greenpower gec list": "绿证持有情况（企业用户只看到自己的）。",
    "greenpower gec stock": "按状态统计的绿证电量（MWh），以及 90 天内到期的绿证。",
    "greenpower gec expire": "将超过两年有效期的绿证标记为过期。",
    "greenpower gec freeze": "冻结项目未售出的绿证（同一电量已选择 CCER）。",
    "greenpower contract": "绿电交易合同（含 PPA）及其附带绿证。",
    "greenpower contract import": "登记合同各月；每月把附带绿证交付给买方。",
    "greenpower contract profile": "保存合同的逐时计量交付曲线；逐时匹配按它分摊各月电量。",
    "greenpower contract list": "合同各月（企业用户只看到自己的）。",
    "greenpower order": "园区绿电与绿证交易簿。",
    "greenpower order place": "下单；按价格、时间优先立即与交易簿撮合。",
    "greenpower order cancel": "撤销未成交的订单（卖单的绿证退回持有人）。",
    "greenpower order list": "我的订单（园区工作人员可见全部）。",
    "ledger head": "签署并显示账本当前的树头（条数与默克尔根）。",
    "ledger export": "导出全部条目及其签名树头，供外部见证方或核查机构使用。",
    "ledger verify": "离线校验导出的条目恰为签名树头所覆盖：任何修改、删除、插入、重排或截断都会被发现。",
    "ledger proof": "一个条目及其包含证明和签名树头：可交给买方或认证机构。",
    "ledger check-proof": "离线校验证明中的条目确在其签名树头描述的账本中且未被改动。",
    "ratings carbon-efficiency": "碳效等级：各企业单位增加值二氧化碳排放与其行业平均比较，分 1（最好）至 5 级。",
    "ratings green-code": "零碳绿码：依据碳效、绿电、数据质量和预警评为绿、黄、红，并列出理由。",
    "ratings mu": "亩均效益：亩均税收、亩均销售收入、亩均增加值和单位能耗税收与园区基准比较，分 A–D 类。",
    "ratings issue": "发布本年评价（碳效、绿码、亩均）：按发布时的方法版本保存并记入账本。",
    "ratings runs": "已发布的评价，保持发布时的原样（JSON）。",
    "ratings method": "评价方法及园区自定的方法版本。",
    "ratings method show": "方法版本的参数、来源与状态（JSON）：制定新版本时编辑的文件。",
    "ratings method adopt": "采纳园区自定的方法版本（权重、阈值）；以往的评价保持原版本。",
    "ratings points": "碳积分：发放、使用、过期、余额。",
    "ratings points award": "按年度为每家企业发放积分（每条规则一次），每条记入账本。",
    "ratings points spend": "按有记录的用途使用积分（先用最早未过期的）。",
    "ratings points expire": "记录超过有效期的未用积分过期。",
    "ratings points balance": "各企业获得、使用、过期和可用的积分。",
    "statistics import": "按年导入统计数据（用地、税收、销售收入、研发经费、从业人员等），可用该项的任意单位。",
    "esg pack": "企业年度环境信息数据，按交易所 2024 年指引和 ISSB S2 排列。",
    "esg publish": "把数据包中选定的指标发布到公开页面（冻结的快照）。",
    "assets year": "记录履约年度经核查的排放量和清缴期限。",
    "assets move": "记录配额的分配、调整、买入或卖出。",
    "assets ccer": "记录企业持有的 CCER。",
    "assets ccer-lots": "CCER 批次及其编号（卖单引用的编号）、项目、年份和状态。",
    "assets status": "年度履约状况：应清缴量、持有量、CCER 抵销、缺口、结转和期限预警。",
    "assets surrender": "年度清缴：抵销 CCER（不超过上限）并清缴配额，其余结转。",
    "assets guidelines": "核查可依据的核算指南、各自的核算范围及所依条款。",
    "assets energy-right": "用能权：分配、交易与状况。",
    "assets energy-right move": "记录用能权的分配、买入或卖出（账本中复式记账）。",
    "assets energy-right status": "各企业持有的用能权与能耗双控口径能耗的比较。",
    "assets verification": "第三方碳核查记录：导入、列出、核对。",
    "assets verification import": "导入核查记录：每个企业年度的各行为一条记录，逐行校验；导入后该年度锁定。",
    "assets verification list": "核查记录及其核查机构、依据指南、合计和指南覆盖范围。",
    "assets verification reconcile": "核查结果与平台该年度清单并列，每项差异按能源品种（活动水平）解释。",
    "evaluate hj274": "HJ 274-2015：各指标的数值、要求、是否达标和输入，以及园区结论。",
    "evaluate zero-carbon": "零碳园区指标，未达标项的差距及弥补办法。",
    "evaluate ghg": "园区温室气体清单：分行业能源活动、甲烷和氧化亚氮、工业过程，碳汇单列。",
    "upward show": "某企业某月将报送的内容（JSON），不加入待发队列。",
    "upward queue": "把本月报文加入发件箱（持久保存；同一内容不会重复入队）。",
    "upward push": "按先后发送到期的报文；失败按退避重试，被拒收的单独保留。",
    "upward status": "发件箱：每条报文的键、状态、尝试次数、下次尝试时间和最近的错误。",
    "upward requeue": "原因排除后，把被拒收的报文重新入队。",
    "energy-budget allocate": "把本年用能预算的新版本分配到企业。",
    "energy-budget status": "各企业能耗双控口径能耗与其预算比较，推算至年末，并给出预警。",
    "energy-budget review": "按本年剩余储备记录新建项目的节能审查。",
    "energy-budget reviews": "已记录的节能审查（JSON）。",
    "region import": "导入区域（GB/T 2260 代码）；顺序不限，每级在其上级之下。",
    "region park": "把园区（新园区即创建）放入其最低一级区域；企业按企业文件的园区列加入。",
    "region park-geo": "保存园区地图（边界与地块）供大屏驾驶舱使用；不获取任何在线地图瓦片。",
    "region tree": "区域、其下园区及各园区的企业数。",
    "region generate-province": "在空数据目录中生成合成省份（江苏 13 个地级市的园区、企业、计量器具、报表和读数）。",
    "notify subscribe": "为用户按渠道订阅事件类别（园区工作人员还可按电子邮件订阅月度报告）。",
    "notify run": "查找事件，为每个订阅者排入消息（每个事件一次），并发送到期的消息。",
    "notify watch": "每隔几分钟执行一次 notify run，直到停止：订阅者及时获知新预警、拒收行、即将到期的证书等。",
    "notify deliver": "发送到期的排队消息（含重试）。",
    "notify deliveries": "已排队、已发送和已搁置的消息，最新在前，附尝试次数和最近的错误。",
    "tariff load": "载入一张按日期生效的电价表；已载入的保持不变，内容有改动的拒绝载入。",
    "tariff show": "某电价方案的每张按日期生效的表：月份、时段、峰谷类别和元/kWh。",
    "storage add": "登记企业的储能装置：其电费随之显示所转移的负荷。",
    "meter curve": "计量器具的日内负荷曲线，与前一日（环比）和上年同日（同比）并列。",
    "meter balance": "总表逐月用量与其分表用量之和比较（主表与分表平衡）。",
    "meter virtual": "新增虚拟表：以其他表计的公式分摊共用供应；与企业表计并列显示，不计入核算。",
    "meter monthly": "计量器具的逐月用量；虚拟表同时列出公式各部分。",
    "alarms rule": "设置计量器具的告警阈值（不给阈值即删除规则）。",
    "alarms rules": "每个计量器具的告警规则。",
    "alarms list": "实时告警，最新在前（默认只列未解除的，--all 列出全部）。",
    "alarms check": "立即检查受监视的计量器具是否缺数（MQTT 接入每分钟检查一次），并发出告警。",
}
"""Every sub-command's help (``nengtan <group> <command> --help`` and the group's list), in Chinese."""


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


def in_chinese(command: Any, path: str = "") -> Any:
    """The click command of the CLI with every command's and group's help in Chinese (HELP, SUB_HELP), and its
    options' help and help screens in Chinese (nengtan.cli.options_zh)."""
    from nengtan.cli.options_zh import options_in_chinese, screen_in_chinese

    if not path:
        command.help = APP_HELP
        screen_in_chinese()
    options_in_chinese(command)
    for name, sub in getattr(command, "commands", {}).items():
        key = f"{path} {name}".strip()
        zh = HELP.get(key) if not path else SUB_HELP.get(key)
        if zh is not None:
            sub.help = zh
            sub.short_help = zh
        in_chinese(sub, key)
    return command


def error_line(message: str, status: int = 400, zh: str | None = None) -> tuple[str, str]:
    """The line's head ("error:") and the message, in the CLI's language: ``zh`` where the command gave its Chinese,
    else the Chinese from nengtan.messages where the catalogue holds it."""
    if cli_lang() != "zh":
        return "error:", message
    from nengtan.messages import error_in_chinese

    return "错误：", zh or error_in_chinese(status, message) or message
