// Energy cost and live monitoring on the pages: the live-alarm list (cockpit, large screen, portal; refreshed every
// minute) and the enterprise's time-of-use cost with its storage. Every figure is the API's; nothing is computed here.
(function () {
  const BANDS = ["sharp", "peak", "flat", "valley"];
  const COLOURS = {sharp: "#e5484d", peak: "#f5a524", flat: "#3fa7ff", valley: "#30a46c"};
  const time = (iso) => iso ? iso.slice(0, 16).replace("T", " ") : "—";

  // The alarms the user may see, newest first, into a table; the open count into `countEl`. Refreshed every `every` s.
  window.NT_ALARMS = async function (tableId, countId, opts) {
    opts = opts || {};
    const render = async () => {
      const query = {open: opts.all ? "false" : "true", limit: opts.limit || 50};
      if (opts.uscc) query.enterprise = opts.uscc;
      const d = await NT.api("/api/alarms" + NT.q(query));
      const el = document.getElementById(tableId);
      const count = document.getElementById(countId);
      if (count) { count.textContent = NT.t("alarmsOpen").replace("{n}", d.open); count.classList.toggle("alert", d.open > 0); }
      el.dataset.count = String(d.items.length);
      el.innerHTML = d.items.length === 0 ? '<tr><td class="muted">' + NT.t("noAlarms") + "</td></tr>" :
        "<tr><th>" + NT.t("kind") + "</th>" + (opts.enterprise === false ? "" : "<th>" + NT.t("enterprise") + "</th>") + "<th>" + NT.t("meter") +
        "</th><th>" + NT.t("firstSeen") + '</th><th class="num">' + NT.t("alarmCount") + "</th><th>" + NT.t("alarmMessage") + "</th><th>" +
        NT.t("clearedAt") + "</th></tr>" +
        d.items.map((a) => '<tr class="alarm ' + (a.cleared_at ? "" : "bad") + '"><td><span class="dot ' + (a.cleared_at ? "grey" : "red") + '"></span>' +
          NT.t("kind_" + a.kind) + "</td>" + (opts.enterprise === false ? "" : "<td>" + NT.esc(a.enterprise) + "</td>") +
          '<td><a href="/portal/' + encodeURIComponent(a.uscc) + "/meters/" + encodeURIComponent(a.meter) + '">' + NT.esc(a.meter) + "</a></td><td>" +
          time(a.first_ts) + '</td><td class="num">' + a.count + "</td><td>" + NT.esc(NT.said(a, "message")) + "</td><td>" +
          (a.cleared_at ? time(a.cleared_at) : NT.t("alarmOpen")) + "</td></tr>").join("");
    };
    await render();
    if (opts.every) setInterval(() => { render().catch(() => {}); }, opts.every * 1000);
  };

  // The enterprise's electricity cost per month by time-of-use band, with what its storage shifts and saves.
  window.NT_COST = async function (uscc, chartId, tableId, noteId) {
    const d = await NT.api("/api/enterprises/" + encodeURIComponent(uscc) + "/cost" + NT.q());
    const note = document.getElementById(noteId);
    const table = document.getElementById(tableId);
    if (!d.available) {
      document.getElementById(chartId).hidden = true;
      note.textContent = NT.lang === "zh" ? d.note_zh : d.note; table.innerHTML = "";
      return d;
    }
    const storage = d.storage.length > 0;
    const band = (b) => NT.t("band_" + b);
    NT.chart(chartId).setOption({backgroundColor: "transparent", tooltip: {trigger: "axis", valueFormatter: (v) => NT.num(v) + " 元"},
      legend: {data: BANDS.map(band)}, grid: {left: 70, right: 20, top: 36, bottom: 30},
      xAxis: {type: "category", data: d.months.map((m) => m.month)}, yAxis: {type: "value", name: "元"},
      series: BANDS.map((b) => ({name: band(b), type: "bar", stack: "yuan", itemStyle: {color: COLOURS[b]},
        data: d.months.map((m) => m.bands[b].yuan)}))});
    NT.chartTable(chartId, [NT.t("period"), ...BANDS.map((b) => band(b) + " 元")], d.months.map((m) => [m.month, ...BANDS.map((b) => m.bands[b].yuan)]));
    const rows = [...d.months, Object.assign({month: NT.t("total")}, d.total)];
    table.innerHTML = "<tr><th>" + NT.t("period") + "</th>" + BANDS.map((b) => '<th class="num">' + band(b) + " [kWh]</th>").join("") +
      '<th class="num">' + NT.t("kwh") + ' [kWh]</th><th class="num">' + NT.t("yuan") + ' [元]</th><th class="num">' + NT.t("avgPrice") + " [元/kWh]</th>" +
      (storage ? '<th class="num">' + NT.t("storageShifted") + ' [kWh]</th><th class="num">' + NT.t("storageSaving") + " [元]</th>" : "") + "</tr>" +
      rows.map((m) => "<tr><td>" + NT.esc(m.month) + "</td>" + BANDS.map((b) => '<td class="num">' + NT.num(m.bands[b].kwh, 0) + "</td>").join("") +
        '<td class="num">' + NT.num(m.kwh, 0) + '</td><td class="num">' + NT.num(m.yuan) + '</td><td class="num">' + NT.num(m.avg_price, 4) + "</td>" +
        (storage ? '<td class="num">' + NT.num(m.storage.shifted_kwh, 0) + '</td><td class="num">' + NT.num(m.storage.saving_yuan) + "</td>" : "") +
        "</tr>").join("");
    note.textContent = NT.t("tariffTables") + ": " + d.schedule + " (" + d.tables.map((t) => t.valid_from).join(", ") + ") · " +
      NT.t("costBasis") + ": " + d.meters.join(", ") + (storage ? " · " + d.storage.map((s) => s.name + " " + NT.num(s.capacity_kwh, 0) + " kWh / " +
      NT.num(s.power_kw, 0) + " kW").join(", ") : "");
    return d;
  };
})();
