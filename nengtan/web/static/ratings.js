// Ratings, carbon assets and ESG (every figure is the API's; nothing is computed here).
// Portal: the enterprise's own grade, green code, 亩均 class and points with their reasons, its allowance
// compliance with the verification behind it, energy-use rights, and its ESG pack with what to publish.
// Cockpit: the park's distribution of grades, codes and classes, points, and the key emitters' compliance.
(async function () {
  const uscc = document.body.dataset.uscc;
  const year = Number(NT.year() || new Date().getFullYear() - 1);
  const muted = (t) => '<tr><td class="muted">' + NT.esc(t) + "</td></tr>";
  const fail = (el, e) => { el.innerHTML = muted(String(e.message || e)); };
  const counts = (c, label) => Object.entries(c).sort().map(([k, v]) => NT.esc(label(k)) + " " + v).join(" · ");
  if (!uscc) {  // the cockpit's park view
    const el = document.getElementById("park-ratings");
    if (!el) return;
    if (NT.whole()) try {  // ratings are the installation's (a park's or region's view hides them)
      const s = await NT.api("/api/ratings/summary?year=" + year);
      const st = s.compliance.states;
      el.innerHTML =
        "<tr><td>" + NT.t("carbonGrade") + "</td><td>" + counts(s.carbon_efficiency.counts, (k) => k === "not graded" ? NT.t("notGraded") : NT.t("grade") + k) +
        '</td><td class="muted">' + NT.esc(s.carbon_efficiency.method) + "</td></tr>" +
        "<tr><td>" + NT.t("greenCode") + "</td><td>" + counts(s.green_code.counts, (k) => NT.t(k + "_c")) + '</td><td class="muted">' + NT.esc(s.green_code.method) + "</td></tr>" +
        "<tr><td>" + NT.t("muTitle") + "</td><td>" + counts(s.mu.counts, (k) => k === "not evaluated" ? NT.t("notEvaluated") : k) + '</td><td class="muted">' + NT.esc(s.mu.method) + "</td></tr>" +
        "<tr><td>" + NT.t("pointsTitle") + '</td><td>' + NT.t("earned") + " " + NT.num(s.points.earned, 1) + " · " + NT.t("spent") + " " + NT.num(s.points.spent, 1) +
        " · " + NT.t("available") + " " + NT.num(s.points.available, 1) + '</td><td class="muted">' + s.points.enterprises + " " + NT.t("enterprises") + "</td></tr>" +
        "<tr><td>" + NT.t("complianceTitle") + " " + s.compliance.year + "</td><td>" + counts(st, (k) => NT.t("state_" + k.replace(/ /g, "_"))) + " · " + NT.t("shortfall") + " " +
        NT.num(s.compliance.shortfall_t, 0) + '</td><td><a href="/api/assets/compliance/export?format=xlsx&year=' + s.compliance.year + '">XLSX</a> · <a href="/api/assets/compliance/export?format=pdf&year=' +
        s.compliance.year + '">PDF</a></td></tr>' +
        s.compliance.warnings.map((w) => '<tr><td></td><td colspan="2" class="muted">' + NT.esc(w) + "</td></tr>").join("");
    } catch (e) { fail(el, e); }
    const eb = document.getElementById("energy-budget");
    try {
      const b = await NT.api("/api/energy-budget/status" + NT.q({year: year}));
      if (!b.allocated) { eb.innerHTML = muted(NT.t("noEnergyBudget")); return; }
      document.getElementById("energy-budget-park").textContent = NT.t("projected") + " " + NT.num(b.projected_tce, 0) + " / " +
        NT.num(b.budget_tce, 0) + " tce · " + NT.t(b.park_status);
      const top = [...b.items].sort((x, y) => y.share - x.share).slice(0, 12);
      eb.innerHTML = "<tr><th>" + NT.t("enterprise") + '</th><th class="num">' + NT.t("budgetTce") + '</th><th class="num">' +
        NT.t("projected") + '</th><th class="num">%</th><th>' + NT.t("status") + "</th></tr>" + top.map((r) => "<tr><td>" +
        NT.esc(r.enterprise) + '</td><td class="num">' + NT.num(r.allocated_tce, 0) + '</td><td class="num">' + NT.num(r.projected_tce, 0) +
        '</td><td class="num">' + (r.share * 100).toFixed(0) + '</td><td data-colour="' + r.status + '">' + NT.t(r.status) + "</td></tr>").join("");
    } catch (e) { eb.innerHTML = muted(e.status === 404 ? NT.t("noEnergyBudget") : String(e.message || e)); }
    return;
  }
  const el = document.getElementById("ratings"), zh = NT.lang === "zh";
  const paren = (t) => zh ? "（" + NT.esc(t) + "）" : " (" + NT.esc(t) + ")";
  try {
    const [ce, gc, mu, pts] = await Promise.all([NT.api("/api/ratings/carbon-efficiency?year=" + year), NT.api("/api/ratings/green-code?year=" + year),
      NT.api("/api/ratings/mu?year=" + year), NT.api("/api/ratings/points")]);
    const g = ce.items.find((i) => i.uscc === uscc), code = gc.items.find((i) => i.uscc === uscc);
    const m = mu.items.find((i) => i.uscc === uscc), p = pts.items.find((i) => i.uscc === uscc);
    el.innerHTML = "<tr><td>" + NT.t("carbonGrade") + "</td><td>" + (g && g.grade ? NT.esc(g.grade_zh) : NT.t("notGraded")) +
      '</td><td class="muted">' + (g ? NT.reason(g) : "") + "</td></tr>" +
      "<tr><td>" + NT.t("greenCode") + '</td><td data-colour="' + (code ? code.colour : "") + '">' + (code ? NT.t(code.colour + "_c") : "—") +
      '</td><td class="muted">' + NT.esc(code ? (zh && code.reasons_zh ? code.reasons_zh.join("；") : code.reasons.join("; ")) : "") + paren(gc.method) + "</td></tr>" +
      "<tr><td>" + NT.t("muTitle") + "</td><td>" + (m && m.class ? NT.esc(m.class_zh) : NT.t("notEvaluated")) + '</td><td class="muted">' + (m ? NT.reason(m) : "") +
      paren(mu.method) + "</td></tr>" +
      "<tr><td>" + NT.t("pointsTitle") + '</td><td class="num">' + NT.num(p ? p.available : 0, 1) + '</td><td class="muted">' +
      (p ? p.entries.map((x) => NT.esc(NT.word("pointKind", x.kind) + " " + NT.word("pointRule", x.rule) + " " + NT.num(x.points, 1) + (x.expires_on ? " → " + x.expires_on : ""))).join("; ") : NT.t("noPoints")) + "</td></tr>";
  } catch (e) { fail(el, e); }
  const cp = document.getElementById("compliance");
  try {
    const cy = year - 1;
    const rows = (await NT.api("/api/assets/compliance?year=" + cy)).items.filter((r) => r.uscc === uscc);
    let rec = null;  // the reconciliation, asked for only when the year has a verification record (no 404 to log)
    const verified = (await NT.api("/api/assets/verifications?year=" + cy)).items.some((r) => r.uscc === uscc);
    if (verified) rec = await NT.api("/api/enterprises/" + encodeURIComponent(uscc) + "/verification-records/" + cy + "/reconciliation");
    const er = (await NT.api("/api/assets/energy-rights?year=" + year)).items.filter((r) => r.uscc === uscc);
    const lots = (await NT.api("/api/assets/ccer-lots")).items.filter((r) => r.uscc === uscc);
    cp.innerHTML = (rows.length === 0 ? muted(NT.t("notCovered")) :
      rows.map((r) => "<tr><td>" + cy + "</td><td>" + NT.t("state_" + r.state.replace(/ /g, "_")) + '</td><td class="num">' + NT.t("obligation") + " " +
        NT.num(r.obligation_t || 0, 0) + '</td><td class="num">' + NT.t("shortfall") + " " + NT.num(r.shortfall_t || 0, 0) + "</td><td>" +
        NT.t("deadlineLabel") + " " + NT.esc(r.deadline || "—") + (r.warning ? '<br><span class="muted">' + NT.esc(NT.said(r, "warning")) + "</span>" : "") +
        "</td></tr>").join("")) +
      (rec ? "<tr><td>" + NT.t("verifiedBy") + '</td><td colspan="2">' + NT.esc(rec.verifier) + " · " + NT.esc(NT.said(rec, "guideline_name")) + '</td><td class="num">' +
        NT.num(rec.verified_t, 2) + " t</td><td class=\"muted\">" + NT.t("platformFigure") + " " + NT.num(rec.platform_t, 2) + " t; " +
        rec.lines.filter((x) => Math.abs(x.difference_t) >= 0.01).map((x) => NT.esc(NT.said(x, "source_name") + ": " + NT.said(x, "explanation"))).join("; ") + "</td></tr>" : "") +
      er.map((r) => "<tr><td>" + NT.t("energyRights") + " " + year + "</td><td>" + NT.t(r.state === "short" ? "state_short" : "withinRights") + '</td><td class="num">' +
        NT.num(r.rights_tce, 0) + ' tce</td><td class="num">' + NT.t("used") + " " + NT.num(r.used_tce, 0) + " tce</td><td></td></tr>").join("") +
      lots.map((l) => "<tr><td>CCER</td><td>" + NT.esc(l.serial) + '</td><td class="num">' + NT.num(l.tonnes, 0) + " t</td><td>" + NT.esc(l.project) + " " +
        l.vintage + "</td><td>" + NT.t("lot_" + l.status) + (l.used_for ? " " + l.used_for : "") + "</td></tr>").join("");
  } catch (e) { fail(cp, e); }
  const esg = document.getElementById("esg");
  if (!esg) return;
  const base = "/api/enterprises/" + encodeURIComponent(uscc) + "/esg/" + year;
  try {
    const p = await NT.api(base);
    const pub = (await NT.api("/api/public/esg?year=" + year)).items.find((i) => i.uscc === uscc);
    const published = new Set(pub ? pub.items.map((i) => i.key) : []);
    esg.innerHTML = "<tr><th></th><th>" + NT.t("esgItem") + '</th><th class="num">' + NT.t("value") + "</th><th>" + NT.t("unit") + "</th><th>" +
      NT.t("esgExchanges") + "</th><th>ISSB S2</th></tr>" + p.items.map((it) => '<tr><td><input type="checkbox" name="esg-item" value="' + NT.esc(it.key) + '"' +
      (published.has(it.key) ? " checked" : "") + ' aria-label="' + NT.esc(zh ? it.label_zh : it.label_en) + '"></td><td>' + NT.esc(zh ? it.label_zh : it.label_en) +
      '</td><td class="num">' + (typeof it.value === "number" ? NT.num(it.value, it.unit.includes("/") ? 4 : 2) : NT.esc(zh ? it.value_zh : it.value)) + "</td><td>" +
      NT.esc(it.unit) + "</td><td>" + NT.esc(it.exchanges) + "</td><td>" + NT.esc(zh ? it.issb_s2_zh : it.issb_s2_en) + "</td></tr>").join("");
    document.getElementById("esg-xlsx").href = base + "/export.xlsx";
    document.getElementById("esg-pdf").href = base + "/export.pdf";
    const note = document.getElementById("esg-note");
    note.textContent = pub ? NT.t("esgPublished") + " v" + pub.version + " (" + pub.published_at.slice(0, 10) + ")" : NT.t("esgNotPublished");
    document.getElementById("esg-publish").onclick = async () => {
      const items = [...document.querySelectorAll('input[name="esg-item"]:checked')].map((i) => i.value);
      try {
        const r = await NT.send(base + "/publish", {items});
        note.textContent = NT.t("esgPublished") + " v" + r.version;
      } catch (e) { note.textContent = String(e.message || e); }
    };
  } catch (e) { fail(esg, e); }
})();
