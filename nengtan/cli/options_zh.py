# ruff: noqa: E501  (a catalogue: each English help stays on one line beside its Chinese)
"""The CLI's options in Chinese: each option's and argument's help keyed by its English text (the English beside the
Chinese, as a catalogue has it), and the words of the help screens themselves (Typer's panels, click's usage line and
help option). nengtan.cli.help_zh applies them where the language is zh; tests/test_cli_zh.py fails on an option
whose English help has no Chinese here.
"""

from __future__ import annotations

import re
from typing import Any

OPTION_HELP: dict[str, str] = {
    ".xlsx or .pdf": ".xlsx 或 .pdf。",
    "24 enterprises instead of 300 (for a quick look).": "24 家企业而非 300 家（快速查看）。",
    "A PACT ProductFootprint (JSON) from a supplier.": "供应商提供的 PACT 产品碳足迹（JSON）。",
    "A PACT ProductFootprint (JSON).": "PACT 产品碳足迹（JSON）。",
    "A checkpoint exported earlier (from the witness's copy).": "之前导出的检查点（取自见证方保存的副本）。",
    "A folder of buses.csv, flows.csv, generation.csv, loads.csv.": "含 buses.csv、flows.csv、generation.csv、loads.csv 的文件夹。",
    "A folder: entries.jsonl and head.json are written there.": "文件夹：entries.jsonl 和 head.json 写在其中。",
    "A footprint record's id.": "碳足迹记录的编号。",
    "A head exported earlier (the witness's copy) to check the entries against; default: the folder's head.json.":
        "用于核对条目的、之前导出的账本头（见证方的副本）；默认为文件夹中的 head.json。",
    "A model: a directory of CSV tables or an XLSX workbook.": "模型：CSV 表格目录或 XLSX 工作簿。",
    "A named scenario of the model.": "模型中已命名的情景。",
    "A park or region: park:<code> or region:<code> (default: the whole installation).":
        "园区或区域：park:<代码> 或 region:<代码>（默认：整个平台）。",
    "A participant's code or USCC.": "参与方代码或统一社会信用代码。",
    "A proof file.": "证明文件。",
    "A report's printed values (no,value) to check against the recomputed ones.": "报告中印出的数值（no,value），与重新计算的数值核对。",
    "A sell: the GEC holding, or the CCER lot, offered.": "卖出：挂出的绿证持仓或 CCER 批次。",
    "A tariff CSV (schedule, valid_from, months, start_hour, end_hour, band, price, source); default: Jiangsu's, "
    "shipped with nengtan.":
        "电价表 CSV（schedule、valid_from、months、start_hour、end_hour、band、price、source）；默认为随平台提供的江苏电价。",
    "AR6, AR5 or SAR.": "AR6、AR5 或 SAR。",
    "Abnormal: standard deviations from the meter's own profile (1-10).": "用量异常：偏离该表自身用能曲线的标准差倍数（1–10）。",
    "Act as this registered user (its role decides what it may do).": "以该注册用户身份操作（其角色决定可执行的操作）。",
    "Address to listen on (default 127.0.0.1).": "监听地址（默认 127.0.0.1）。",
    "Afterwards feed the demo meters live over MQTT.": "随后经 MQTT 实时推送演示表计读数。",
    "Allowed shortfall against the promise [fraction].": "相对承诺允许的差距［比例］。",
    "Also each load's kWh traced to each green source, per month.": "同时按月列出每个负荷追踪到各绿电来源的千瓦时。",
    "An admin's park or region (park:<code>, region:<code>): city or province staff see only that.":
        "管理员所属的园区或区域（park:<代码>、region:<代码>）：市、省工作人员只能看到其范围。",
    "An application (APP-…) or a certificate (CFP-…).": "申请（APP-…）或证书（CFP-…）。",
    "An enterprise's credit code.": "企业的统一社会信用代码。",
    "An exported ledger folder.": "导出的账本文件夹。",
    "As of this date (YYYY-MM-DD; default: today).": "截至该日（YYYY-MM-DD；默认今天）。",
    "Assessing officer.": "评估人员。",
    "Base period (default: year - 1, else the budget year itself when it is the only year with data).":
        "基准期（默认为上一年；若只有预算年有数据，则为预算年本身）。",
    "Budget year.": "预算年度。",
    "Build the demo park if the data home is empty and create demo accounts (printed).":
        "数据目录为空时构建演示园区，并创建演示账号（打印出来）。",
    "CA bundle for the endpoint's certificate (default NENGTAN_UPWARD_CA, else the system's).":
        "校验接收端证书的 CA 证书包（默认 NENGTAN_UPWARD_CA，否则使用系统的）。",
    "CSV or XLSX (readings also Parquet).": "CSV 或 XLSX（计量读数也可为 Parquet）。",
    "CSV or XLSX: code, name, level (province, city, district), parent.": "CSV 或 XLSX：code、name、level（province、city、district）、parent。",
    "CSV or XLSX: first_code, last_code or count, owner.": "CSV 或 XLSX：first_code、last_code 或 count、owner。",
    "CSV or XLSX: number, kind, seller, project_code, buyer, month, mwh[, price, shape].":
        "CSV 或 XLSX：number、kind、seller、project_code、buyer、month、mwh［, price, shape］。",
    "CSV or XLSX: uscc (empty: the park), year, item, value, unit, source [, status].":
        "CSV 或 XLSX：uscc（空表示园区）、year、item、value、unit、source［, status］。",
    "CSV or XLSX: uscc, year, verifier, guideline, source, activity, unit, factor, emissions_t [, scope, report].":
        "CSV 或 XLSX：uscc、year、verifier、guideline、source、activity、unit、factor、emissions_t［, scope, report］。",
    "Calendar year (Asia/Shanghai).": "日历年（北京时间）。",
    "Carbon-free supply (PPAs, on-site PV), ts,value in kWh; default with --enterprise or --park: the contracts and "
    "on-site PV held on the platform.":
        "无碳电力供应（购电协议、厂内光伏），ts,value，单位千瓦时；与 --enterprise 或 --park 同用时默认取平台上的合同和厂内光伏。",
    "Charge and discharge power [kW].": "充放电功率［kW］。",
    "Cleared alarms too.": "也列出已解除的告警。",
    "Comma-separated item keys to publish.": "要发布的数据项键，以逗号分隔。",
    "Commissioned on (YYYY-MM-DD; default: today).": "投运日期（YYYY-MM-DD；默认今天）。",
    "Consumption, ts,value in kWh.": "用电量，ts,value，单位千瓦时。",
    "Credit code (repeat).": "统一社会信用代码（可重复）。",
    "Credit code (统一社会信用代码).": "统一社会信用代码。",
    "Credit code of the enterprise it belongs to.": "所属企业的统一社会信用代码。",
    "Credit code.": "统一社会信用代码。",
    "Data directory (default $NENGTAN_HOME or ./nengtan-data).": "数据目录（默认 $NENGTAN_HOME 或 ./nengtan-data）。",
    "Data directory (default: $NENGTAN_HOME or ./nengtan-data).": "数据目录（默认 $NENGTAN_HOME 或 ./nengtan-data）。",
    "Declared unit, if not the product's own (kg, t, W, kWp, m2 …).": "声明单位（若不同于产品自身单位：kg、t、W、kWp、m2 …）。",
    "Decline the request.": "拒绝该请求。",
    "Default: the newest year with data.": "默认：有数据的最近年份。",
    "Delete the data home's demo and build it again.": "删除数据目录中的演示数据并重新构建。",
    "Demand limit [kW].": "需量限值［kW］。",
    "Directory to write the model's tables into (created).": "写出模型表格的目录（自动创建）。",
    "E-mail address or webhook URL.": "电子邮件地址或 Webhook 网址。",
    "E.g. the CCER registration number.": "例如 CCER 登记编号。",
    "Edit the base year.": "修改基准年。",
    "Edit the target value (same unit as the template).": "修改目标值（单位与模板相同）。",
    "Edit the target year.": "修改目标年。",
    "Enterprises in the province.": "全省企业数。",
    "Enterprises to show in the table.": "表中显示的企业数。",
    "Expected value-added growth over the base [fraction].": "增加值相对基准期的预计增长［比例］。",
    "Extra background datasets (CSV, repeat).": "附加背景数据集（CSV，可重复）。",
    "Factor set (see `nengtan factors list`).": "因子集（见 `nengtan factors list`）。",
    "File (default: standard output).": "文件（默认：标准输出）。",
    "Findings or the reason (required to suspend or withdraw).": "发现的问题或理由（暂停或撤销时必填）。",
    "Findings, reasons.": "发现的问题、理由。",
    "First check the readings stored since this day (YYYY-MM-DD) against the rules.": "先按规则检查自该日（YYYY-MM-DD）起存储的读数。",
    "First month of activity (1-12).": "活动的起始月份（1–12）。",
    "First year.": "第一年。",
    "Full-year value added [万元].": "全年增加值［万元］。",
    "GB/T 4754 sector code.": "GB/T 4754 行业代码。",
    "GWP-100 set: AR6 or AR5.": "GWP-100 取值：AR6 或 AR5。",
    "GeoJSON FeatureCollection of Polygon/MultiPolygon features: the outline (kind: outline) and plots (kind: plot, "
    "uscc).":
        "由 Polygon/MultiPolygon 要素组成的 GeoJSON FeatureCollection：园区边界（kind: outline）和地块（kind: plot, uscc）。",
    "Hold the result as a footprint record of --enterprise (for certification, sharing and PACT).":
        "把结果保存为 --enterprise 的碳足迹记录（用于认证、共享和 PACT）。",
    "Hybrid weight of grandfathering [fraction].": "混合法中历史法的权重［比例］。",
    "Hybrid: mix grandfather and benchmark shares within each sector (sector totals by base emissions) or across the "
    "park.":
        "混合法：在各行业内（行业总量按基准排放）或在全园区范围内混合历史法与基准法份额。",
    "Include green rows.": "包括绿色（正常）的行。",
    "Include rows a later import resolved.": "包括后来的导入已解决的行。",
    "Install completion for the current shell.": "为当前 shell 安装命令补全。",
    "Instead of --grid-cfe: one share for every hour (with --enterprise or --park; default 0).":
        "代替 --grid-cfe：每小时使用同一比例（与 --enterprise 或 --park 同用；默认 0）。",
    "Instead of --load: every enterprise's 15-minute meters.": "代替 --load：所有企业的 15 分钟表计。",
    "Instead of --load: this enterprise's 15-minute electricity meters on the platform.": "代替 --load：该企业在平台上的 15 分钟电表。",
    "JSON: the parameters of the new version, with its source and status.": "JSON：新版本的参数及其来源和状态。",
    "Keep pushing until nothing is left queued.": "持续推送，直到队列为空。",
    "Last month of activity (1-12).": "活动的最后月份（1–12）。",
    "Last month to include (default: latest with data).": "包含的最后月份（默认：有数据的最近月份）。",
    "Last year (2035, or 2060).": "最后一年（2035 或 2060）。",
    "Length of each interval (its ts is its start); default: network.json's interval_minutes, else 15.":
        "每个时段的长度（ts 为其起点）；默认取 network.json 的 interval_minutes，否则为 15。",
    "List the templates from the plans instead of the adopted targets.": "列出规划中的目标模板，而非已采纳的目标。",
    "Login name.": "登录名。",
    "MQTT client id (the persistent session's name)": "MQTT 客户端标识（持久会话的名称）",
    "MWh (t for ccer and cea).": "兆瓦时（ccer 和 cea 为吨）。",
    "MWh claimed (one GEC each).": "声明的兆瓦时（每兆瓦时一张绿证）。",
    "Meter code (a virtual meter's too).": "表计编号（也可为虚拟表）。",
    "Meter code.": "表计编号。",
    "Metered delivery: ts,value in kWh (by hour or finer).": "计量的交付电量：ts,value，单位千瓦时（逐时或更细）。",
    "Minutes between passes.": "两次运行之间的分钟数。",
    "Missing data after this many minutes.": "超过该分钟数无数据即为缺数。",
    "Monte Carlo draws (0: none).": "蒙特卡洛抽样次数（0：不抽样）。",
    "Monte Carlo draws for the scenario sheet.": "情景工作表的蒙特卡洛抽样次数。",
    "Monte Carlo draws for the uncertainty section.": "不确定性部分的蒙特卡洛抽样次数。",
    "Monte Carlo draws.": "蒙特卡洛抽样次数。",
    "Month 1-12.": "月份 1–12。",
    "Multi-output activities: physical, economic or none (system expansion).": "多产出活动的分配：physical（物理）、economic（经济）或 none（系统扩展）。",
    "Numbers, {METER} codes, + - * / and parentheses, e.g. \"0.35 * {UTIL-STEAM}\".":
        "数字、{表计编号}、+ - * / 和括号，例如 \"0.35 * {UTIL-STEAM}\"。",
    "Of them, with a 15-minute main meter (35 040 readings a year each: 2 854 give about 10⁸).":
        "其中装有 15 分钟主表的企业数（每表每年 35 040 条读数：2 854 家约为 10⁸ 条）。",
    "Officer adopting the target.": "采纳目标的工作人员。",
    "Officer approving this version.": "批准该版本的工作人员。",
    "One enterprise (default: every key energy-using unit for energy, every key emitter for deposit).":
        "单个企业（默认：能源数据为全部重点用能单位，存证为全部重点排放单位）。",
    "One message per run instead of one per event.": "每次运行汇总为一条消息，而非每个事件一条。",
    "One of: enterprises, meters, activity, economic, readings, park-statistics.":
        "以下之一：enterprises、meters、activity、economic、readings、park-statistics。",
    "Only GECs of this contract.": "只含该合同的绿证。",
    "Only this enterprise (USCC).": "只含该企业（统一社会信用代码）。",
    "PV yield [kWh/kWp a year] for the PV that closes a gap.": "用于弥补缺口的光伏年发电量［kWh/kWp］。",
    "Parameter family it replaces.": "所替代的参数系列。",
    "Park budget [tCO2]; default: base-year CO2 intensity x (1 - intensity decline) x expected value added / (1 - "
    "reserve).":
        "园区预算［tCO2］；默认：基准年二氧化碳强度 ×（1 − 强度下降率）× 预计增加值 ÷（1 − 储备比例）。",
    "Park year to measure against.": "对照的园区年份。",
    "Park-edited scenario YAML.": "园区编辑的情景 YAML。",
    "Park-edited sector benchmark CSV.": "园区编辑的行业基准 CSV。",
    "Password (≥ 10 characters); asked for when omitted.": "密码（至少 10 个字符）；省略时会提示输入。",
    "Port (default 8000).": "端口（默认 8000）。",
    "Pressure ratio for red.": "红色预警的压力比。",
    "Pressure ratio for yellow.": "黄色预警的压力比。",
    "Processes writing the lake's files (default: one per CPU).": "写数据湖文件的进程数（默认每个 CPU 一个）。",
    "Project YAML (name, sector_code, expected_gross_output, expected_value_added, energy, pv_kwh, green_kwh).":
        "项目 YAML（name、sector_code、expected_gross_output、expected_value_added、energy、pv_kwh、green_kwh）。",
    "Project YAML to include an assessment sheet.": "项目 YAML，用于加入评价工作表。",
    "Quarter 1-4.": "季度 1–4。",
    "Random seed (same seed, same numbers).": "随机种子（种子相同，数字相同）。",
    "Reason for superseding stored values (creates new versions; required for a verified year).":
        "替换已存数值的理由（生成新版本；已核查年份必填）。",
    "Reference year of the model's primary exchanges (the enterprises' metered data).": "模型初级交换（企业计量数据）的参考年份。",
    "Required CO2-intensity decline for the default budget [fraction].": "默认预算所要求的二氧化碳强度下降率［比例］。",
    "Reserve for entrants [fraction of the budget].": "为新进入企业保留的储备［占预算比例］。",
    "Round trip, 0-1.": "往返效率，0–1。",
    "Round-trip efficiency.": "往返效率。",
    "Scheduled reports: the day of the month they are sent (1-28; default 1).": "定期报告：每月发送的日期（1–28；默认 1）。",
    "Second year.": "第二年。",
    "Seconds between rounds with --loop.": "使用 --loop 时两轮之间的秒数。",
    "Seed of the Monte Carlo draws.": "蒙特卡洛抽样的随机种子。",
    "Set name (default: the active one).": "因子集名称（默认：当前使用的）。",
    "Show completion for the current shell, to copy it or customize the installation.": "显示当前 shell 的命令补全脚本，以便复制或自定义安装。",
    "Show the upstream tree (inputs under --cutoff summarised).": "显示上游树（低于 --cutoff 的输入合并显示）。",
    "Stop after this many passes (default: run until stopped).": "运行该次数后停止（默认：一直运行直到被停止）。",
    "Storage capacity [kWh] (0: none).": "储能容量［kWh］（0：无）。",
    "Storage power [kW].": "储能功率［kW］。",
    "TOML settings file ([service] and [compute] tables).": "TOML 配置文件（[service] 和 [compute] 表）。",
    "Tell subscribers of new alarms.": "把新告警通知订阅者。",
    "Template id (see `nengtan targets list --templates`).": "模板编号（见 `nengtan targets list --templates`）。",
    "Template: pv (polysilicon → ingot → wafer → cell → module).": "模板：pv（多晶硅 → 硅锭 → 硅片 → 电池片 → 组件）。",
    "The .pdf (tables with charts) or .xlsx to write.": "要写出的 .pdf（表格与图表）或 .xlsx。",
    "The .xlsx file to write (.pdf: the same workbook printed, beside it).": "要写出的 .xlsx 文件（.pdf：同一工作簿的打印版，放在旁边）。",
    "The 17-character project code.": "17 位项目代码。",
    "The application's number (APP-…).": "申请编号（APP-…）。",
    "The certificate's number (CFP-…).": "证书编号（CFP-…）。",
    "The certification body's code (cert_auditor, cert_decider).": "认证机构代码（cert_auditor、cert_decider）。",
    "The certification body's code.": "认证机构代码。",
    "The claimant's credit code.": "声明方的统一社会信用代码。",
    "The compliance year.": "履约年度。",
    "The contract's number.": "合同编号。",
    "The data year.": "数据年份。",
    "The endpoint (default NENGTAN_UPWARD_URL).": "接收端地址（默认 NENGTAN_UPWARD_URL）。",
    "The enterprise that received it.": "接收方企业。",
    "The enterprise whose model it is (credit code): its suppliers' shared footprints become datasets "
    "(supplier:<code>:<product>, pcf:<id>).":
        "模型所属企业（统一社会信用代码）：其供应商共享的碳足迹成为数据集（supplier:<代码>:<产品>、pcf:<编号>）。",
    "The enterprise's credit code.": "企业的统一社会信用代码。",
    "The enterprise's own user.": "企业自己的用户。",
    "The entry's sequence number.": "条目的序号。",
    "The footprint record to share.": "要共享的碳足迹记录。",
    "The grid's carbon-free share, ts,value (0…1).": "电网无碳电力比例，ts,value（0…1）。",
    "The main meter's code.": "总表编号。",
    "The method version (default: the newest).": "方法版本（默认：最新）。",
    "The method version (default: the newest); an old rating is reproduced with its version.":
        "方法版本（默认：最新）；旧的评价用其当时的版本重现。",
    "The month consumed, YYYY-MM.": "消费月份，YYYY-MM。",
    "The month, YYYY-MM.": "月份，YYYY-MM。",
    "The optional indicators the park is assessed on, e.g. 1,2,6,8,11,14 (default: every one with data).":
        "园区参评的选择性指标，例如 1,2,6,8,11,14（默认：所有有数据的指标）。",
    "The park's budget [tce]; default from the base year's intensity.": "园区预算［吨标准煤］；默认按基准年强度计算。",
    "The park's code.": "园区代码。",
    "The park's indicator in the base year (else computed from that year's data if present).":
        "园区基准年的指标值（未给出时，如有该年数据则据以计算）。",
    "The park's public key (hex) the witness pinned; default: the one in the checkpoint.": "见证方固定的园区公钥（十六进制）；默认取检查点中的公钥。",
    "The park's public key (hex) you pinned; default: the one in the head.": "您固定的园区公钥（十六进制）；默认取账本头中的公钥。",
    "The participant (USCC or the agency's code).": "参与方（统一社会信用代码或机构代码）。",
    "The plan's base year (规划基准年) of the elasticities and the CO2 reduction rate.": "弹性系数和二氧化碳下降率所依据的规划基准年。",
    "The platform's public address the QR code opens.": "二维码打开的平台公开地址。",
    "The product (or the activity making it).": "产品（或生产它的活动）。",
    "The product asked for.": "所请求的产品。",
    "The product's name on records, certificates and labels.": "产品在记录、证书和标识上的名称。",
    "The project YAML of the pre-assessment, with its uscc.": "预评估的项目 YAML，含其统一社会信用代码。",
    "The project assessment it rests on (its energy is used when --energy is not given).": "所依据的项目评价（未给出 --energy 时使用其能耗）。",
    "The project is a facility under allowance management (its CCERs cannot offset).": "该项目属于配额管理的设施（其 CCER 不能用于抵销）。",
    "The project's annual energy [tce, dual-control basis].": "项目年能耗［吨标准煤，能耗双控口径］。",
    "The raw-material use's carbon leaves as CO2 (process emission by carbon balance) rather than staying in the "
    "products.":
        "原料用能中的碳以二氧化碳排出（按碳平衡计为过程排放），而非留在产品中。",
    "The record this one supersedes.": "本记录所替代的记录。",
    "The refused message's id.": "被拒收消息的编号。",
    "The report: a workbook (.xlsx) or a PDF (.pdf).": "报告：工作簿（.xlsx）或 PDF（.pdf）。",
    "The request's number.": "请求编号。",
    "The requesting enterprise's credit code.": "请求方企业的统一社会信用代码。",
    "The statement: .xlsx or .pdf.": "报表：.xlsx 或 .pdf。",
    "The step's outcome is a fail (refusal, corrections requested, rejection).": "该步骤的结果为不通过（拒绝受理、要求更正、不予认证）。",
    "The study's goal, in the report.": "研究目的，写入报告。",
    "The supplier's credit code.": "供应商的统一社会信用代码。",
    "The user who hears of it.": "接收通知的用户。",
    "The virtual meter's code.": "虚拟表编号。",
    "The warning run's year (default: the newest year with data).": "预警运行的年份（默认：有数据的最近年份）。",
    "The year evaluated.": "评价年份。",
    "The year rated.": "评级年份。",
    "The year.": "年份。",
    "Tree branches below this share of the total are summarised.": "占总量比例低于该值的分支合并显示。",
    "USCC": "统一社会信用代码",
    "USCC, if the form does not show it": "统一社会信用代码（表中未列出时）",
    "Usable capacity [kWh].": "可用容量［kWh］。",
    "Verified emissions [tCO2].": "核查排放量［tCO2］。",
    "Warnings through this month.": "截至该月的预警。",
    "What proves the value (report number, lab, date).": "该数值的证明（报告编号、实验室、日期）。",
    "Where to write the XLSX report.": "XLSX 报告的写出位置。",
    "Where to write the checkpoint (JSON); default <home>/checkpoints/audit-<size>.json. Hand a copy to an outside "
    "witness.":
        "检查点（JSON）的写出位置；默认 <数据目录>/checkpoints/audit-<条数>.json。请把副本交给外部见证方。",
    "Where to write the proof (JSON).": "证明（JSON）的写出位置。",
    "Why a value already held changes.": "已存数值变更的理由。",
    "Why a year already verified gets a new version.": "已核查年份产生新版本的理由。",
    "With --demo: the small demo park (seconds).": "与 --demo 同用：小型演示园区（几秒钟）。",
    "With --enterprise or --park: the year.": "与 --enterprise 或 --park 同用：年份。",
    "With --live: how long to run.": "与 --live 同用：运行时长。",
    "Write the codes as .xlsx or .pdf.": "把评价码写出为 .xlsx 或 .pdf。",
    "Write the evaluation as .xlsx or .pdf.": "把评价写出为 .xlsx 或 .pdf。",
    "Write the grades as .xlsx or .pdf.": "把等级写出为 .xlsx 或 .pdf。",
    "Write the report as .xlsx or .pdf (in Chinese).": "把报告写出为 .xlsx 或 .pdf（中文）。",
    "XLSX file to write (.pdf: the workbook and its PDF beside it).": "要写出的 XLSX 文件（.pdf：工作簿及其旁边的 PDF）。",
    "YYYY-MM, if the form does not show it": "YYYY-MM（表中未列出时）",
    "YYYY-MM-DD (default today).": "YYYY-MM-DD（默认今天）。",
    "YYYY-MM-DD (default: the meter's newest day).": "YYYY-MM-DD（默认：该表有数据的最近一天）。",
    "YYYY-MM-DD.": "YYYY-MM-DD。",
    "Year of operation to compare.": "用于比较的运行年份。",
    "Year of the pack.": "材料包的年份。",
    "Year of the report.": "报告年份。",
    "Year to check.": "检查的年份。",
    "Year whose data start the projection.": "作为预测起点的数据年份。",
    "accept, document_review, site_inspection, verification, resubmit, decision or withdraw_application.":
        "accept（受理）、document_review（文件评审）、site_inspection（现场检查）、verification（核验）、resubmit（重新提交）、"
        "decision（认证决定）或 withdraw_application（撤回申请）。",
    "admin | enterprise | verifier | public | cert_auditor | cert_decider":
        "admin（管理员）| enterprise（企业）| verifier（核查机构）| public（公众）| cert_auditor（认证审核员）| cert_decider（认证决定人）",
    "allocation, buy or sell.": "allocation（分配）、buy（买入）或 sell（卖出）。",
    "as in the library, e.g. GJ/wan_m3, kgce/m3": "与因子库相同，例如 GJ/wan_m3、kgce/m3",
    "buy or sell.": "buy（买入）或 sell（卖出）。",
    "carbon_efficiency, green_code, mu_efficiency or carbon_points.":
        "carbon_efficiency（碳效码）、green_code（零碳绿码）、mu_efficiency（亩均效益）或 carbon_points（碳积分）。",
    "data directory (default $NENGTAN_HOME or ./nengtan-data)": "数据目录（默认 $NENGTAN_HOME 或 ./nengtan-data）",
    "e.g. natural_gas": "例如 natural_gas（天然气）",
    "e.g. ncv, carbon_content, tce_coefficient, steam_enthalpy":
        "例如 ncv（低位发热量）、carbon_content（单位热值含碳量）、tce_coefficient（折标系数）、steam_enthalpy（蒸汽焓值）",
    "email, wecom, dingtalk or webhook": "email（电子邮件）、wecom（企业微信）、dingtalk（钉钉）或 webhook",
    "energy (online monitoring) or deposit (carbon market).": "energy（能耗在线监测）或 deposit（碳市场月度存证）。",
    "gec, green_power, ccer or cea:<year> (allowances of a compliance year).":
        "gec（绿证）、green_power（绿电）、ccer 或 cea:<年份>（某履约年度的配额）。",
    "grandfather | benchmark | hybrid": "grandfather（历史法）| benchmark（基准法）| hybrid（混合法）",
    "grandfather, benchmark or hybrid.": "grandfather（历史法）、benchmark（基准法）或 hybrid（混合法）。",
    "green_finance, energy_review_priority, policy_support or other.":
        "green_finance（绿色金融）、energy_review_priority（节能审查优先）、policy_support（政策支持）或 other（其他）。",
    "label.svg or label.png": "label.svg 或 label.png",
    "low: red when even the favourable end of the 90 % interval reaches red-at; central: when the central projection "
    "does.":
        "low：90 % 区间的有利一端也达到红色阈值时为红色；central：中心预测达到时为红色。",
    "meter code (repeat)": "表计编号（可重复）",
    "owner's USCC": "所有者的统一社会信用代码",
    "park (the installation), park:<code> or region:<code> (a park or region of it), a sector code or a USCC.":
        "park（整个平台）、park:<代码> 或 region:<代码>（其中的园区或区域）、行业代码或统一社会信用代码。",
    "park | sector:<GB/T 4754 code> | enterprise:<USCC>": "park（园区）| sector:<GB/T 4754 行业代码> | enterprise:<统一社会信用代码>",
    "park | sector:<code> | enterprise:<uscc>": "park（园区）| sector:<行业代码> | enterprise:<统一社会信用代码>",
    "pre_allocation, true_up, buy or sell.": "pre_allocation（预分配）、true_up（核定调整）、buy（买入）或 sell（卖出）。",
    "queued, sent or rejected": "queued（排队中）、sent（已发送）或 rejected（被拒收）",
    "registry URL (default $NENGTAN_DATABASE_URL)": "登记库地址（默认 $NENGTAN_DATABASE_URL）",
    "resubmit: the corrected footprint record.": "resubmit：更正后的碳足迹记录。",
    "stop after this many seconds": "运行该秒数后停止",
    "surveillance found a nonconformity (suspends the certificate).": "监督发现不符合项（暂停证书）。",
    "surveillance, suspend, reinstate or withdraw.": "surveillance（监督）、suspend（暂停）、reinstate（恢复）或 withdraw（撤销）。",
    "table or json": "table（表格）或 json",
    "topic prefix: <prefix>/gw/<gateway>/readings": "主题前缀：<前缀>/gw/<网关>/readings",
    "uvicorn worker processes (needs NENGTAN_SECRET_KEY when > 1).": "uvicorn 工作进程数（大于 1 时需设置 NENGTAN_SECRET_KEY）。",
    "warnings,quality,certificates,compliance,alarms; scheduled reports: report_inventory,report_targets":
        "warnings（预警）、quality（数据质量）、certificates（证书）、compliance（履约）、alarms（告警）；"
        "定期报告：report_inventory（清单）、report_targets（目标）",
    "write flagged estimates for gaps": "为缺数写入带标记的估算值",
    "zh or en reasons.": "理由用 zh（中文）或 en（英文）。",
    "元/MWh (元/t for ccer and cea).": "元/兆瓦时（ccer 和 cea 为元/吨）。",
}
"""An option's or argument's help, English → zh-CN."""

