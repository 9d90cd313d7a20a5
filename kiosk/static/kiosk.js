// Kiosk: one tap on a service takes a ticket; the number stays on screen for a while, then resets.
// The services are re-read every few seconds: waiting counts, and a service that opened or closed since.
(function () {
  const root = document.getElementById("kiosk");
  if (!root) return;
  const priority = document.getElementById("priority");
  const result = document.getElementById("result");
  const errorBox = document.getElementById("error");
  const RESULT_SECONDS = 10, ERROR_SECONDS = 10;
  let busy = false, resetTimer = null;

  priority.addEventListener("click", () => {
    priority.setAttribute("aria-pressed", priority.getAttribute("aria-pressed") === "true" ? "false" : "true");
  });

  // Ready for the next citizen: no number, no error, priority lane off.
  function reset() {
    clearTimeout(resetTimer);
    result.classList.add("hidden");
    errorBox.classList.add("hidden");
    priority.setAttribute("aria-pressed", "false");
    busy = false;
  }
  document.getElementById("r-done").addEventListener("click", reset);
  document.getElementById("error-done").addEventListener("click", reset);

  // One service button as the server sees it now.
  function show(service) {
    const btn = root.querySelector(`.service-btn[data-service="${service.code}"]`);
    if (!btn) return;
    btn.disabled = !service.open_now;
    btn.querySelector(".svc-open").classList.toggle("hidden", !service.open_now);
    btn.querySelector(".svc-closed").classList.toggle("hidden", service.open_now);
    btn.querySelector("[data-waiting]").textContent = String(service.waiting);
    btn.querySelector("[data-hours]").textContent = `${service.opens_at}–${service.closes_at}`;
  }

  async function refresh() {
    try {
      const { data } = await Tambon.api("GET", "/api/v1/services");
      // A service added (or switched on) since the page loaded has no button yet: load the page again,
      // between citizens only.
      const added = data.services.some((s) => !root.querySelector(`.service-btn[data-service="${s.code}"]`));
      if (added && !busy) { window.location.reload(); return; }
      const seen = new Set(data.services.map((s) => s.code));
      data.services.forEach(show);
      // A service switched off since the page loaded is no longer listed: closed too.
      root.querySelectorAll(".service-btn").forEach((btn) => {
        if (seen.has(btn.dataset.service)) return;
        btn.disabled = true;
        btn.querySelector(".svc-open").classList.add("hidden");
        btn.querySelector(".svc-closed").classList.remove("hidden");
      });
    } catch (e) { /* the next round tries again; the buttons keep their last known state */ }
  }

  function refused(e) {
    const generic = document.getElementById("t-failed").content.textContent.trim().split(" / ");
    document.getElementById("error-th").textContent = e.messageTh || generic[0];
    document.getElementById("error-en").textContent = e.messageEn || generic[1];
    result.classList.add("hidden");
    errorBox.classList.remove("hidden");
    clearTimeout(resetTimer);
    resetTimer = setTimeout(reset, ERROR_SECONDS * 1000);
    refresh();  // a service that closed shows as closed at once
  }

  root.querySelectorAll(".service-btn").forEach((btn) => {
    btn.addEventListener("click", async () => {
      if (busy) return;  // one ticket per tap, even on a double tap
      busy = true;
      errorBox.classList.add("hidden");
      try {
        const { data } = await Tambon.api("POST", "/api/v1/tickets", {
          service: btn.dataset.service, priority: priority.getAttribute("aria-pressed") === "true" });
        document.getElementById("r-number").textContent = data.number;
        document.getElementById("r-service").textContent = Tambon.lang === "en" ? data.service_name_en : data.service_name_th;
        document.getElementById("r-ahead").textContent = data.waiting_ahead;
        document.getElementById("r-priority").classList.toggle("hidden", !data.priority);
        result.classList.toggle("priority", !!data.priority);
        const delayed = data.print && data.print.status && data.print.status !== "printed" && data.print.status !== "queued" && data.print.status !== "none";
        const noPrinter = data.print && data.print.status === "none";
        document.getElementById("r-print").classList.toggle("hidden", !!delayed || noPrinter);
        document.getElementById("r-print-delayed").classList.toggle("hidden", !delayed);
        result.classList.remove("hidden");
        clearTimeout(resetTimer);
        resetTimer = setTimeout(reset, RESULT_SECONDS * 1000);
        const w = root.querySelector(`[data-waiting="${btn.dataset.service}"]`);
        if (w) w.textContent = String(Number(w.textContent) + 1);
      } catch (e) {
        refused(e);
      }
    });
  });
  setInterval(refresh, (Number(root.dataset.refreshSeconds) || 10) * 1000);
})();
