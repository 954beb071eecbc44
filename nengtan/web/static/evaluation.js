// The park's evaluations (nothing is computed here; every figure is the API's): HJ 274-2015 with each indicator's
// pass/fail, inputs and trend, the zero-carbon park indicators with their gaps, and the GHG inventory.
(async function () {
  NT.header();
  const year = NT.year() || new Date().getFullYear() - 1;
  const sel = document.getElementById("year-select");
  const yrs = (await NT.api("/api/cockpit/years")).years;  // only the years that hold data
  if (!yrs.includes(year)) yrs.push(year);
  sel.innerHTML = yrs.map((k) => "<option" + (k === year ? " selected" : "") + ">" + k + "</option>").join("");
  sel.onchange = () => { const p = new URLSearchParams(location.search); p.set("year", sel.value); location.search = "?" + p; };
  const pl = NT.place() ? "&place=" + encodeURIComponent(NT.place()) : "";  // a park's or region's evaluation
  document.getElementById("year-label").textContent = year;
  const fmt = (v, unit) => v === null || v === undefined ? "—" : NT.num(v, unit === "—" || Math.abs(v) < 1 ? 4 : 2);
  const verdict = (p) => p === null || p === undefined ? '<span class="muted">' + NT.t("noData") + "</span>" :
    '<span data-colour="' + (p ? "green" : "red") + '">' + NT.t(p ? "met" : "notMet") + "</span>";
  const zh = NT.lang === "zh";
  const inputText = (x) => zh ? NT.word("statItem", x.item) + " " + x.year + " 年：" + NT.num(x.value, 2) + " — " + (x.source_zh || x.source)
    : x.item + " " + x.year + ": " + NT.num(x.value, 2) + " — " + x.source;
  const links = (id, path) => { document.getElementById(id + "-xlsx").href = path + "&format=xlsx"; document.getElementById(id + "-pdf").href = path + "&format=pdf"; };

  const hj = await NT.api("/api/evaluation/hj274?year=" + year + pl);
  links("hj274", "/api/evaluation/hj274/export?year=" + year + pl);
  document.getElementById("hj274-result").textContent = (hj.passed ? NT.t("met") : NT.t("notMet")) + " · " + NT.t("baseYear") + " " +
    (hj.base_year || "—") + " · " + NT.t("optionalMet") + " " + hj.optional_met.length + "/" + hj.optional_chosen.length;
  document.getElementById("hj274").innerHTML = "<tr><th>" + NT.t("group") + "</th><th>#</th><th>" + NT.t("indicator") + "</th><th>" + NT.t("unit") +
    "</th><th>" + NT.t("requirementCol") + "</th><th>" + NT.t("typeCol") + '</th><th class="num">' + NT.t("value") + "</th><th>" + NT.t("result") +
    "</th><th>" + NT.t("inputsCol") + "</th></tr>" + hj.indicators.map((i) => '<tr data-no="' + i.no + '" tabindex="0"><td>' + NT.esc(NT.said(i, "group")) + "</td><td>" + i.no + i.mark +
    "</td><td>" + NT.esc(NT.said(i, "name")) + "</td><td>" + NT.esc(NT.said(i, "unit")) + "</td><td>" + NT.esc(NT.said(i, "requirement")) + "</td><td>" + NT.t(i.mandatory ? "mandatory" : "optional") +
    '</td><td class="num">' + fmt(i.value, i.unit) + "</td><td>" + verdict(i.passed) + (i.substituted_by ? " (" + NT.t("metBy") + " " + i.substituted_by + ")" : "") +
    '</td><td class="muted">' + (i.reason ? NT.reason(i) : NT.esc(i.inputs.map(inputText).join("; "))) + "</td></tr>").join("");
  const years = [year - 3, year - 2, year - 1, year].join(",");
  const trend = await NT.api("/api/evaluation/hj274/trend?years=" + years + pl);
  const chart = NT.chart("chart-indicator");
  function show(no) {
    const t = trend.indicators.find((i) => i.no === no);
    document.getElementById("trend-name").textContent = no + " " + NT.said(t, "name") + " [" + NT.said(t, "unit") + "]";
    chart.setOption({backgroundColor: "transparent", tooltip: {trigger: "axis"}, xAxis: {type: "category", data: trend.years},
      yAxis: {type: "value", name: NT.said(t, "unit")}, series: [{type: "line", data: t.values, connectNulls: false,
        itemStyle: {color: "#4cc9f0"}, label: {show: true, formatter: (p) => p.value === null ? "" : NT.num(p.value, 2)}}]}, true);
    NT.chartTable("chart-indicator", [NT.t("year"), NT.said(t, "name") + " [" + NT.said(t, "unit") + "]"], trend.years.map((y, i) => [String(y), t.values[i] === null ? "—" : t.values[i]]));
  }
  document.querySelectorAll("#hj274 tr[data-no]").forEach((tr) => { tr.onclick = () => show(Number(tr.dataset.no)); });
  show(26);

  const zc = await NT.api("/api/evaluation/zero-carbon?year=" + year + pl);
  links("zc", "/api/evaluation/zero-carbon/export?year=" + year + pl);
  document.getElementById("zero-carbon").innerHTML = "<tr><th>" + NT.t("indicator") + '</th><th class="num">' + NT.t("value") + "</th><th>" +
    NT.t("requirementCol") + "</th><th>" + NT.t("result") + "</th><th>" + NT.t("gapCol") + "</th></tr>" + zc.indicators.map((i) => "<tr><td>" + NT.esc(NT.said(i, "name")) +
    '</td><td class="num">' + fmt(i.value, i.unit) + " " + NT.esc(NT.said(i, "unit")) + "</td><td>" + NT.esc(i.requirement) + "</td><td>" + verdict(i.passed) + "</td><td>" +
    Object.entries(i.gap || {}).map(([k, v]) => NT.t(k) + " " + NT.num(v, 0)).join("; ") + "</td></tr>").join("");

  async function ghg(gwp) {
    const g = await NT.api("/api/evaluation/ghg?year=" + year + "&gwp=" + gwp + pl);
    links("ghg", "/api/evaluation/ghg/export?year=" + year + "&gwp=" + gwp + pl);
    document.getElementById("ghg-total").textContent = NT.t("total") + " " + NT.num(g.total_t_co2e, 0) + " tCO2e (" + g.gwp + ")";
    document.getElementById("ghg").innerHTML = "<tr><th>" + NT.t("category") + "</th><th>" + NT.t("sourceCol") + "</th><th>" + NT.t("gas") +
      '</th><th class="num">tCO2e</th><th>' + NT.t("method") + "</th></tr>" + [...g.lines, ...g.memo, g.sink].map((x) => "<tr><td>" + NT.esc(NT.said(x, "category")) +
      "</td><td>" + NT.esc(NT.said(x, "item")) + "</td><td>" + NT.esc(x.gas) + '</td><td class="num">' + (x.t_co2e === null ? "—" : NT.num(x.t_co2e, 1)) + "</td><td>" +
      NT.esc(NT.said(x, "method")) + "</td></tr>").join("");
    document.body.dataset.ready = "1";
  }
  const gs = document.getElementById("gwp-select");
  gs.onchange = () => ghg(gs.value);
  await ghg("AR6");
})();
