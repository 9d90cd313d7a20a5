// Kiosk: one tap on a service takes a ticket; the number stays on screen for a while, then resets.
(function () {
  const root = document.getElementById("kiosk");
  if (!root) return;
  const priority = document.getElementById("priority");
  const result = document.getElementById("result");
  const errorBox = document.getElementById("error");
  let busy = false, resetTimer = null;

  priority.addEventListener("click", () => {
    priority.setAttribute("aria-pressed", priority.getAttribute("aria-pressed") === "true" ? "false" : "true");
  });

  function reset() {
    result.classList.add("hidden");
    priority.setAttribute("aria-pressed", "false");
    busy = false;
  }
  document.getElementById("r-done").addEventListener("click", reset);

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
        const delayed = data.print && data.print.status && data.print.status !== "printed" && data.print.status !== "queued" && data.print.status !== "none";
        const noPrinter = data.print && data.print.status === "none";
        document.getElementById("r-print").classList.toggle("hidden", !!delayed || noPrinter);
        document.getElementById("r-print-delayed").classList.toggle("hidden", !delayed);
        result.classList.remove("hidden");
        clearTimeout(resetTimer);
        resetTimer = setTimeout(reset, 10000);
        const w = root.querySelector(`[data-waiting="${btn.dataset.service}"]`);
        if (w) w.textContent = String(Number(w.textContent) + 1);
      } catch (e) {
        errorBox.textContent = e.message;
        errorBox.classList.remove("hidden");
        busy = false;
      }
    });
  });
})();
