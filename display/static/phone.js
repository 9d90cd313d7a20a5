// The citizen's phone page: refetches the ticket's status whenever the queue changes (Socket.IO, with a
// slow poll as a fallback), vibrates when the ticket is called, and offers a one-tap rating afterwards.
(function () {
  const root = document.getElementById("phone");
  const id = root.dataset.ticket;
  const d = root.dataset;
  const $ = (x) => document.getElementById(x);
  const state = { status: d.status, recalls: parseInt(d.recalls || "0", 10), fetches: 0, vibrations: 0 };
  window.TambonPhone = state;
  const lang = d.lang || "th";

  function statusLabel(status) { return d["s" + status.split("_").map((p) => p[0].toUpperCase() + p.slice(1)).join("")] || status; }

  function show(el, on) { el.classList.toggle("hidden", !on); }

  function render(t) {
    $("p-number").textContent = t.number;
    $("p-service").textContent = lang === "en" ? t.service_name_en : t.service_name_th;
    const st = $("p-status");
    st.textContent = statusLabel(t.status);
    st.className = "p-status s-" + t.status;
    st.dataset.status = t.status;
    show($("p-waiting"), t.status === "waiting");
    if (t.status === "waiting") {
      $("p-position").textContent = t.position;
      const eta = t.estimated_wait_minutes;
      show($("p-eta"), eta !== null);
      show($("p-noeta"), eta === null);
      if (eta !== null) $("p-eta").textContent = d.tMinutes.replace("{n}", eta);
    }
    show($("p-called"), t.status === "called");
    if (t.counter) $("p-counter").textContent = lang === "en" && t.counter.name_en ? t.counter.name_en : t.counter.name;
    show($("p-rate"), !!t.can_rate);
    show($("p-thanks"), !!t.rated);
    const calledNow = t.status === "called" && (state.status !== "called" || t.recalls > state.recalls);
    state.status = t.status; state.recalls = t.recalls;
    if (calledNow) notifyCalled(t);
  }

  function notifyCalled(t) {
    state.vibrations += 1;
    if (navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 400]);
    document.title = "🔔 " + t.number + " · " + document.title.replace(/^🔔 \S+ · /, "");
    $("p-called").classList.remove("pulse");
    void $("p-called").offsetWidth;
    $("p-called").classList.add("pulse");
  }

  let pending = null;
  async function refresh() {
    pending = null;
    try {
      const res = await fetch("/api/v1/tickets/" + encodeURIComponent(id) + "/live",
                              { headers: { "Accept": "application/json" }, cache: "no-store" });
      if (!res.ok) return;
      state.fetches += 1;
      render(await res.json());
    } catch (e) { /* offline: the next event or poll retries */ }
  }
  function soon() { if (!pending) pending = setTimeout(refresh, 250); }

  const socket = io("/display", { auth: { ticket: id },
                                  transports: root.dataset.websocketOnly ? ["websocket"] : ["websocket", "polling"],
                                  reconnectionDelay: 1000, reconnectionDelayMax: 30000 });
  function live(on) { show($("p-live-on"), on); show($("p-live-off"), !on); $("p-live").classList.toggle("off", !on); }
  socket.on("connect", () => { live(true); soon(); });
  socket.on("disconnect", () => live(false));
  socket.on("connect_error", () => live(false));
  socket.on("changed", soon);
  setInterval(() => { if (!socket.connected) refresh(); }, 20000);  // the slow fallback

  // One tap on a score sends it (with the comment typed above, if any).
  for (const btn of document.querySelectorAll("#p-rate .score")) {
    btn.addEventListener("click", async () => {
      const score = parseInt(btn.dataset.score, 10);
      const comment = $("p-comment").value.trim();
      for (const b of document.querySelectorAll("#p-rate .score")) b.disabled = true;
      try {
        await window.Tambon.api("POST", "/api/v1/tickets/" + encodeURIComponent(id) + "/rating",
                                comment ? { score, comment } : { score });
        show($("p-rate"), false); show($("p-thanks"), true);
      } catch (e) {
        if (e.code === "already_rated") { show($("p-rate"), false); show($("p-thanks"), true); return; }
        $("p-rate-error").textContent = e.message; show($("p-rate-error"), true);
        for (const b of document.querySelectorAll("#p-rate .score")) b.disabled = false;
      }
    });
  }
})();
