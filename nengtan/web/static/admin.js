// Administration in the browser (issue 15 item 5): users and roles, targets, the carbon budget, the audit log with
// its hash-chain check, publishing and the factor sets — the CLI's administration, through the same API.
(async function () {
  NT.header();
  document.querySelectorAll("[data-ph]").forEach((el) => { el.placeholder = NT.t(el.dataset.ph); });
  const say = (id, text, bad) => { const el = document.getElementById(id); el.className = bad ? "error" : ""; el.textContent = text; };
  const years = (await NT.api("/api/cockpit/years")).years || [];
  const latest = years.length ? years[years.length - 1] : new Date().getFullYear();

  document.querySelectorAll("#admin-tabs button").forEach((b) => {
    b.onclick = () => {
      document.querySelectorAll("#admin-tabs button").forEach((x) => x.classList.toggle("active", x === b));
      document.querySelectorAll(".admin-tab").forEach((s) => { s.hidden = s.id !== "tab-" + b.dataset.tab; });
    };
  });

  async function users() {
    const u = await NT.api("/api/users?limit=1000");
    document.getElementById("users").innerHTML = "<tr><th>" + NT.t("username") + "</th><th>" + NT.t("role") + "</th><th>" + NT.t("userEnterprises") +
      "</th><th>" + NT.t("userPlace") + "</th><th>" + NT.t("status") + "</th><th></th></tr>" + u.items.map((x) =>
      '<tr data-user="' + NT.esc(x.username) + '"><td>' + NT.esc(x.username) + "</td><td>" + NT.esc(NT.t("role_" + x.role)) + "</td><td>" +
      NT.esc(x.enterprises.join(", ")) + "</td><td>" + NT.esc(x.place_name ? x.place_name + "（" + x.place + "）" : (x.place || "")) + "</td><td>" + NT.t(x.active ? "active" : "inactive") +
      '</td><td><button type="button" class="toggle-user">' + NT.t(x.active ? "deactivate" : "activate") + "</button></td></tr>").join("");
    document.querySelectorAll(".toggle-user").forEach((b) => {
      b.onclick = async () => {
        const name = b.closest("tr").dataset.user; const active = b.textContent === NT.t("activate");
        try { await NT.send("/api/users/" + encodeURIComponent(name), {active: active}, "PATCH"); await users(); }
        catch (e) { say("user-msg", e.message, true); }
      };
    });
  }
  document.getElementById("user-form").onsubmit = async (ev) => {
    ev.preventDefault();
    const v = (id) => document.getElementById(id).value.trim();
    const body = {username: v("nu-username"), password: document.getElementById("nu-password").value, role: v("nu-role"),
      enterprises: v("nu-enterprises") ? v("nu-enterprises").split(/[,，\s]+/).filter(Boolean) : []};
    if (v("nu-place")) body.place = v("nu-place");
    try { await NT.send("/api/users", body); say("user-msg", NT.t("userAdded") + ": " + body.username); await users(); }
    catch (e) { say("user-msg", e.message, true); }
  };

  async function targets() {
    let adopted = {items: []};
    try { adopted = await NT.api("/api/targets?year=" + latest); } catch (e) { say("target-msg", e.message, true); }
    document.getElementById("adopted").innerHTML = adopted.items.length === 0 ? '<tr><td class="muted">' + NT.t("noAdopted") + "</td></tr>" :
      "<tr><th>" + NT.t("indicator") + "</th><th>" + NT.t("level") + '</th><th class="num">' + NT.t("target") + "</th><th>" + NT.t("unit") +
      "</th><th>" + NT.t("period") + '</th><th class="num">' + NT.t("limit") + " " + latest + "</th><th>" + NT.t("status") + "</th></tr>" +
      adopted.items.map((t) => '<tr data-target="' + NT.esc(t.target_id) + '"><td>' + NT.esc(NT.t(t.indicator)) + "</td><td>" + NT.esc(t.subject) +
        '</td><td class="num">' + NT.num(t.value, 4) + "</td><td>" + NT.esc(t.unit) + "</td><td>" + NT.esc((t.base_year || "") + "–" + (t.target_year || "")) +
        '</td><td class="num">' + NT.num(t.limit, 4) + "</td><td>" + (t.progress ? '<span class="dot ' + t.progress.status + '"></span>' + NT.t(t.progress.status) : "—") +
        "</td></tr>").join("");
    const tpl = await NT.api("/api/targets/templates");
    document.getElementById("target-templates").innerHTML = "<tr><th>" + NT.t("indicator") + '</th><th class="num">' + NT.t("target") + "</th><th>" +
      NT.t("unit") + "</th><th>" + NT.t("period") + "</th><th>" + NT.t("document") + "</th><th>" + NT.t("subject") + "</th><th></th></tr>" +
      tpl.items.map((t) => '<tr data-template="' + NT.esc(t.id) + '"><td>' + NT.esc(NT.t(t.indicator)) + '<br><span class="muted">' + NT.esc(t.id) +
        '</span></td><td><input class="t-value" size="8" value="' + NT.esc(t.value) + '"></td><td>' + NT.esc(t.unit) + "</td><td>" +
        NT.esc((t.base_year || "") + "–" + (t.target_year || "")) + "</td><td>" + NT.esc(t.document) + " " + NT.esc(t.clause || "") +
        '</td><td><input class="t-subject" size="10" value="park"></td><td><button type="button" class="primary adopt-btn">' + NT.t("adoptBtn") +
        "</button></td></tr>").join("");
    document.querySelectorAll(".adopt-btn").forEach((b) => {
      b.onclick = async () => {
        const tr = b.closest("tr"); const value = parseFloat(tr.querySelector(".t-value").value);
        const body = {template_id: tr.dataset.template, subject: tr.querySelector(".t-subject").value.trim() || "park"};
        if (!Number.isNaN(value)) body.value = value;
        try {
          const r = await NT.send("/api/targets", body);
          say("target-msg", NT.t("adoptedMsg") + ": " + r.id + " " + NT.num(r.value, 4) + " " + r.unit);
          await targets();
        } catch (e) { say("target-msg", e.message, true); }
      };
    });
  }

  document.getElementById("b-year").value = latest;
  document.getElementById("budget-form").onsubmit = async (ev) => {
    ev.preventDefault();
    const year = document.getElementById("b-year").value;
    const body = {method: document.getElementById("b-method").value, reserve: parseFloat(document.getElementById("b-reserve").value)};
    const total = parseFloat(document.getElementById("b-budget").value); if (!Number.isNaN(total)) body.budget = total;
    try {
      const r = await NT.send("/api/budgets/" + year, body);
      say("budget-msg", year + " v" + r.version + " · " + NT.t("m_" + r.method) + " · " + NT.num(r.budget_t) + " tCO2 · " + NT.t("reserve") + " " +
        NT.num(r.reserve_t) + " t · " + r.enterprises.length + " " + NT.t("enterprises") + " · " + r.approved_by);
      document.getElementById("budget-sectors").innerHTML = "<tr><th>" + NT.t("sector") + '</th><th class="num">' + NT.t("enterprises") +
        '</th><th class="num">' + NT.t("allocated") + " tCO2</th></tr>" + r.sectors.map((s) => "<tr><td>" + NT.esc(s.sector_code) +
        '</td><td class="num">' + s.enterprises + '</td><td class="num">' + NT.num(s.allocated_t) + "</td></tr>").join("");
    } catch (e) { say("budget-msg", e.message, true); }
  };

  async function auditLog() {
    const p = new URLSearchParams({limit: 200});
    const actor = document.getElementById("a-actor").value.trim(); if (actor) p.set("actor", actor);
    const action = document.getElementById("a-action").value.trim(); if (action) p.set("action", action);
    const a = await NT.api("/api/audit?" + p.toString());
    const c = a.chain;
    say("chain", c.intact ? "✓ " + NT.t("chainIntact") + " (" + c.entries + ")" : "✗ " + NT.t("chainBroken") + " #" + c.first_bad_seq + ": " + c.problem, !c.intact);
    document.getElementById("audit").innerHTML = "<tr><th>#</th><th>" + NT.t("time") + "</th><th>" + NT.t("actor") + "</th><th>" + NT.t("action") +
      "</th><th>" + NT.t("objectCol") + "</th></tr>" + a.items.map((e) => "<tr><td>" + e.seq + "</td><td>" + NT.esc(new Date(e.at).toLocaleString(NT.lang === "zh" ? "zh-CN" : "en-US")) +
      "</td><td>" + NT.esc(e.actor) + "</td><td>" + NT.esc(e.action) + "</td><td>" + NT.esc(e.target) + "</td></tr>").join("");
  }
  document.getElementById("audit-form").onsubmit = async (ev) => { ev.preventDefault(); await auditLog(); };

  async function publications() {
    const p = await NT.api("/api/public/publications");
    document.getElementById("publications").innerHTML = "<tr><th>" + NT.t("year") + "</th><th>" + NT.t("version") + "</th><th>" + NT.t("title") +
      "</th><th>" + NT.t("time") + "</th></tr>" + p.items.map((x) => "<tr><td>" + x.year + "</td><td>v" + x.version + "</td><td>" + NT.esc(x.title) +
      "</td><td>" + NT.esc(new Date(x.published_at).toLocaleString(NT.lang === "zh" ? "zh-CN" : "en-US")) + "</td></tr>").join("");
  }
  document.getElementById("p-year").value = latest;
  document.getElementById("publish-form").onsubmit = async (ev) => {
    ev.preventDefault();
    try {
      const r = await NT.send("/api/publications", {year: parseInt(document.getElementById("p-year").value, 10)});
      say("publish-msg", NT.t("published") + ": " + r.year + " v" + r.version); await publications();
    } catch (e) { say("publish-msg", e.message, true); }
  };

  const fs = await NT.api("/api/factor-sets");
  document.getElementById("factor-sets").innerHTML = "<tr><th>" + NT.t("factorSet") + "</th><th>" + NT.t("description") + "</th></tr>" +
    fs.items.map((x) => "<tr><td>" + NT.esc(x.id) + "</td><td>" + NT.esc(x.description) + "</td></tr>").join("");

  await users();
  await targets();
  await auditLog();
  await publications();
  document.body.dataset.ready = "1";
})();