SCREEN_WORDS: dict[str, str] = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEPRECATED_STRING": "（已弃用）",
    "ABORTED_TEXT": "已中止。",
    "RICH_HELP": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
}
"""typer.rich_utils' words on the help and error screens, in Chinese."""

USAGE = "用法："
USAGE_WORDS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}
"""The placeholders of a usage line, in Chinese."""
HELP_OPTION = "显示本帮助并退出。"


def _chinese_context(base: type[Any]) -> type[Any]:
    """``base`` (the command's own click context class: Typer ships its own click) whose usage line reads 用法：."""

    class ChineseFormatter(base.formatter_class):  # type: ignore[misc, name-defined]
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            for english, chinese in USAGE_WORDS.items():
                args = args.replace(english, chinese)
            super().write_usage(prog, args, USAGE if prefix is None else prefix)

    return type("ChineseContext", (base,), {"formatter_class": ChineseFormatter})


def options_in_chinese(command: Any) -> None:
    """``command``'s own options and arguments with their Chinese help, its usage line and help option in Chinese."""
    for param in command.params:
        english = getattr(param, "help", None)
        if english and english in OPTION_HELP:
            param.help = OPTION_HELP[english]  # type: ignore[attr-defined]
    command.context_class = _chinese_context(command.context_class)
    original = command.get_help_option

    def help_option(ctx: Any) -> Any:
        option = original(ctx)
        if option is not None:
            option.help = HELP_OPTION
        return option

    command.get_help_option = help_option


