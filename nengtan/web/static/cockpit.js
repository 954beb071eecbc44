// The park cockpit: headline figures, live alarms, trends, breakdowns, Sankey, map, ranking and warnings.
(async function () {
  NT.header();
  document.getElementById("admin-link").hidden = Boolean(document.body.dataset.userPlace);  // staff of a place: no administration
  const year = NT.year();
  const sel = document.getElementById("year-select");
  const summary = await NT.api("/api/cockpit/summary" + NT.q());
  const y = summary.year;
  const yrs = (await NT.api("/api/cockpit/years")).years;  // only the years that hold data
  if (!yrs.includes(y)) yrs.push(y);
  sel.innerHTML = yrs.map((k) => "<option" + (k === y ? " selected" : "") + ">" + k + "</option>").join("");
  sel.onchange = () => { const p = new URLSearchParams(location.search); p.set("year", sel.value); location.search = "?" + p; };
  // the place: the user's own (the whole installation for a park administrator) or a region or park inside it
  const places = await NT.api("/api/cockpit/places");
  const here = NT.place() || places.place, ps = document.getElementById("place-select");
  ps.innerHTML = places.items.map((p) => '<option value="' + NT.esc(p.place) + '"' + (p.place === here ? " selected" : "") + ">" +
    "\u3000".repeat(Math.max(p.depth, 0)) + NT.esc(p.name) + "</option>").join("");
  ps.hidden = places.items.length < 2;
  ps.onchange = () => { const p = new URLSearchParams(location.search); p.set("place", ps.value); location.search = "?" + p; };
  const cur = places.items.find((p) => p.place === here);
  document.getElementById("place-name").textContent = cur ? cur.name : "";
  document.getElementById("evaluation-link").href = "/cockpit/evaluation" + NT.q();
  document.getElementById("screen-link").href = "/cockpit/screen" + NT.q();
  for (const kind of ["pack", "inventory", "targets"])  // the place's reports, as the CLI's `nengtan report` writes them
    for (const fmt of ["pdf", "xlsx"]) document.getElementById(kind + "-" + fmt).href = "/api/reports/" + kind + NT.q({year: y, format: fmt});
  if (!NT.whole()) document.querySelectorAll("[data-whole]").forEach((el) => { el.hidden = true; });
  document.getElementById("year-label").textContent = y + (year ? "" : "");
  NT_KPI(document.getElementById("kpis"), summary.items);
  await NT_ALARMS("alarms", "alarm-count", {limit: 50, every: 60});  // the open live alarms, refreshed every minute

  const trends = await NT.api("/api/cockpit/trends" + NT.q());
  let chart = NT_TRENDS("chart-trends", trends, "co2_t");  // with its table (kpi.js)
  document.querySelectorAll("[data-m]").forEach((b) => b.onclick = () => {
    document.querySelectorAll("[data-m]").forEach((x) => x.classList.remove("active")); b.classList.add("active");
    chart = NT_TRENDS("chart-trends", trends, b.dataset.m);
  });

  const bd = await NT.api("/api/cockpit/breakdown" + NT.q());
  const sc = NT.chart("chart-sector");
  sc.setOption({backgroundColor: "transparent", tooltip: {trigger: "axis", valueFormatter: (v) => NT.num(v) + " tCO2"},
    grid: {left: 150, right: 20, top: 10, bottom: 30}, xAxis: {type: "value", name: "tCO2"},
    yAxis: {type: "category", inverse: true, data: bd.by_sector.map((r) => r.sector_code + " " + NT.name(r).slice(0, 10))},
    series: [{type: "bar", data: bd.by_sector.map((r) => ({value: r.co2_t, code: r.sector_code}))}]});
  sc.on("click", (p) => { location.href = "/cockpit/sectors/" + bd.by_sector[p.dataIndex].sector_code + NT.q(); });
  NT.chartTable("chart-sector", [NT.t("sector"), "tCO2"], bd.by_sector.map((r) => [r.sector_code + " " + NT.name(r), r.co2_t]));
  NT_CARRIER_PIE("chart-carrier", bd.by_carrier);

  const sk = await NT.api("/api/cockpit/sankey" + NT.q());
  const names = Object.fromEntries(sk.nodes.map((n) => [n.id, NT.name(n)]));
  NT.chart("chart-sankey").setOption({backgroundColor: "transparent", tooltip: {trigger: "item", valueFormatter: (v) => NT.num(v) + " tce"},
    series: [{type: "sankey", left: 10, right: 140, emphasis: {focus: "adjacency"}, lineStyle: {color: "gradient", curveness: 0.5},
      data: sk.nodes.map((n) => ({name: names[n.id]})),
      links: sk.links.map((l) => ({source: names[l.source], target: names[l.target], value: l.value}))}]});
  NT.chartTable("chart-sankey", [NT.t("carrier"), NT.t("sector"), "tce"], sk.links.map((l) => [names[l.source], names[l.target], l.value]));

  const mp = await NT.api("/api/cockpit/map" + NT.q());
  const maxCo2 = Math.max(1, ...mp.items.map((p) => p.co2_t));
  const mc = NT.chart("chart-map");
  mc.setOption({backgroundColor: "#13233a", tooltip: {formatter: (p) => NT.esc(p.data.name) + "<br>" + NT.num(p.data.co2) + " tCO2"},
    grid: {left: 50, right: 20, top: 10, bottom: 30},
    xAxis: {type: "value", scale: true, name: NT.t("lon"), splitLine: {lineStyle: {color: "#22344f"}}},
    yAxis: {type: "value", scale: true, name: NT.t("lat"), splitLine: {lineStyle: {color: "#22344f"}}},
    series: [{type: "scatter", data: mp.items.map((p) => ({value: [p.lon, p.lat], name: p.name, co2: p.co2_t, uscc: p.uscc})),
      symbolSize: (v, p) => 6 + 34 * Math.sqrt(p.data.co2 / maxCo2), itemStyle: {color: "#f5a524", opacity: 0.75}}]});
  mc.on("click", (p) => { location.href = "/portal/" + p.data.uscc + NT.q(); });
  NT.chartTable("chart-map", [NT.t("enterprise"), NT.t("lon"), NT.t("lat"), "tCO2"], mp.items.map((p) => [p.name, String(p.lon), String(p.lat), p.co2_t]));

  async function ranking(by) {
    const r = await NT.api("/api/cockpit/ranking" + NT.q({by: by, limit: 50}));
    const unitCol = by === "intensity" ? "tCO2/万元" : "tCO2";
    document.getElementById("ranking").innerHTML = "<tr><th>" + NT.t("rank") + "</th><th>" + NT.t("enterprise") + "</th><th>" + NT.t("sector") +
      '</th><th class="num">' + NT.t("co2_t") + ' [tCO2]</th><th class="num">' + NT.t("carbon_intensity") + " [tCO2/万元]</th></tr>" +
      r.items.map((e) => "<tr><td>" + e.rank + '</td><td><a href="/portal/' + e.uscc + NT.q() + '">' + NT.esc(e.name) + "</a></td><td>" + NT.esc(e.sector_code) +
        '</td><td class="num">' + NT.num(e.co2_t) + '</td><td class="num">' + NT.num(e.co2_intensity, 4) + "</td></tr>").join("");
    return unitCol;
  }
  document.querySelectorAll("[data-by]").forEach((b) => b.onclick = () => {
    document.querySelectorAll("[data-by]").forEach((x) => x.classList.remove("active")); b.classList.add("active"); ranking(b.dataset.by);
  });
  await ranking("co2");

  const pr = await NT.api("/api/warnings" + NT.q({level: "park", all: "true"}));
  const unitOf = (r) => r.unit === "fraction" ? "%" : r.unit;
  document.getElementById("progress").innerHTML = pr.items.length === 0 ? '<tr><td class="muted">' + NT.t("noData") + "</td></tr>" :
    "<tr><th>" + NT.t("status") + "</th><th>" + NT.t("indicator") + '</th><th class="num">' + NT.t("ytd") + '</th><th class="num">' +
    NT.t("projection") + '</th><th class="num">' + NT.t("limit") + '</th><th class="num">' + NT.t("ratio") + "</th><th>" + NT.t("reason") + "</th></tr>" +
    pr.items.map((x) => '<tr data-indicator="' + NT.esc(x.indicator) + '"><td><span class="dot ' + x.status + '"></span>' + NT.t(x.status) + "</td><td>" +
      NT.t(x.indicator) + '</td><td class="num">' + NT.fmt(x.ytd_actual, unitOf(x)) + '</td><td class="num">' + NT.fmt(x.projection, unitOf(x)) +
      (x.low === null || x.high === null ? "" : ' <span class="muted">[' + NT.fmt(x.low, unitOf(x)) + "–" + NT.fmt(x.high, unitOf(x)) + "]</span>") +
      '</td><td class="num">' + NT.fmt(x.limit, unitOf(x)) + " " + NT.esc(unitOf(x) === "%" ? "" : x.unit) + '</td><td class="num">' +
      (x.ratio === null ? "—" : (x.ratio * 100).toFixed(0) + "%") + "</td><td>" + NT.reason(x) + "</td></tr>").join("");

  const w = await NT.api("/api/cockpit/warnings" + NT.q({limit: 200}));
  const c = w.counts || {};
  document.getElementById("warning-counts").textContent = w.month ? w.year + "-" + String(w.month).padStart(2, "0") + " · " +
    NT.t("counts").replace("{red}", c.red || 0).replace("{yellow}", c.yellow || 0).replace("{green}", c.green || 0) : "";
  const lv = {park: "park", sector: "sector_level", enterprise: "enterprise_level"};
  const who = (x) => x.level === "enterprise" ? '<a href="/portal/' + encodeURIComponent(x.subject) + NT.q() + '">' + NT.esc(x.name) + "</a>" :
    NT.esc(x.level === "park" ? NT.t(x.indicator) : (x.name || x.subject));
  document.getElementById("warnings").innerHTML = w.items.length === 0 ? '<tr><td class="muted">' + NT.t("noWarnings") + "</td></tr>" :
    "<tr><th>" + NT.t("status") + "</th><th>" + NT.t("level") + "</th><th>" + NT.t("enterprise") + "</th><th>" + NT.t("reason") + "</th></tr>" +
    w.items.map((x) => '<tr><td><span class="dot ' + x.status + '"></span>' + NT.t(x.status) + "</td><td>" + NT.t(lv[x.level] || x.level) +
      "</td><td>" + who(x) + "</td><td>" + NT.reason(x) + "</td></tr>").join("");
  document.body.dataset.ready = "1";
})();
