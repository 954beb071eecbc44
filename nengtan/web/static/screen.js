// The large-screen cockpit (驾驶舱大屏): the cockpit's figures on one 1920×1080 screen, in the units leaders use
// (万吨标准煤, 万吨 CO2, shares in 百分点), the park's own map (GeoJSON shipped with the park, no map tiles), refreshed
// every few minutes. Nothing is computed here: every figure is the API's, only scaled to 万吨 for display.
(async function () {
  NT.header();
  const q = (extra) => NT.q(extra);
  const wan = (t) => (t === null || t === undefined ? null : t / 1e4);  // t → 万吨
  const refreshS = Math.max(30, parseInt(new URLSearchParams(location.search).get("refresh") || "300", 10));
  document.getElementById("refresh-note").textContent = NT.t("autoRefresh").replace("{m}", Math.round(refreshS / 60));
  setTimeout(() => location.reload(), refreshS * 1000);
  const tick = () => { document.getElementById("clock").textContent = new Date().toLocaleString(NT.lang === "zh" ? "zh-CN" : "en-US", {hour12: false}); };
  tick(); setInterval(tick, 1000);
  document.getElementById("fullscreen-btn").onclick = () => {
    if (document.fullscreenElement) document.exitFullscreen(); else document.documentElement.requestFullscreen();
  };
  document.getElementById("back-link").href = "/cockpit" + q();

  const places = await NT.api("/api/cockpit/places");
  const here = NT.place() || places.place;
  const cur = places.items.find((p) => p.place === here);
  document.getElementById("place-name").textContent = cur ? cur.name : "";
  const summary = await NT.api("/api/cockpit/summary" + q());
  const trends = await NT.api("/api/cockpit/trends" + q());
  const last = trends.this_year.co2_t.reduce((k, v, i) => (v > 0 ? i : k), -1);
  document.getElementById("as-of").textContent = NT.t("asOf") + " " + trends.year + "-" + (last >= 0 ? trends.months[last] : "—");

  // live alarms: how many are open, red when any (the list is on the cockpit's alarms panel)
  const alarms = async () => {
    const a = await NT.api("/api/alarms?limit=1000"), el = document.getElementById("s-alarms");
    el.textContent = NT.t("alarmsTitle") + " " + NT.t("alarmsOpen").replace("{n}", a.open);
    el.classList.toggle("alert", a.open > 0);
  };
  await alarms();
  setInterval(() => { alarms().catch(() => {}); }, 60 * 1000);

  // headline tiles: totals in 万吨 with the change on last year in %, shares in % with the change in 百分点
  const big = {energy_tce: ["万吨标准煤", 2], co2_t: ["万吨CO2", 2]};
  document.getElementById("screen-kpis").innerHTML = summary.items.map((it) => {
    const share = it.unit === "%";
    const [unit, dec] = big[it.key] || [share ? "%" : it.unit, share ? 1 : 4];
    const value = big[it.key] ? NT.num(wan(it.value), dec) : share ? (it.value === null ? "—" : (it.value * 100).toFixed(1)) : NT.num(it.value, dec);
    let change = "";
    if (it.last_year !== null && it.last_year !== undefined && it.value !== null) {
      const d = share ? (it.value - it.last_year) * 100 : it.yoy * 100;
      const cls = d > 0 === (it.target_kind !== "min") ? "up" : "down";
      change = NT.t("yoy") + ' <span class="' + cls + '">' + (d >= 0 ? "+" : "") + d.toFixed(share ? 2 : 1) + (share ? " " + NT.t("pctPoints") : "%") + "</span>";
    }
    return '<div class="panel ' + (it.status || "grey") + '" id="s-kpi-' + it.key + '" data-raw="' + (it.value === null ? "" : it.value) + '">' +
      '<div class="label">' + NT.t(it.key) + '</div><div class="value">' + value + '<span class="unit">' + NT.esc(unit) + "</span></div>" +
      '<div class="sub">' + change + "</div></div>";
  }).join("");

  // monthly trend, this year against last (with a table for screen readers)
  NT.chart("s-trends").setOption({backgroundColor: "transparent", tooltip: {trigger: "axis", valueFormatter: (v) => NT.num(wan(v), 2) + " 万吨"},
    legend: {data: [String(trends.year), String(trends.year - 1)], textStyle: {fontSize: 14}}, grid: {left: 56, right: 16, top: 36, bottom: 28},
    xAxis: {type: "category", data: trends.months}, yAxis: {type: "value", name: "万吨CO2", axisLabel: {formatter: (v) => (v / 1e4).toFixed(1)}},
    series: [{name: String(trends.year), type: "line", smooth: true, data: trends.this_year.co2_t},
             {name: String(trends.year - 1), type: "line", smooth: true, lineStyle: {type: "dashed"}, data: trends.last_year.co2_t}]});
  document.getElementById("s-trends-table").innerHTML = "<tr><th>" + NT.t("period") + "</th><th>" + trends.year + " tCO2</th><th>" + (trends.year - 1) +
    " tCO2</th></tr>" + trends.months.map((m, i) => "<tr><td>" + m + "</td><td>" + NT.num(trends.this_year.co2_t[i]) + "</td><td>" +
    NT.num(trends.last_year.co2_t[i]) + "</td></tr>").join("");

  // the park's map: its outline and plots from its GeoJSON, enterprises sized by emissions
  const [geo, mp] = await Promise.all([NT.api("/api/cockpit/geo" + q()), NT.api("/api/cockpit/map" + q())]);
  const maxCo2 = Math.max(1, ...mp.items.map((p) => p.co2_t));
  const size = (co2) => 6 + 30 * Math.sqrt(co2 / maxCo2);
  const points = mp.items.filter((p) => p.lon !== null && p.lat !== null).map((p) => ({name: p.name, value: [p.lon, p.lat, p.co2_t], uscc: p.uscc}));
  const tip = {formatter: (p) => p.seriesType === "scatter" ? NT.esc(p.data.name) + "<br>" + NT.num(p.data.value[2] / 1e4, 3) + " 万吨CO2" : NT.esc(p.name)};
  const mc = NT.chart("s-map");
  if (geo.features.length) {
    echarts.registerMap("nt-park", geo);
    mc.setOption({backgroundColor: "transparent", tooltip: tip,
      geo: {map: "nt-park", roam: true, nameProperty: "name", label: {show: false},
        itemStyle: {areaColor: "#1b3352", borderColor: "#3fa7ff", borderWidth: 1}, emphasis: {itemStyle: {areaColor: "#264a73"}, label: {show: false}},
        regions: geo.features.filter((f) => f.properties.kind === "outline").map((f) => ({name: f.properties.name,
          itemStyle: {areaColor: "#10233b", borderColor: "#7fc3ff", borderWidth: 2}}))},
      series: [{type: "scatter", coordinateSystem: "geo", data: points, symbolSize: (v) => size(v[2]), itemStyle: {color: "#f5a524", opacity: 0.8}}]});
  } else {  // a park without a map yet: the coordinates on plain axes
    mc.setOption({backgroundColor: "transparent", tooltip: tip, grid: {left: 50, right: 16, top: 10, bottom: 28},
      xAxis: {type: "value", scale: true, name: NT.t("lon")}, yAxis: {type: "value", scale: true, name: NT.t("lat")},
      series: [{type: "scatter", data: points, symbolSize: (v) => size(v[2]), itemStyle: {color: "#f5a524", opacity: 0.8}}]});
  }
  mc.on("click", (p) => { if (p.data && p.data.uscc) location.href = "/portal/" + p.data.uscc + q(); });
  document.getElementById("s-map").dataset.features = String(geo.features.length);
  NT.chartTable("s-map", [NT.t("enterprise"), "tCO2"], mp.items.map((p) => [p.name, p.co2_t]));

  // warnings: counts and the worst first
  const w = await NT.api("/api/cockpit/warnings" + q({limit: 12}));
  const c = w.counts || {};
  document.getElementById("s-counts").textContent = NT.t("counts").replace("{red}", c.red || 0).replace("{yellow}", c.yellow || 0).replace("{green}", c.green || 0);
  document.getElementById("s-warnings").innerHTML = w.items.length === 0 ? '<tr><td class="muted">' + NT.t("noWarnings") + "</td></tr>" :
    w.items.map((x) => '<tr><td><span class="dot ' + x.status + '"></span></td><td>' + NT.esc(x.level === "park" ? NT.t(x.indicator) : (x.name || x.subject)) +
      "</td><td class='muted'>" + NT.esc(NT.lang === "zh" ? x.reason_zh : x.reason_en) + "</td></tr>").join("");

  // energy flow and the sectors' emissions (labels wrap rather than being cut off)
  const sk = await NT.api("/api/cockpit/sankey" + q());
  const names = Object.fromEntries(sk.nodes.map((n) => [n.id, NT.name(n)]));
  NT.chart("s-sankey").setOption({backgroundColor: "transparent", tooltip: {trigger: "item", valueFormatter: (v) => NT.num(v / 1e4, 2) + " 万吨标准煤"},
    series: [{type: "sankey", left: 8, right: 8, top: 8, bottom: 8, emphasis: {focus: "adjacency"}, lineStyle: {color: "gradient", curveness: 0.5},
      label: {fontSize: 13, color: "#e8eef7", textBorderColor: "#16263d", textBorderWidth: 3},
      levels: [{depth: 1, label: {position: "left"}}],  // the sectors' names inside the chart, whole
      data: sk.nodes.map((n) => ({name: names[n.id]})),
      links: sk.links.map((l) => ({source: names[l.source], target: names[l.target], value: l.value}))}]});
  NT.chartTable("s-sankey", [NT.t("carrier"), NT.t("sector"), "tce"], sk.links.map((l) => [names[l.source], names[l.target], l.value]));
  const bd = await NT.api("/api/cockpit/breakdown" + q());
  const sectors = bd.by_sector.slice(0, 10);
  NT.chart("s-sector").setOption({backgroundColor: "transparent", tooltip: {trigger: "axis", valueFormatter: (v) => NT.num(v, 2) + " 万吨CO2"},
    grid: {left: 8, right: 56, top: 8, bottom: 24, containLabel: true}, xAxis: {type: "value", name: "万吨", nameGap: 8},
    yAxis: {type: "category", inverse: true, axisLabel: {width: 150, overflow: "break", fontSize: 13},
      data: sectors.map((r) => NT.name(r) + " " + r.sector_code)},
    series: [{type: "bar", data: sectors.map((r) => wan(r.co2_t)), itemStyle: {color: "#3fa7ff"}}]});
  document.getElementById("s-sector-table").innerHTML = "<tr><th>" + NT.t("sector") + "</th><th>tCO2</th></tr>" +
    bd.by_sector.map((r) => "<tr><td>" + NT.esc(NT.name(r)) + "</td><td>" + NT.num(r.co2_t) + "</td></tr>").join("");

  const r = await NT.api("/api/cockpit/ranking" + q({by: "co2", limit: 10}));
  document.getElementById("s-ranking").innerHTML = r.items.map((e) => "<tr><td>" + e.rank + "</td><td>" + NT.esc(e.name) +
    '</td><td class="num">' + NT.num(wan(e.co2_t), 2) + ' <span class="muted">万吨</span></td></tr>').join("");
  document.body.dataset.ready = "1";
})();