PARSE_ERRORS: list[tuple[str, str]] = [
    (r"No such option: (?P<name>\S+?)(?: Did you mean (?P<other>\S+?)\?)?", "没有这个选项：{name}{other}"),
    (r"No such command '(?P<name>.+?)'\.(?: Did you mean '(?P<other>.+?)'\?)?", "没有这个命令：'{name}'{other}"),
    (r"Missing option (?P<name>.+)\.", "缺少选项 {name}。"),
    (r"Missing argument (?P<name>.+)\.", "缺少参数 {name}。"),
    (r"Missing command\.", "缺少命令。"),
    (r"Option '(?P<name>.+?)' requires an argument\.", "选项 '{name}' 需要一个值。"),
    (r"Got unexpected extra arguments? ?(?:\(s\))? \((?P<name>.+)\)", "多余的参数：{name}"),
    (r"Invalid value for (?P<name>.+?): (?P<value>.+)", "{name} 的值无效：{value}"),
]
"""click's command-line parse errors (English, as click words them) → zh-CN; ``other`` is a suggestion."""

PARSE_VALUES: list[tuple[str, str]] = [
    (r"Input should be a valid integer.*", "须为整数"),
    (r"Input should be a valid number.*", "须为数字"),
    (r"Input should be a valid boolean.*", "须为布尔值（true 或 false）"),
    (r"'(?P<value>.*)' is not a valid integer\.?", "'{value}' 不是有效的整数"),
    (r"'(?P<value>.*)' is not a valid float\.?", "'{value}' 不是有效的数字"),
    (r"'(?P<value>.*)' is not one of (?P<choices>.+)\.", "'{value}' 不是可选值 {choices} 之一"),
    (r"(?:File|Path|Directory) '(?P<value>.+)' does not exist\.", "'{value}' 不存在"),
]
"""The reasons click and Typer give for an invalid value, in Chinese."""


