// A meter's page: its intraday load curve beside the day before (环比) and the same day a year before (同比), its
// monthly use, the balance of a main meter against its sub-meters, and its live-alarm rule. Figures are the API's.
(async function () {
  NT.header();
  const b = document.body.dataset;
  const base = "/api/enterprises/" + b.uscc + "/meters/" + encodeURIComponent(b.meter);

  const d = await NT.api(base + NT.q());
  const c = NT.chart("chart-meter");
  c.setOption({backgroundColor: "transparent", tooltip: {trigger: "axis"}, xAxis: {type: "category", data: d.monthly.map((m) => m.period)},
    yAxis: {type: "value", name: d.unit}, series: [{type: "bar", data: d.monthly.map((m) => m.quantity)}]});
  document.getElementById("meter-table").innerHTML = "<tr><th>" + NT.t("period") + '</th><th class="num">' + NT.t("quantity") + " [" + NT.esc(d.unit) + "]</th></tr>" +
    d.monthly.map((m) => "<tr><td>" + m.period + '</td><td class="num">' + NT.num(m.quantity) + "</td></tr>").join("");
  c.getDom().setAttribute("role", "img"); c.getDom().setAttribute("aria-describedby", "meter-table");
  const virtual = d.kind === "virtual";
  if (virtual) document.getElementById("formula").textContent = NT.t("virtualMeter") + " " + d.name + " = " + d.formula;

  // the day's curve: kW per interval, with the day before and the same day last year
  const dayInput = document.getElementById("curve-day");
  const series = [["day", "thisDay", "solid"], ["previous_day", "prevDay", "dashed"], ["year_before", "yearBefore", "dotted"]];
  const curveChart = NT.chart("chart-curve");
  async function curve(day) {
    const note = document.getElementById("curve-note");
    let k;
    try {
      k = await NT.api(base + "/curve" + NT.q(day ? {day: day} : {}));
    } catch (e) {  // a virtual meter over meters read at different intervals, or over statements: no day to draw
      if (e.status !== 422) throw e;
      note.textContent = e.message; document.getElementById("chart-curve").hidden = true; return;
    }
    if (!k.available) { note.textContent = NT.lang === "zh" ? k.note_zh : k.note; document.getElementById("chart-curve").hidden = true; return; }
    dayInput.value = k.day.day;
    const label = (key, name) => NT.t(name) + " " + k[key].day;
    curveChart.setOption({backgroundColor: "transparent", tooltip: {trigger: "axis", valueFormatter: (v) => NT.num(v, 1) + " kW"},
      legend: {data: series.map(([key, name]) => label(key, name))}, grid: {left: 60, right: 20, top: 36, bottom: 30},
      xAxis: {type: "category", data: k.times}, yAxis: {type: "value", name: NT.t("load") + " kW"},
      series: series.map(([key, name, line]) => ({name: label(key, name), type: "line", showSymbol: false, connectNulls: false,
        lineStyle: {type: line}, data: k[key].kw}))}, true);
    NT.chartTable("chart-curve", [NT.t("time"), ...series.map(([key, name]) => label(key, name) + " kW")],
      k.times.map((t, i) => [t, ...series.map(([key]) => k[key].kw[i] === null ? "—" : k[key].kw[i])]));
    const pct = (x) => x === null ? "—" : (x >= 0 ? "+" : "") + x.toFixed(1) + "%";
    document.getElementById("curve-summary").innerHTML = series.map(([key, name]) => "<span>" + NT.esc(label(key, name)) + ": <b>" +
      NT.num(k[key].total_kwh, 0) + "</b> kWh · " + NT.t("peakLoad") + " " + NT.num(k[key].peak_kw, 1) + " kW" +
      (k[key].peak_at ? " @" + k[key].peak_at : "") + "</span>").join("") +
      "<span>环比 <b id='change-prev'>" + pct(k.change_pct.previous_day) + "</b> · 同比 <b id='change-year'>" + pct(k.change_pct.year_before) + "</b></span>";
    note.textContent = "";
  }
  dayInput.onchange = () => { if (dayInput.value) curve(dayInput.value); };
  if (d.kind === "interval" || d.kind === "counter" || virtual) await curve(null); else document.getElementById("curve-panel").hidden = true;

  // a main meter against its sub-meters (a virtual meter has none, nor readings to watch)
  if (virtual) { document.getElementById("rule-form").hidden = true; document.querySelector("[data-i18n=ruleTitle]").hidden = true;
    document.body.dataset.ready = "1"; return; }
  try {
    const bal = await NT.api(base + "/balance" + NT.q());
    document.getElementById("balance-panel").hidden = false;
    const rows = [...bal.months, Object.assign({period: NT.t("total"), subs: {}}, bal.total)];
    document.getElementById("balance").innerHTML = "<tr><th>" + NT.t("period") + '</th><th class="num">' + NT.t("mainMeter") + "</th>" +
      bal.sub_meters.map((s) => '<th class="num">' + NT.esc(s) + "</th>").join("") + '<th class="num">' + NT.t("subTotal") + '</th><th class="num">' +
      NT.t("unmetered") + ' [' + NT.esc(bal.unit) + ']</th><th class="num">' + NT.t("unmetered") + " %</th></tr>" +
      rows.map((r) => "<tr><td>" + NT.esc(r.period) + '</td><td class="num">' + NT.num(r.main, 0) + "</td>" +
        bal.sub_meters.map((s) => '<td class="num">' + NT.num(r.subs[s], 0) + "</td>").join("") + '<td class="num">' + NT.num(r.sub_total, 0) +
        '</td><td class="num">' + NT.num(r.unmetered, 0) + '</td><td class="num">' + NT.num(r.unmetered_pct, 1) + "</td></tr>").join("");
  } catch (e) {
    if (e.status !== 400) throw e;  // a meter without sub-meters has no balance: the panel stays hidden
  }

  // the meter's alarm rule
  const rules = await NT.api("/api/enterprises/" + b.uscc + "/alarm-rules");
  const rule = rules.items.find((r) => r.meter === b.meter);
  const val = (id) => { const v = document.getElementById(id).value; return v === "" ? null : Number(v); };
  if (rule) {
    document.getElementById("rule-demand").value = rule.demand_kw ?? "";
    document.getElementById("rule-sigma").value = rule.sigma ?? "";
    document.getElementById("rule-missing").value = rule.missing_minutes ?? "";
  }
  document.getElementById("rule-form").onsubmit = async (ev) => {
    ev.preventDefault();
    const note = document.getElementById("rule-note");
    try {
      await NT.send(base + "/alarm-rule", {demand_kw: val("rule-demand"), sigma: val("rule-sigma"), missing_minutes: val("rule-missing")}, "PUT");
      note.className = "muted"; note.textContent = NT.t("saved");
    } catch (e) {
      note.className = "error"; note.textContent = typeof e.message === "string" ? e.message : JSON.stringify(e.body && e.body.detail);
    }
  };
  document.body.dataset.ready = "1";
})();
