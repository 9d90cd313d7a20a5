// Counter console: every button calls one API action; the page refreshes its lists and today's counts after
// each action and every few seconds.
(function () {
  const root = document.getElementById("console");
  if (!root) return;
  const counterId = root.dataset.counter;
  const msg = document.getElementById("msg");
  const text = (id) => document.getElementById(id).innerHTML.trim();
  // A service code or status in the page's language (falls back to the code itself).
  const word = (prefix, code) => { const t = document.getElementById(prefix + code); return t ? t.content.textContent.trim() : code; };

  function show(err) { msg.textContent = err; msg.classList.toggle("hidden", !err); }

  let currentId = null;
  const reprint = document.getElementById("reprint");

  function render(counter) {
    const cur = counter && counter.serving;
    currentId = cur ? cur.id : null;
    if (reprint) reprint.disabled = !currentId;
    document.getElementById("cur-number").textContent = cur ? cur.number : "—";
    document.getElementById("cur-info").textContent = cur ? `${word("svc-", cur.service)} · ${word("st-", cur.status)}${cur.priority ? " · ★" : ""}` : text("t-nocur");
  }

  async function refresh() {
    try {
      const [{ data: cs }, { data: w }, { data: today }] = await Promise.all([
        Tambon.api("GET", "/api/v1/counters"), Tambon.api("GET", "/api/v1/waiting"),
        Tambon.api("GET", root.dataset.today)]);
      render(cs.counters.find((c) => String(c.id) === counterId));
      root.querySelectorAll("[data-count]").forEach((b) => { b.textContent = today[b.dataset.count]; });
      const body = document.getElementById("waiting");
      body.replaceChildren();
      for (const t of w.tickets) {
        const tr = document.createElement("tr");
        const cells = [t.number + (t.priority ? " ★" : ""), word("svc-", t.service), word("st-", t.status)];
        cells.forEach((v, i) => { const td = document.createElement("td"); td.textContent = v;
          if (i === 0 && t.priority) td.className = "prio"; if (i === 2) td.className = "status-" + t.status; tr.appendChild(td); });
        const td = document.createElement("td");
        const call = document.createElement("button"); call.className = "btn"; call.textContent = text("t-call");
        call.addEventListener("click", () => act("call", { ticket: t.id }));
        td.appendChild(call);
        if (t.status === "parked") {
          const back = document.createElement("button"); back.className = "btn"; back.textContent = text("t-resume");
          back.addEventListener("click", () => run(() => Tambon.api("POST", `/api/v1/tickets/${t.id}/resume`)));
          td.appendChild(back);
        }
        tr.appendChild(td); body.appendChild(tr);
      }
    } catch (e) { show(e.message); }
  }

  async function run(fn) {
    show("");
    try {
      const res = await fn();
      if (res.status === 204) show(text("t-none"));
    } catch (e) { show(e.message); }
    refresh();
  }

  // Printer status line: ready / problem, paper near end, tickets waiting to print.
  async function printerStatus() {
    const line = document.getElementById("printer-status");
    if (!line) return;
    try {
      const { data } = await Tambon.api("GET", "/api/v1/printers");
      const parts = data.printers.filter((p) => p.enabled).map((p) => {
        let t = (p.state === "ok" ? text("t-printer-ok") : text("t-printer-bad") + ` (${p.problem || p.state})`);
        if (data.printers.length > 1) t = `${p.name}: ${t}`;
        if (p.status && p.status.paper_near_end) t += " · " + text("t-paper-low");
        if (p.jobs_waiting) t += ` · ${p.jobs_waiting} ${text("t-printer-jobs")}`;
        return t;
      });
      line.textContent = parts.join(" | ");
      line.classList.toggle("warn", data.printers.some((p) => p.state === "failing"));
    } catch (e) { line.textContent = ""; }
  }

  if (reprint) reprint.addEventListener("click", () => run(async () => {
    const res = await Tambon.api("POST", `/api/v1/tickets/${currentId}/reprint`);
    show(text("t-reprinted"));
    return res;
  }));

  function act(action, body) { return run(() => Tambon.api("POST", `/api/v1/counters/${counterId}/${action}`, body)); }

  root.querySelectorAll("[data-action]").forEach((b) => b.addEventListener("click", () => act(b.dataset.action)));
  document.getElementById("transfer").addEventListener("submit", (ev) => {
    ev.preventDefault();
    act("transfer", { service: ev.target.service.value });
  });
  refresh();
  printerStatus();
  setInterval(refresh, 5000);
  setInterval(printerStatus, 10000);
})();
