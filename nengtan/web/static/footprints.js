// Product footprints: an enterprise's records, supplier requests and applications; a certification
// body's work list with the steps it may take. Every figure is the engine's, as the API returns it.
(async function () {
  NT.header();
  document.querySelectorAll("[data-ph]").forEach((el) => { el.placeholder = NT.t(el.dataset.ph); });
  const uscc = document.body.dataset.uscc;
  const mode = document.body.dataset.mode;
  const me = await NT.api("/api/auth/me");
  const val = (x, unit) => NT.num(x, Math.abs(x) < 100 ? 4 : 1) + " kg CO₂e / " + NT.esc(unit);
  const say = (id, text, bad) => { const el = document.getElementById(id); el.textContent = text; el.className = bad ? "bad" : "muted"; };
  const STEPS = {cert_auditor: ["accept", "document_review", "site_inspection", "verification"], cert_decider: ["decision"],
    enterprise: ["resubmit", "withdraw_application"]};

  async function applications() {
    const apps = (await NT.api("/api/certification/applications")).items;
    const t = document.getElementById("applications");
    t.innerHTML = "<tr><th>" + NT.t("number") + "</th><th>" + NT.t("enterprise") + "</th><th>" + NT.t("product") + '</th><th class="num">' +
      NT.t("footprint") + "</th><th>" + NT.t("body") + "</th><th>" + NT.t("status") + "</th><th>" + NT.t("certificate") + "</th></tr>" +
      apps.map((a) => '<tr><td><a href="#" data-app="' + NT.esc(a.number) + '">' + NT.esc(a.number) + "</a></td><td>" + NT.esc(a.enterprise) +
        "</td><td>" + NT.esc(a.product_name) + '</td><td class="num">' + val(a.total_kgco2e, a.declared_unit) + "</td><td>" + NT.esc(a.body) +
        '</td><td class="state">' + NT.esc(NT.word("certState", a.state)) + "</td><td>" + (a.certificate ? '<a href="/verify/' + encodeURIComponent(a.certificate) +
        '">' + NT.esc(a.certificate) + "</a>" : "") + "</td></tr>").join("");
    t.querySelectorAll("[data-app]").forEach((el) => { el.onclick = (e) => { e.preventDefault(); detail(el.dataset.app); }; });
    if (!apps.length) t.innerHTML = '<tr><td class="muted">' + NT.t("noData") + "</td></tr>";
  }

  async function detail(number) {
    const a = await NT.api("/api/certification/applications/" + encodeURIComponent(number));
    const r = a.footprint_record, res = r.result || {};
    document.getElementById("detail").hidden = false;
    document.getElementById("detail-title").textContent = a.number + " · " + a.product_name + " · " + NT.word("certState", a.state);
    const rows = (o) => Object.entries(o || {}).map(([k, v]) => "<tr><td>" + NT.esc(k) + '</td><td class="num">' + NT.num(v, 4) + "</td></tr>").join("");
    const stages = rows(res.by_stage) + '<tr><th>' + NT.t("upstream") + "</th><th></th></tr>" + rows(res.by_dataset);
    const dq = res.data_quality || {};
    document.getElementById("detail-body").innerHTML = "<p><b id='detail-total'>" + val(r.total_kgco2e, r.declared_unit) + "</b> · " + NT.t("primaryShare") + " " +
      NT.pct(dq.primary_data_share) + " · " + NT.esc(r.model) + " · " + NT.esc(r.database) + " · " + NT.esc(r.data_version || "") + "</p>" +
      "<table><tr><th>" + NT.t("stage") + '</th><th class="num">kg CO₂e</th></tr>' + stages + "</table>" +
      "<h2>" + NT.t("steps") + '</h2><table id="steps">' + a.steps.map((x) => "<tr><td>" + NT.esc(x.name) + " " + NT.esc(x.step) + "</td><td>" +
        (x.passed ? NT.t("pass") : NT.t("fail")) + "</td><td>" + NT.esc(x.actor) + "</td><td>" + NT.esc(x.at.slice(0, 19)) + "</td><td>" + NT.esc(x.note) +
        "</td></tr>").join("") + "</table>";
    const steps = STEPS[me.role] || [];
    const sf = document.getElementById("step-form");
    sf.hidden = !steps.length || a.state === "certified";
    document.getElementById("step-name").innerHTML = steps.map((s) => '<option value="' + s + '">' + NT.esc(NT.t("step_" + s)) + "</option>").join("");
    sf.onsubmit = async (e) => {
      e.preventDefault();
      try {
        await NT.send("/api/certification/applications/" + encodeURIComponent(number) + "/steps", {step: document.getElementById("step-name").value,
          passed: document.getElementById("step-outcome").value === "1", note: document.getElementById("step-note").value});
        say("detail-result", NT.t("done")); await applications(); await detail(number);
      } catch (err) { say("detail-result", err.message, true); }
    };
    const cf = document.getElementById("cert-form");
    cf.hidden = !(a.certificate && (me.role === "cert_auditor" || me.role === "cert_decider"));
    cf.onsubmit = async (e) => {
      e.preventDefault();
      try {
        const c = await NT.send("/api/certificates/" + encodeURIComponent(a.certificate) + "/actions", {action: document.getElementById("cert-action").value,
          passed: document.getElementById("cert-outcome").value === "1", note: document.getElementById("cert-note").value});
        say("detail-result", a.certificate + ": " + NT.word("certStatus", c.status));
      } catch (err) { say("detail-result", err.message, true); }
    };
  }

  async function enterprise() {
    document.getElementById("enterprise-view").hidden = false;
    const base = "/api/enterprises/" + uscc;
    const recs = (await NT.api(base + "/footprints")).items;
    const own = recs.filter((r) => r.origin === "computed");
    document.getElementById("records").innerHTML = "<tr><th>" + NT.t("product") + '</th><th class="num">' + NT.t("footprint") + "</th><th>" + NT.t("year") +
      '</th><th class="num">' + NT.t("primaryShare") + "</th><th>" + NT.t("origin") + "</th><th></th></tr>" +
      recs.map((r) => "<tr><td>" + NT.esc(r.product_name) + '</td><td class="num">' + val(r.total_kgco2e, r.declared_unit) + "</td><td>" +
        NT.esc(r.reference_year || "") + '</td><td class="num">' + NT.pct(r.primary_data_share) + "</td><td>" + NT.esc(NT.t(r.origin)) + "</td><td>" +
        (r.origin === "computed" ? '<a href="/api/footprints/' + r.id + '/report.pdf">PDF</a> <a href="/api/footprints/' + r.id +
          '/pact">PACT</a> <button data-apply="' + r.id + '">' + NT.t("apply") + "</button>" : "") +
        "</td></tr>").join("");
    document.querySelectorAll("[data-apply]").forEach((b) => { b.onclick = async () => {
      try {
        const a = await NT.send("/api/certification/applications", {footprint: b.dataset.apply, body: document.getElementById("apply-body").value});
        say("apply-result", a.number + " · " + NT.word("certState", a.state)); await applications();
      } catch (err) { say("apply-result", err.message, true); }
    }; });
    const rq = await NT.api(base + "/footprint-requests");
    document.getElementById("incoming").innerHTML = rq.incoming.map((q) => "<tr><td>" + NT.esc(q.requester_name) + "</td><td>" + NT.esc(q.product) +
      "</td><td>" + NT.t(q.status) + "</td><td>" + (q.status === "requested" ? '<select data-rec="' + q.id + '">' + own.map((r) => '<option value="' + r.id +
      '">' + NT.esc(r.product_name) + " " + val(r.total_kgco2e, r.declared_unit) + "</option>").join("") + '</select> <button data-share="' + q.id + '">' +
      NT.t("share") + '</button> <button data-decline="' + q.id + '">' + NT.t("decline") + "</button>" : "") + "</td></tr>").join("") ||
      '<tr><td class="muted">' + NT.t("noData") + "</td></tr>";
    const answer = async (id, share) => { await NT.send("/api/footprint-requests/" + id + "/answer", {share}); await enterprise(); };
    document.querySelectorAll("[data-share]").forEach((b) => { b.onclick = () => answer(b.dataset.share, document.querySelector('[data-rec="' + b.dataset.share + '"]').value); });
    document.querySelectorAll("[data-decline]").forEach((b) => { b.onclick = () => answer(b.dataset.decline, null); });
    document.getElementById("outgoing").innerHTML = rq.outgoing.map((q) => "<tr><td>" + NT.esc(q.supplier_name) + "</td><td>" + NT.esc(q.product) + "</td><td>" +
      NT.t(q.status) + "</td><td>" + (q.footprint ? '<a href="/api/footprints/' + q.footprint + '/pact">PACT</a>' : "") + "</td></tr>").join("");
    document.getElementById("request-form").onsubmit = async (e) => {
      e.preventDefault();
      try {
        await NT.send(base + "/footprint-requests", {supplier: document.getElementById("req-supplier").value, product: document.getElementById("req-product").value});
        say("request-result", NT.t("done")); await enterprise();
      } catch (err) { say("request-result", err.message, true); }
    };
  }

  if (mode === "enterprise") await enterprise();
  await applications();
})();
