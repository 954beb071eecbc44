// The portal's ratings and compliance panels: the enterprise's own carbon-efficiency grade and green code with
// their reasons and method versions, and its allowance compliance (every figure is the API's).
(async function () {
  const uscc = document.body.dataset.uscc;
  const year = Number(NT.year() || new Date().getFullYear() - 1);
  const el = document.getElementById("ratings");
  try {
    const ce = (await NT.api("/api/ratings/carbon-efficiency?year=" + year)).items.find((i) => i.uscc === uscc);
    const gc = await NT.api("/api/ratings/green-code?year=" + year);
    const code = gc.items.find((i) => i.uscc === uscc);
    el.innerHTML = "<tr><td>" + NT.t("carbonGrade") + "</td><td>" + (ce && ce.grade ? NT.esc(ce.grade_zh) : NT.t("notGraded")) +
      '</td><td class="muted">' + NT.esc(ce ? ce.reason : "") + "</td></tr>" +
      "<tr><td>" + NT.t("greenCode") + '</td><td data-colour="' + (code ? code.colour : "") + '">' + (code ? NT.t(code.colour + "_c") : "—") +
      '</td><td class="muted">' + NT.esc(code ? code.reasons.join("; ") : "") + " (" + NT.esc(gc.method) + ")</td></tr>";
  } catch (e) { el.innerHTML = '<tr><td class="muted">' + NT.esc(String(e.message || e)) + "</td></tr>"; }
  const cp = document.getElementById("compliance");
  try {
    const rows = (await NT.api("/api/assets/compliance?year=" + (year - 1))).items.filter((r) => r.uscc === uscc);
    cp.innerHTML = rows.length === 0 ? '<tr><td class="muted">' + NT.t("notCovered") + "</td></tr>" :
      rows.map((r) => "<tr><td>" + (year - 1) + "</td><td>" + NT.t("state_" + r.state.replace(/ /g, "_")) + '</td><td class="num">' + NT.t("obligation") + " " +
        NT.num(r.obligation_t || 0, 0) + '</td><td class="num">' + NT.t("shortfall") + " " + NT.num(r.shortfall_t || 0, 0) + "</td><td>" +
        NT.t("deadlineLabel") + " " + NT.esc(r.deadline || "—") + (r.warning ? '<br><span class="muted">' + NT.esc(r.warning) + "</span>" : "") +
        "</td></tr>").join("");
  } catch (e) { cp.innerHTML = '<tr><td class="muted">' + NT.esc(String(e.message || e)) + "</td></tr>"; }
})();
