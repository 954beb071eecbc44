// Data entry in the portal: monthly statements, economic data and manual meter readings typed into a form, and
// quarantined rows corrected in place. Both go through the importer of their kind (POST .../entries,
// POST .../quarantine/{id}/fix), so a typed row is checked exactly as an uploaded one.
(async function () {
  const uscc = document.body.dataset.uscc;
  const base = "/api/enterprises/" + uscc;
  const me = await NT.api("/api/auth/me");
  const panels = document.getElementById("entry-panels");
  if (me.role !== "enterprise" && me.role !== "admin") { panels.hidden = true; document.body.dataset.entryReady = "1"; return; }
  const meters = (await NT.api(base + "/meters?limit=1000")).items;
  const kindSel = document.getElementById("entry-kind");
  const table = document.getElementById("entry-table");
  let columns = [];

  const label = (c) => (NT.lang === "zh" ? c.label : c.name) + (c.required ? " *" : "");
  function cell(c) {
    const attrs = ' data-col="' + NT.esc(c.name) + '" aria-label="' + NT.esc(c.label) + '" title="' + NT.esc(c.note) + '"';
    if (c.choices) {
      return "<select" + attrs + '><option value=""></option>' + c.choices.map((o) => '<option value="' + NT.esc(o.value) +
        '" data-unit="' + NT.esc(o.unit) + '">' + NT.esc(NT.lang === "zh" ? o.label_zh : o.label_en) + "</option>").join("") + "</select>";
    }
    if (c.name === "meter_id") {
      return "<select" + attrs + '><option value=""></option>' + meters.map((m) => '<option value="' + NT.esc(m.code) + '" data-unit="' +
        NT.esc(m.unit || "") + '">' + NT.esc(m.code) + "</option>").join("") + "</select>";
    }
    if (c.name === "period") return '<input type="month"' + attrs + ">";
    if (c.name === "ts") return '<input type="datetime-local" step="60"' + attrs + ">";
    return '<input size="10"' + attrs + ">";
  }
  function addRow() {
    const tr = document.createElement("tr");
    tr.innerHTML = columns.map((c) => "<td>" + cell(c) + "</td>").join("") + '<td><button type="button" class="entry-remove">' + NT.t("entryRemove") + "</button></td>";
    tr.querySelector(".entry-remove").onclick = () => tr.remove();
    tr.querySelectorAll("select[data-col]").forEach((sel) => {  // a carrier or meter chosen: its unit, unless typed
      sel.onchange = () => {
        const unit = tr.querySelector('[data-col="unit"]'); const opt = sel.selectedOptions[0];
        if (unit && opt && opt.dataset.unit && !unit.value) unit.value = opt.dataset.unit;
      };
    });
    table.appendChild(tr);
  }
  async function setKind() {
    const spec = await NT.api("/api/templates/" + kindSel.value + "/columns");
    columns = spec.columns.filter((c) => c.name !== "uscc");
    table.innerHTML = "<tr>" + columns.map((c) => '<th title="' + NT.esc(c.note) + '">' + NT.esc(label(c)) + "</th>").join("") + "<th></th></tr>";
    addRow();
  }
  // a datetime-local value is the park's local time (China Standard Time)
  const value = (el) => el.dataset.col === "ts" && el.value ? (el.value.length === 16 ? el.value + ":00" : el.value) + "+08:00" : el.value.trim();
  function rows() {
    return Array.from(table.querySelectorAll("tr")).slice(1).map((tr) => {
      const r = {}; tr.querySelectorAll("[data-col]").forEach((el) => { r[el.dataset.col] = value(el); }); return r;
    }).filter((r) => Object.values(r).some((v) => v !== ""));
  }
  function showResult(r, summary, issuesTable) {
    summary.className = "";
    summary.innerHTML = "<span class='entry-ok'>" + r.rows_ok + "</span> " + NT.t("ok") + " · <span class='entry-bad'>" + r.rows_bad + "</span> " + NT.t("bad");
    const issues = (r.result && r.result.issues) || [];
    issuesTable.innerHTML = issues.length === 0 ? "" : "<tr><th>" + NT.t("row") + "</th><th>" + NT.t("column") + "</th><th>" + NT.t("reason") + "</th></tr>" +
      issues.map((x) => '<tr class="bad"><td>' + NT.esc(x.row) + "</td><td>" + NT.esc(x.column) + "</td><td>" + NT.reason(x) + "</td></tr>").join("");
  }
  kindSel.onchange = setKind;
  document.getElementById("entry-add").onclick = addRow;
  document.getElementById("entry-submit").onclick = async () => {
    const summary = document.getElementById("entry-summary");
    const body = {kind: kindSel.value, rows: rows()};
    const reason = document.getElementById("entry-reason").value.trim(); if (reason) body.reason = reason;
    if (body.rows.length === 0) return;
    summary.textContent = "…";
    try {
      const r = await NT.send(base + "/entries", body);
      showResult(r, summary, document.getElementById("entry-issues"));
      if (r.rows_bad === 0) setKind();
      await fixList();
    } catch (e) { summary.className = "error"; summary.textContent = e.message; }
  };

  async function fixList() {
    const q = await NT.api(base + "/quarantine");
    const el = document.getElementById("fix-rows");
    if (q.items.length === 0) { el.innerHTML = '<tr><td class="muted">' + NT.t("noOpen") + "</td></tr>"; return; }
    el.innerHTML = "<tr><th>" + NT.t("file") + "</th><th>" + NT.t("reason") + "</th><th></th></tr>" + q.items.map((x) =>
      '<tr class="fix-row" data-id="' + x.id + '"><td>' + NT.esc(x.file) + ":" + x.row + "<br><span class='muted'>" + NT.esc(NT.t("kind_" + x.kind)) +
      "</span></td><td class='bad'>" + NT.esc(x.column) + ": " + NT.reason(x) + "<div>" +
      Object.entries(x.fields).map(([k, v]) => '<label class="muted">' + NT.esc(k) + ' <input size="12" data-field="' + NT.esc(k) + '" value="' + NT.esc(v) + '"' +
        (k === "uscc" ? " readonly" : "") + "></label> ").join("") + "</div><div class='fix-result'></div></td><td>" +
      (x.fixable ? '<button type="button" class="primary fix-btn">' + NT.t("fixBtn") + "</button>" : '<span class="muted">' + NT.t("notFixable") + "</span>") + "</td></tr>").join("");
    el.querySelectorAll(".fix-btn").forEach((b) => {
      b.onclick = async () => {
        const tr = b.closest("tr"); const row = {};
        tr.querySelectorAll("[data-field]").forEach((i) => { row[i.dataset.field] = i.value.trim(); });
        const out = tr.querySelector(".fix-result");
        try {
          const r = await NT.send(base + "/quarantine/" + tr.dataset.id + "/fix", {row: row});
          if (r.resolved) {  // the list first, then the message (a reader of the message sees the list as it now is)
            await fixList();
            document.getElementById("fix-summary").textContent = NT.t("fixed") + ": " + Object.entries(row).filter(([k]) => k !== "uscc").map(([, v]) => v).join(" · ");
            return;
          }
          const issues = (r.result && r.result.issues) || [];
          out.innerHTML = "<span class='error'>" + NT.t("stillBad") + ": " + issues.map((x) => NT.esc(x.column) + " " + NT.reason(x)).join("; ") + "</span>";
        } catch (e) { out.innerHTML = "<span class='error'>" + NT.esc(e.message) + "</span>"; }
      };
    });
  }
  NT.applyI18n(panels);
  await setKind();
  await fixList();
  document.body.dataset.entryReady = "1";
})();
