// A sector of the park (drill-down from the cockpit).
(async function () {
  NT.header();
  const code = document.body.dataset.sector;
  const d = await NT.api("/api/cockpit/sectors/" + encodeURIComponent(code) + NT.q());
  document.getElementById("sector-name").textContent = d.code + " " + NT.name(d);
  NT_KPI(document.getElementById("kpis"), NT_INV_ITEMS(d.inventory));
  NT_TRENDS("chart-trends", d.trends, "co2_t");
  NT_CARRIER_PIE("chart-carrier", d.breakdown.by_carrier);
  document.getElementById("enterprises").innerHTML = "<tr><th>" + NT.t("rank") + "</th><th>" + NT.t("enterprise") +
    '</th><th class="num">' + NT.t("energy_tce") + ' [tce]</th><th class="num">' + NT.t("co2_t") + " [tCO2]</th></tr>" +
    d.enterprises.map((e) => "<tr><td>" + e.rank + '</td><td><a href="/portal/' + e.uscc + NT.q() + '">' + NT.esc(e.name) +
      '</a></td><td class="num">' + NT.num(e.energy_tce) + '</td><td class="num">' + NT.num(e.co2_t) + "</td></tr>").join("");
  document.body.dataset.ready = "1";
})();
