// The caller's own notification subscriptions (warnings, data quality, certificates, compliance, live alarms) by e-mail or a
// group robot (企业微信, 钉钉, generic webhook): listed, added and stopped through /api/me/subscriptions.
(async function () {
  const box = document.getElementById("subscriptions");
  if (!box) return;
  const channelNames = {email: "subEmail", wecom: "subWecom", dingtalk: "subDingtalk", webhook: "subWebhook"};
  async function render() {
    const s = await NT.api("/api/me/subscriptions");
    box.innerHTML = '<form id="sub-form">' + s.kinds.map((k) => '<label><input type="checkbox" name="kind" value="' + k + '"' +
      (k === "warnings" || k === "quality" ? " checked" : "") + "> " + NT.t("ev_" + k) + "</label> ").join("") +
      '<select id="sub-channel" aria-label="channel">' + s.channels.map((c) => '<option value="' + c + '">' + NT.t(channelNames[c]) + "</option>").join("") +
      '</select> <input id="sub-target" size="28" aria-label="target" placeholder="' + NT.esc(NT.t("subTarget")) + '"> <label><input type="checkbox" id="sub-digest"> ' +
      NT.t("subDigest") + "</label> " + (s.kinds.includes("report_inventory") ? '<label>' + NT.t("subReportDay") +
      ' <input id="sub-day" type="number" min="1" max="28" value="5" size="3"></label> ' : "") +
      '<button class="primary" type="submit">' + NT.t("subscribeBtn") + '</button></form><p id="sub-msg"></p>' +
      '<table id="sub-list">' + (s.items.length === 0 ? '<tr><td class="muted">' + NT.t("noSubscriptions") + "</td></tr>" :
        "<tr><th>" + NT.t("subKinds") + "</th><th>" + NT.t("subChannel") + "</th><th>" + NT.t("subTarget") + "</th><th>" + NT.t("status") + "</th><th></th></tr>" +
        s.items.map((x) => '<tr data-sub="' + x.id + '"><td>' + x.kinds.map((k) => NT.esc(NT.t("ev_" + k))).join("、") + (x.digest ? " · " + NT.t("subDigest") : "") +
          (x.report_day ? " · " + NT.t("subEveryMonth").replace("{d}", x.report_day) : "") +
          "</td><td>" + NT.esc(NT.t(channelNames[x.channel])) + "</td><td>" + NT.esc(x.target) + "</td><td>" + NT.t(x.active ? "active" : "inactive") + "</td><td>" +
          (x.active ? '<button type="button" class="sub-stop">' + NT.t("unsubscribeBtn") + "</button>" : "") + "</td></tr>").join("")) + "</table>";
    document.getElementById("sub-form").onsubmit = async (ev) => {
      ev.preventDefault();
      const body = {kinds: Array.from(box.querySelectorAll("input[name=kind]:checked")).map((i) => i.value),
        channel: document.getElementById("sub-channel").value, target: document.getElementById("sub-target").value.trim(),
        digest: document.getElementById("sub-digest").checked};
      const day = document.getElementById("sub-day");
      if (day && body.kinds.some((k) => k.startsWith("report_"))) body.report_day = parseInt(day.value, 10);
      try {
        await NT.send("/api/me/subscriptions", body);
        await render(); document.getElementById("sub-msg").textContent = NT.t("subscribed");
      } catch (e) { const m = document.getElementById("sub-msg"); m.className = "error"; m.textContent = e.message; }
    };
    box.querySelectorAll(".sub-stop").forEach((b) => {
      b.onclick = async () => { await NT.api("/api/me/subscriptions/" + b.closest("tr").dataset.sub, {method: "DELETE"}); await render(); };
    });
  }
  await render();
  box.dataset.ready = "1";
})();
