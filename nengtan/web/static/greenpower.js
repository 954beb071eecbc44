// Green-power panels (nothing is computed here; every figure is the API's): on the cockpit, the GEC stock by
// status, the park's 24/7 CFE and the park grid traced, each bus coloured by its mean nodal carbon intensity;
// on the portal, the enterprise's claims, its CFE and its green-power statement.
(async function () {
  const year = Number(NT.year() || new Date().getFullYear() - 1);
  const uscc = document.body.dataset.uscc;
  const pct = (v) => (v * 100).toFixed(1) + "%";
  async function cfe(path) {
    const el = document.getElementById("green-cfe");
    try {
      const c = await NT.api(path + "?year=" + year);
      if (!c.available) { el.innerHTML = '<tr><td class="muted">' + NT.t("noMeters") + "</td></tr>"; return; }
      el.innerHTML = [["cfeScore", c.cfe_score], ["hourlyShare", c.hourly_matched_share], ["annualShare", c.annual_share]]
        .map(([k, v]) => "<tr><td>" + NT.t(k) + '</td><td class="num">' + pct(v) + "</td></tr>").join("");
    } catch (e) { el.innerHTML = '<tr><td class="muted">' + NT.t("noMeters") + "</td></tr>"; }
  }
  if (uscc) {  // the enterprise portal
    const cl = await NT.api("/api/greenpower/claims?uscc=" + encodeURIComponent(uscc) + "&year=" + year);
    document.getElementById("green-claims").innerHTML = cl.items.length === 0 ? '<tr><td class="muted">' + NT.t("noClaims") + "</td></tr>" :
      "<tr><th>" + NT.t("claimPeriod") + '</th><th class="num">' + NT.t("claimedMwh") + "</th><th>GEC</th></tr>" +
      cl.items.map((c) => "<tr><td>" + NT.esc(c.period) + '</td><td class="num">' + NT.num(c.mwh) + "</td><td>" +
        c.gecs.map((g) => NT.esc(g.first_code) + "…" + NT.esc(g.last_code.slice(-9))).join("<br>") + "</td></tr>").join("");
    const st = "/api/greenpower/statement/" + encodeURIComponent(uscc) + "?year=" + year + "&format=";
    document.getElementById("statement-xlsx").href = st + "xlsx";
    document.getElementById("statement-pdf").href = st + "pdf";
    await cfe("/api/greenpower/cfe/" + encodeURIComponent(uscc));
    return;
  }
  if (!NT.whole()) return;  // green power is the installation's (a park's or region's view hides it)
  const stock = await NT.api("/api/greenpower/stock");
  const rows = Object.entries(stock.mwh_by_status);
  document.getElementById("green-stock").innerHTML = "<tr><th>" + NT.t("gecStatus") + '</th><th class="num">' + NT.t("gecMwh") + "</th></tr>" +
    rows.map(([k, v]) => "<tr><td>" + NT.t(k) + '</td><td class="num">' + NT.num(v, 0) + "</td></tr>").join("") +
    "<tr><td>" + NT.t("expiring") + '</td><td class="num">' + NT.num(stock.expiring_90_days.reduce((a, h) => a + h.mwh, 0), 0) + "</td></tr>";
  await cfe("/api/greenpower/cfe");
  let grid;
  try { grid = await NT.api("/api/greenpower/grid"); } catch (e) {
    document.getElementById("chart-grid").innerHTML = '<p class="muted">' + NT.t("noNetwork") + "</p>"; return;
  }
  const hi = Math.max(0.001, ...grid.buses.map((b) => b.kgco2_per_kwh));
  NT.chart("chart-grid").setOption({backgroundColor: "transparent",
    tooltip: {formatter: (p) => p.dataType === "node" ? NT.esc(p.data.name) + "<br>" + p.data.value.toFixed(4) + " kgCO2/kWh<br>" +
      NT.t("greenShare") + " " + (p.data.green * 100).toFixed(2) + "%" : NT.esc(p.data.source + " → " + p.data.target) + "<br>" + p.data.mw.toFixed(3) + " MW"},
    visualMap: {min: 0, max: hi, dimension: 0, seriesIndex: 0, text: [NT.t("nodalIntensity"), ""], inRange: {color: ["#2fbf71", "#f5a524", "#e5484d"]},
      precision: 3, calculable: true, orient: "horizontal", left: "center", bottom: 0},
    series: [{type: "graph", layout: "none", roam: true, symbolSize: 9, edgeSymbol: ["none", "arrow"], edgeSymbolSize: 5,
      data: grid.buses.map((b) => ({name: b.bus, x: b.x * 100, y: b.y * 12, value: b.kgco2_per_kwh, green: b.green_share})),
      links: grid.branches.map((l) => ({source: l.from, target: l.to, mw: l.mean_mw})), lineStyle: {color: "#6b7f99", opacity: 0.6}}]});
  NT.chartTable("chart-grid", [NT.t("bus"), NT.t("nodalIntensity"), NT.t("greenShare")],
    grid.buses.map((b) => [b.bus, b.kgco2_per_kwh.toFixed(4), (b.green_share * 100).toFixed(2) + "%"]));
})();
