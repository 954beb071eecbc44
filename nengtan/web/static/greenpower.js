// The cockpit's green-power panels: GEC stock by status (and those expiring soon), and the park grid traced,
// each bus coloured by its mean nodal carbon intensity (from /api/greenpower/grid; nothing is computed here).
(async function () {
  const stock = await NT.api("/api/greenpower/stock");
  const rows = Object.entries(stock.mwh_by_status);
  document.getElementById("green-stock").innerHTML = "<tr><th>" + NT.t("gecStatus") + '</th><th class="num">' + NT.t("gecMwh") + "</th></tr>" +
    rows.map(([k, v]) => "<tr><td>" + NT.t(k) + '</td><td class="num">' + NT.num(v) + "</td></tr>").join("") +
    "<tr><td>" + NT.t("expiring") + '</td><td class="num">' + NT.num(stock.expiring_90_days.reduce((a, h) => a + h.mwh, 0)) + "</td></tr>";
  let grid;
  try { grid = await NT.api("/api/greenpower/grid"); } catch (e) {
    document.getElementById("chart-grid").innerHTML = '<p class="muted">' + NT.t("noNetwork") + "</p>"; return;
  }
  const hi = Math.max(0.001, ...grid.buses.map((b) => b.kgco2_per_kwh));
  NT.chart("chart-grid").setOption({backgroundColor: "transparent",
    tooltip: {formatter: (p) => p.dataType === "node" ? NT.esc(p.data.name) + "<br>" + p.data.value.toFixed(4) + " kgCO2/kWh<br>" +
      (p.data.green * 100).toFixed(2) + "% green" : NT.esc(p.data.source + " → " + p.data.target) + "<br>" + p.data.mw.toFixed(3) + " MW"},
    visualMap: {min: 0, max: hi, dimension: 0, seriesIndex: 0, text: [NT.t("nodalIntensity"), ""], inRange: {color: ["#2fbf71", "#f5a524", "#e5484d"]},
      calculable: true, orient: "horizontal", left: "center", bottom: 0},
    series: [{type: "graph", layout: "none", roam: true, symbolSize: 9, edgeSymbol: ["none", "arrow"], edgeSymbolSize: 5,
      data: grid.buses.map((b) => ({name: b.bus, x: b.x * 100, y: b.y * 12, value: b.kgco2_per_kwh, green: b.green_share})),
      links: grid.branches.map((l) => ({source: l.from, target: l.to, mw: l.mean_mw})), lineStyle: {color: "#6b7f99", opacity: 0.6}}]});
})();
