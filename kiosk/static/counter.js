// Counter console: every button calls one API action; the page refreshes its lists every few seconds.
(function () {
  const root = document.getElementById("console");
  if (!root) return;
  const counterId = root.dataset.counter;
  const msg = document.getElementById("msg");
  const text = (id) => document.getElementById(id).innerHTML.trim();
  // A service code or status in the page's language (falls back to the code itself).
  const word = (prefix, code) => { const t = document.getElementById(prefix + code); return t ? t.content.textContent.trim() : code; };

  function show(err) { msg.textContent = err; msg.classList.toggle("hidden", !err); }

  function render(counter) {
    const cur = counter && counter.serving;
    document.getElementById("cur-number").textContent = cur ? cur.number : "—";
    document.getElementById("cur-info").textContent = cur ? `${word("svc-", cur.service)} · ${word("st-", cur.status)}${cur.priority ? " · ★" : ""}` : text("t-nocur");
  }

  async function refresh() {
    try {
      const [{ data: cs }, { data: w }] = await Promise.all([
        Tambon.api("GET", "/api/v1/counters"), Tambon.api("GET", "/api/v1/waiting")]);
      render(cs.counters.find((c) => String(c.id) === counterId));
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

  function act(action, body) { return run(() => Tambon.api("POST", `/api/v1/counters/${counterId}/${action}`, body)); }

  root.querySelectorAll("[data-action]").forEach((b) => b.addEventListener("click", () => act(b.dataset.action)));
  document.getElementById("transfer").addEventListener("submit", (ev) => {
    ev.preventDefault();
    act("transfer", { service: ev.target.service.value });
  });
  refresh();
  setInterval(refresh, 5000);
})();