def parse_error_in_chinese(message: str) -> str:
    """A command-line parse error in Chinese (PARSE_ERRORS), or the message as it is when none matches."""
    for pattern, chinese in PARSE_ERRORS:
        m = re.fullmatch(pattern, message.strip(), re.DOTALL)
        if m is None:
            continue
        fields = {k: v or "" for k, v in m.groupdict().items()}
        if fields.get("other"):
            fields["other"] = f"。是否想用 {fields['other']}？"
        if "value" in fields:
            fields["value"] = next((zh.format(**{k: v or "" for k, v in v_m.groupdict().items()})
                                    for p, zh in PARSE_VALUES
                                    if (v_m := re.fullmatch(p, fields["value"].strip(), re.DOTALL))), fields["value"])
        return chinese.format(**fields)
    return message


def screen_in_chinese() -> None:
    """Typer's help and error screens in Chinese: its panel titles and notes are module settings, and a parse error
    is put in Chinese (parse_error_in_chinese) before Typer prints it."""
    import typer.rich_utils

    for name, word in SCREEN_WORDS.items():
        setattr(typer.rich_utils, name, word)
    english = typer.rich_utils.rich_format_error

    def rich_format_error(error: Any) -> None:
        message = error.format_message()
        error.format_message = lambda: parse_error_in_chinese(message)
        english(error)

    typer.rich_utils.rich_format_error = rich_format_error  # type: ignore[assignment]


def english_helps(command: Any) -> list[str]:
    """Every option's and argument's English help in the CLI (for the completeness test)."""
    out = [p.help for p in getattr(command, "params", []) if getattr(p, "help", None)]
    for sub in getattr(command, "commands", {}).values():
        out += english_helps(sub)
    return out
