// The enterprise portal: own accounts, trends, quality, warnings, uploads with per-row results, report, the
// time-of-use cost and the live alarms of its meters.
(async function () {
  NT.header();
  const uscc = document.body.dataset.uscc;
  const base = "/api/enterprises/" + uscc;
  const me = await NT.api("/api/auth/me");
  if (me.role === "admin") document.getElementById("cockpit-link").hidden = false;
  document.querySelectorAll("[data-ph]").forEach((el) => { el.placeholder = NT.t(el.dataset.ph); });

  const acc = await NT.api(base + "/accounts" + NT.q({limit: 1000}));
  const y = acc.year;
  const sel = document.getElementById("year-select");
  for (let k = y - 4; k <= y + 1; k++) sel.innerHTML += "<option" + (k === y ? " selected" : "") + ">" + k + "</option>";
  sel.onchange = () => { location.search = "?year=" + sel.value; };
  NT_KPI(document.getElementById("kpis"), NT_INV_ITEMS(acc.inventory));
  document.getElementById("download-link").href = base + "/report.xlsx?year=" + y;
  document.getElementById("download-pdf").href = base + "/report.pdf?year=" + y;
  document.getElementById("accounts").innerHTML = "<tr><th>" + NT.t("period") + "</th><th>" + NT.t("carrier") + '</th><th class="num">' +
    NT.t("quantity") + "</th><th>" + NT.t("unit") + "</th><th>" + NT.t("source") + '</th><th class="num">' + NT.t("energy_tce") +
    ' [tce]</th><th class="num">' + NT.t("co2_t") + " [tCO2]</th></tr>" +
    acc.items.map((r) => "<tr><td>" + r.period + "</td><td>" + NT.esc(NT.word("carrier", r.carrier)) + '</td><td class="num">' + NT.num(r.quantity) + "</td><td>" +
      NT.esc(r.unit) + "</td><td>" + NT.esc(NT.word("source", r.source)) + '</td><td class="num">' + NT.num(r.energy_tce) + '</td><td class="num">' +
      NT.num(r.scope1_t + r.scope2_location_t) + "</td></tr>").join("");

  NT_TRENDS("chart-trends", await NT.api(base + "/trends" + NT.q()), "co2_t");

  const q = await NT.api(base + "/quality" + NT.q());
  document.getElementById("quality").innerHTML = "<p>" + NT.t("completeness") + ": <b id='completeness'>" + NT.pct(q.completeness) + "</b></p>" +
    "<table><tr><th>" + NT.t("carrier") + "</th><th>" + NT.t("missing") + '</th><th class="num">' + NT.t("estimated") + "</th></tr>" +
    q.carriers.map((c) => "<tr><td>" + NT.esc(NT.word("carrier", c.carrier)) + "</td><td>" + (c.missing_months.length ? NT.esc(c.missing_months.join(", ")) : "—") +
      '</td><td class="num">' + NT.pct(c.estimated_share) + "</td></tr>").join("") + "</table>" +
    (q.quarantine.length ? "<h2>" + NT.t("quarantine") + "</h2><table>" + q.quarantine.slice(0, 20).map((r) =>
      "<tr class='bad'><td>" + NT.esc(r.file) + ":" + r.row + "</td><td>" + NT.esc(NT.said(r, "column")) + "</td><td>" + NT.reason(r) + "</td></tr>").join("") + "</table>" : "");

  const w = await NT.api(base + "/warnings" + NT.q({all: "true"}));
  const b = await NT.api(base + "/budget" + NT.q());
  if (b.allocated) {
    document.getElementById("budget").textContent = NT.t("budget") + ": " + NT.num(b.allocated_t) + " tCO2 (v" + b.version + " " + NT.word("allocationMethod", b.method) + ", " + b.approved_by + ")";
  }
  document.getElementById("warnings").innerHTML = w.items.length === 0 ? '<tr><td class="muted">' + NT.t("noWarnings") + "</td></tr>" :
    "<tr><th>" + NT.t("status") + '</th><th class="num">' + NT.t("ytd") + '</th><th class="num">' + NT.t("projection") + '</th><th class="num">' +
    NT.t("limit") + "</th><th>" + NT.t("reason") + "</th></tr>" +
    w.items.map((x) => '<tr><td><span class="dot ' + x.status + '"></span>' + NT.t(x.status) + '</td><td class="num">' + NT.num(x.ytd_actual) +
      '</td><td class="num">' + NT.num(x.projection) + '</td><td class="num">' + NT.num(x.limit) + "</td><td>" +
      NT.esc(NT.lang === "zh" ? x.reason_zh : x.reason_en) + "</td></tr>").join("");

  async function meters() {
    const m = await NT.api(base + "/meters?limit=1000");
    document.getElementById("meters").innerHTML = m.items.map((x) => '<tr><td><a href="/portal/' + uscc + "/meters/" + encodeURIComponent(x.code) + NT.q() + '">' +
      NT.esc(x.code) + "</a></td><td>" + NT.esc(NT.word("carrier", x.carrier)) + "</td>" + (x.kind === "virtual" ? "<td>" + NT.t("virtualMeter") + " " + NT.esc(x.name) +
      '</td><td class="formula">' + NT.esc(x.formula) : "<td>" + NT.esc(NT.word("meterKind", x.kind)) + "</td><td>" + NT.esc(NT.word("meterRole", x.role))) + "</td></tr>").join("") ||
      '<tr><td class="muted">' + NT.t("noData") + "</td></tr>";
  }
  await meters();
  document.getElementById("virtual-form").onsubmit = async (ev) => {
    ev.preventDefault();
    const note = document.getElementById("virtual-note");
    try {
      await NT.send(base + "/virtual-meters", {code: document.getElementById("virtual-code").value.trim(),
        name: document.getElementById("virtual-name").value.trim() || document.getElementById("virtual-code").value.trim(),
        formula: document.getElementById("virtual-formula").value});
      note.className = "muted"; note.textContent = NT.t("saved");
      await meters();
    } catch (e) { note.className = "error"; note.textContent = e.message; }
  };

  async function verification() {
    const v = await NT.api(base + "/years/" + y + "/verification");
    const el = document.getElementById("verification");
    el.innerHTML = "<p id='lock-state'>" + (v.locked ? "🔒 " + NT.t("locked") + " (" + NT.esc(v.locked_by) + ")" : NT.t("unlocked")) + "</p>" +
      v.comments.map((c) => "<p class='muted'>" + NT.esc(c.author) + ": " + NT.esc(c.text) + "</p>").join("") +
      (me.role === "verifier" ? '<p><input id="comment-text" size="50"> <button id="comment-btn">' + NT.t("comment") + "</button> " +
        (v.locked ? "" : '<button class="primary" id="signoff-btn">' + NT.t("signoff") + "</button>") + "</p>" : "");
    const cb = document.getElementById("comment-btn");
    if (cb) cb.onclick = async () => { await NT.send(base + "/years/" + y + "/comments", {text: document.getElementById("comment-text").value}); verification(); };
    const sb = document.getElementById("signoff-btn");
    if (sb) sb.onclick = async () => { await NT.send(base + "/years/" + y + "/signoff", {}); verification(); };
  }
  await verification();
  await NT_COST(uscc, "chart-cost", "cost", "cost-note");
  await NT_ALARMS("alarms", "alarm-count", {all: true, enterprise: false, uscc: uscc, limit: 30, every: 60});

  document.getElementById("upload-form").onsubmit = async (ev) => {
    ev.preventDefault();
    const f = document.getElementById("upload-file").files[0];
    const summary = document.getElementById("upload-summary");
    const table = document.getElementById("upload-rows");
    if (!f) return;
    const fd = new FormData();
    fd.append("file", f); fd.append("kind", document.getElementById("upload-kind").value);
    const reason = document.getElementById("upload-reason").value; if (reason) fd.append("reason", reason);
    summary.className = ""; summary.textContent = "…"; table.innerHTML = "";
    try {
      const r = await NT.api(base + "/uploads", {method: "POST", body: fd});
      summary.innerHTML = "<span id='rows-ok'>" + r.rows_ok + "</span> " + NT.t("ok") + " · <span id='rows-bad'>" + r.rows_bad + "</span> " + NT.t("bad");
      const issues = (r.result && r.result.issues) || [];
      table.innerHTML = issues.length === 0 ? "" : "<tr><th>" + NT.t("row") + "</th><th>" + NT.t("column") + "</th><th>" + NT.t("reason") + "</th></tr>" +
        issues.map((x) => '<tr class="bad"><td class="bad-row">' + NT.esc(x.row) + "</td><td>" + NT.esc(x.column) +
          "</td><td>" + NT.reason(x) + "</td></tr>").join("");
    } catch (e) {
      summary.className = "error"; summary.textContent = e.message;
    }
  };
  document.body.dataset.ready = "1";
})();
