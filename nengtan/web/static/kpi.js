// Headline cards shared by the cockpit, sector and portal pages.
window.NT_KPI = function (el, items) {
  el.innerHTML = items.map((it) => {
    const unit = it.unit === "%" ? "" : it.unit;
    const target = it.target === null || it.target === undefined ? "" :
      NT.t("target") + (it.target_kind === "max" ? " ≤ " : " ≥ ") + NT.fmt(it.target, it.unit) + (unit ? " " + unit : "");
    const last = it.last_year === null || it.last_year === undefined ? "" :
      " · " + NT.t("yoy") + " " + (it.yoy === null ? "—" : (it.yoy >= 0 ? "+" : "") + (it.yoy * 100).toFixed(1) + "%");
    return '<div class="panel kpi ' + (it.status || "grey") + '" id="kpi-' + it.key + '" data-raw="' + (it.value === null ? "" : it.value) +
      '" data-status="' + (it.status || "grey") + '"><div class="label"><span class="dot ' + (it.status || "grey") + '"></span>' + NT.t(it.key) +
      '</div><div class="value">' + NT.fmt(it.value, it.unit) + '<span class="unit">' + NT.esc(unit) + "</span></div>" +
      '<div class="sub">' + target + last + "</div>" + NT_KPI_PROGRESS(it) + "</div>";
  }).join("");
};
// Where the limit comes from, and the warning run's year-end projection with its status.
window.NT_KPI_PROGRESS = function (it) {
  if (!it.target_source && (it.projection === null || it.projection === undefined)) return "";
  const src = (it.target_source || "").startsWith("adopted:") ? NT.t("adopted") :
    (it.target_source || "").startsWith("elastic:") ? NT.t("elastic") : it.target_source ? NT.t("template") : "";
  const proj = it.projection === null || it.projection === undefined ? "" :
    '<span class="dot ' + (it.warning_status || "grey") + '"></span>' + NT.t("projection") + " " + NT.fmt(it.projection, it.unit) +
    (it.unit === "%" ? "" : " " + NT.esc(it.unit));
  const why = NT.lang === "zh" ? it.reason_zh : it.reason_en;
  return '<div class="sub progress" title="' + NT.esc(why || "") + '">' + proj + (src ? ' <span class="tag">' + src + "</span>" : "") + "</div>";
};
window.NT_INV_ITEMS = function (inv) {
  const i = inv.intensities || {};
  return [
    {key: "energy_tce", value: inv.energy_tce, unit: "tce"},
    {key: "co2_t", value: inv.co2_t, unit: "tCO2"},
    {key: "energy_intensity", value: i.energy_tce_per_10k_cny_value_added, unit: "tce/万元"},
    {key: "carbon_intensity", value: i.co2_t_per_10k_cny_value_added, unit: "tCO2/万元"},
    {key: "non_fossil_energy_share", value: inv.non_fossil_energy_share, unit: "%"},
    {key: "renewable_electricity_share", value: inv.renewable_electricity_share, unit: "%"},
  ];
};
window.NT_TRENDS = function (id, d, metric) {
  const c = NT.chart(id);
  const unit = metric === "co2_t" ? "tCO2" : "tce";
  c.setOption({backgroundColor: "transparent", tooltip: {trigger: "axis", valueFormatter: (v) => NT.num(v) + " " + unit},
    legend: {data: [NT.t("thisYear") + " " + d.year, NT.t("lastYear") + " " + (d.year - 1)]},
    grid: {left: 70, right: 20, top: 40, bottom: 30},
    xAxis: {type: "category", data: d.months}, yAxis: {type: "value", name: unit},
    series: [{name: NT.t("thisYear") + " " + d.year, type: "line", smooth: true, data: d.this_year[metric]},
             {name: NT.t("lastYear") + " " + (d.year - 1), type: "line", smooth: true, lineStyle: {type: "dashed"}, data: d.last_year[metric]}]}, true);
  // the figures as a table too (both measures, both years), wherever the trend is drawn
  NT.chartTable(id, [NT.t("period"), d.year + " tCO2", (d.year - 1) + " tCO2", d.year + " tce", (d.year - 1) + " tce"],
    d.months.map((m, i) => [m, d.this_year.co2_t[i], d.last_year.co2_t[i], d.this_year.energy_tce[i], d.last_year.energy_tce[i]]));
  return c;
};
window.NT_CARRIER_PIE = function (id, rows) {
  const c = NT.chart(id);
  c.setOption({backgroundColor: "transparent", tooltip: {trigger: "item", valueFormatter: (v) => NT.num(v) + " tce"},
    series: [{type: "pie", radius: ["35%", "70%"], data: rows.map((r) => ({name: NT.name(r), value: r.energy_tce}))}]});
  NT.chartTable(id, [NT.t("carrier"), "tce"], rows.map((r) => [NT.name(r), r.energy_tce]));
  return c;
};
