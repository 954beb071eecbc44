// Shared helpers: language, API calls with the bearer token, number formats (units always shown).
(function () {
  const NT = {};
  NT.lang = localStorage.getItem("nt_lang") || "zh";
  // Where to go after logging in: only a path of this site, after the browser's own normalisation
  // (so "/\\evil.example", "/%09/evil.example" and "//evil.example" all end at "/")
  NT.sameOrigin = (next) => {
    if (!next) return "/";
    try {
      const u = new URL(next, location.origin);
      if (u.origin !== location.origin || !next.startsWith("/")) return "/";
      return u.pathname + u.search + u.hash;
    } catch (e) { return "/"; }
  };
  NT.t = (k) => (window.NT_I18N[NT.lang] || {})[k] || window.NT_I18N.zh[k] || k;
  NT.applyI18n = function (root) {
    (root || document).querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = NT.t(el.dataset.i18n); });
    document.documentElement.lang = NT.lang === "zh" ? "zh-CN" : "en";
  };
  NT.toggleLang = function () {
    localStorage.setItem("nt_lang", NT.lang === "zh" ? "en" : "zh");
    location.reload();
  };
  NT.token = () => sessionStorage.getItem("nt_token");
  NT.api = async function (path, opts) {
    opts = opts || {};
    const headers = Object.assign({}, opts.headers || {});
    const tok = NT.token();
    if (tok) headers["Authorization"] = "Bearer " + tok;
    const r = await fetch(path, Object.assign({}, opts, { headers, credentials: "same-origin" }));
    if (r.status === 401) { location.href = "/login?next=" + encodeURIComponent(location.pathname); throw new Error("401"); }
    if (r.status === 204) return null;  // no content (a DELETE)
    const ct = r.headers.get("content-type") || "";
    const body = ct.includes("json") ? await r.json() : await r.text();
    if (!r.ok) { const e = new Error((body && ((NT.lang === "zh" && body.detail_zh) || body.detail)) || r.statusText); e.status = r.status; e.body = body; throw e; }
    return body;
  };
  const loc = () => (NT.lang === "zh" ? "zh-CN" : "en-US");
  NT.num = (x, d) => (x === null || x === undefined || Number.isNaN(x)) ? "—"
    : Number(x).toLocaleString(loc(), { minimumFractionDigits: d === undefined ? 2 : d, maximumFractionDigits: d === undefined ? 2 : d });
  NT.pct = (x) => (x === null || x === undefined) ? "—" : (x * 100).toFixed(1) + "%";
  NT.fmt = (x, unit) => unit === "%" ? NT.pct(x) : NT.num(x, unit && unit.includes("/") ? 4 : 2);
  NT.esc = (s) => String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  // a field the API gives in both languages: `field` beside `field_zh` or `field_en`, the reader's one where there is one
  NT.said = (o, field) => (NT.lang === "zh" ? o[field + "_zh"] : o[field + "_en"]) || o[field];
  NT.reason = (x) => NT.esc(NT.said(x, "reason"));  // a refused row's reason, a rating's grounds, escaped
  NT.name = (o) => NT.said(o, "name");
  NT.year = () => { const y = new URLSearchParams(location.search).get("year"); return y ? parseInt(y, 10) : null; };
  // The place the page shows (park:<code> or region:<code>; none: the user's own place or the whole installation)
  NT.place = () => new URLSearchParams(location.search).get("place") || "";
  NT.whole = () => !(NT.place() || (document.body && document.body.dataset.userPlace));
  NT.q = (extra) => {
    const y = NT.year(), pl = NT.place(); const p = new URLSearchParams(extra || {});
    if (y) p.set("year", y); if (pl) p.set("place", pl); const s = p.toString(); return s ? "?" + s : "";
  };
  // A JSON request (POST unless another method is named), through NT.api
  NT.send = (path, body, method) => NT.api(path, {method: method || "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body)});
  NT.logout = async function () {
    sessionStorage.removeItem("nt_token");
    try { await fetch("/api/auth/logout", { method: "POST" }); } catch (e) { /* ignore */ }
    location.href = "/login";
  };
  // A chart's figures as a table beside it, for screen readers and for copying (the chart is described by it)
  NT.chartTable = function (id, headers, rows) {
    const chart = document.getElementById(id);
    let t = document.getElementById(id + "-table");
    if (!t) {  // a table takes its rows' height whatever its box says: the 1-px clipping box is a div around it
      const box = document.createElement("div"); box.className = "sr-only";
      t = document.createElement("table"); t.id = id + "-table"; box.append(t); chart.after(box);
    }
    chart.setAttribute("role", "img");
    chart.setAttribute("aria-describedby", t.id);
    t.innerHTML = "<tr>" + headers.map((h) => "<th>" + NT.esc(h) + "</th>").join("") + "</tr>" +
      rows.map((r) => "<tr>" + r.map((v) => "<td>" + (typeof v === "number" ? NT.num(v) : NT.esc(v)) + "</td>").join("") + "</tr>").join("");
  };
  // The name of a code from the shared catalogue (/labels.js, nengtan.labels): NT.word("carrier", "diesel") → 柴油
  NT.word = (table, code) => {
    const t = (window.NT_LABELS || {})[table] || {}, w = t[code];
    return w ? w[NT.lang === "en" ? 1 : 0] : code;
  };
  NT.chart = function (id) {
    const el = document.getElementById(id);
    const c = echarts.init(el, "dark", { renderer: "canvas" });
    NT.saveButton(el);
    return c;
  };
  // Any chart as a PNG image for a slide: a button beside the panel's title saves what the chart shows now
  NT.saveButton = function (el) {
    if (document.getElementById(el.id + "-png")) return;
    const panel = el.closest(".panel"), head = panel && panel.querySelector("h2");
    if (!head) return;
    const b = document.createElement("button");
    b.type = "button"; b.id = el.id + "-png"; b.className = "chart-save"; b.textContent = NT.t("saveImage");
    const title = head.textContent.trim() || el.id;  // read before the button joins the title
    b.setAttribute("aria-label", NT.t("saveImage") + "：" + title);
    b.onclick = function () {
      const c = echarts.getInstanceByDom(el);
      if (!c) return;
      const url = c.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#0f1d2e" });
      const bytes = Uint8Array.from(atob(url.split(",")[1]), (ch) => ch.charCodeAt(0));
      const a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob([bytes], { type: "image/png" }));
      a.download = title.replace(/[\\/:*?"<>|\s]+/g, "_") + ".png";
      document.body.append(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    };
    head.append(b);
  };
  NT.header = function () {
    const b = document.getElementById("lang-btn"); if (b) { b.textContent = NT.t("lang"); b.onclick = NT.toggleLang; }
    const l = document.getElementById("logout-btn"); if (l) { l.textContent = NT.t("logout"); l.onclick = NT.logout; }
    NT.applyI18n();
  };
  window.NT = NT;
})();
