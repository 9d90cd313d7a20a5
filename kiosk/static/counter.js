// Counter console: every button calls one API action; the page refreshes its lists and today's counts after
// each action and every few seconds.
(function () {
  const root = document.getElementById("console");
  if (!root) return;
  const counterId = root.dataset.counter;
  const pageSize = Number(root.dataset.pageSize) || 15;
  const msg = document.getElementById("msg");    // errors: red, role=alert
  const note = document.getElementById("note");  // what went well or simply happened: role=status
  const text = (id) => document.getElementById(id).content.textContent.trim();
  const fill = (id, values) => text(id).replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  // A service code or status in the page's language (falls back to the code itself).
  const word = (prefix, code) => { const t = document.getElementById(prefix + code); return t ? t.content.textContent.trim() : code; };

  function clear() { msg.replaceChildren(); msg.classList.add("hidden"); note.textContent = ""; note.className = "notice hidden"; }
  function fail(err) {
    clear();
    msg.textContent = err;
    msg.classList.remove("hidden");
  }
  function tell(words, kind) {  // kind: "ok" (done as asked) or "info" (nothing to do)
    clear();
    note.textContent = words;
    note.className = "notice " + kind;
  }
  // The login ran out (or was ended elsewhere): say so, and where to log in again; nothing was done.
  function expired() {
    clear();
    const link = document.createElement("a");
    link.href = root.dataset.login;
    link.className = "btn primary";
    link.id = "login-again";
    link.textContent = text("t-login");
    msg.append(text("t-expired") + " ", link);
    msg.classList.remove("hidden");
    loggedOut = true;
    setButtons();
  }
  function problem(e) { if (e.status === 401) expired(); else fail(e.message); }

  let current = null, loggedOut = false, offset = 0;
  const reprint = document.getElementById("reprint");

  // Each button is usable only when its step makes sense: "call" with no ticket at the counter, the rest
  // with one (recall, arrived and no-show only while it is called, not yet being served).
  function usable(when) {
    if (loggedOut) return false;
    if (when === "none") return !current;
    if (when === "called") return !!current && current.status === "called";
    return !!current;
  }
  function setButtons() {
    root.querySelectorAll("[data-when]").forEach((el) => { el.disabled = !usable(el.dataset.when); });
  }

  function render(counter) {
    current = (counter && counter.serving) || null;
    setButtons();
    document.getElementById("cur-number").textContent = current ? current.number : "—";
    document.getElementById("cur-info").textContent = current ? `${word("svc-", current.service)} · ${word("st-", current.status)}${current.priority ? " · ★" : ""}` : text("t-nocur");
  }

  function renderWaiting(w) {
    const body = document.getElementById("waiting");
    body.replaceChildren();
    for (const t of w.tickets) {
      const tr = document.createElement("tr");
      const cells = [t.number + (t.priority ? " ★" : ""), word("svc-", t.service), word("st-", t.status)];
      cells.forEach((v, i) => { const td = document.createElement("td"); td.textContent = v;
        if (i === 0 && t.priority) td.className = "prio"; if (i === 2) td.className = "status-" + t.status; tr.appendChild(td); });
      const td = document.createElement("td");
      const call = document.createElement("button"); call.className = "btn"; call.type = "button";
      call.textContent = text("t-call"); call.dataset.when = "none"; call.disabled = !usable("none");
      call.addEventListener("click", () => act("call", { ticket: t.id }));
      td.appendChild(call);
      if (t.status === "parked") {
        const back = document.createElement("button"); back.className = "btn"; back.type = "button";
        back.textContent = text("t-resume"); back.disabled = loggedOut;
        back.addEventListener("click", () => run(() => Tambon.api("POST", `/api/v1/tickets/${t.id}/resume`)));
        td.appendChild(back);
      }
      tr.appendChild(td); body.appendChild(tr);
    }
    const info = document.getElementById("page-info");
    info.textContent = w.total ? fill("t-page", { from: w.offset + 1, to: w.offset + w.tickets.length, total: w.total }) : "";
    document.getElementById("page-prev").disabled = w.offset <= 0;
    document.getElementById("page-next").disabled = w.offset + w.tickets.length >= w.total;
  }

  async function refresh() {
    if (loggedOut) return;
    try {
      const [{ data: cs }, { data: w }, { data: today }] = await Promise.all([
        Tambon.api("GET", "/api/v1/counters"),
        Tambon.api("GET", `/api/v1/waiting?counter=${counterId}&offset=${offset}&limit=${pageSize}`),
        Tambon.api("GET", root.dataset.today)]);
      render(cs.counters.find((c) => String(c.id) === counterId));
      root.querySelectorAll("[data-count]").forEach((b) => { b.textContent = today[b.dataset.count]; });
      if (w.offset > 0 && w.tickets.length === 0) { offset = Math.max(0, w.total - pageSize); return refresh(); }
      renderWaiting(w);
    } catch (e) { problem(e); }
  }

  async function run(fn) {
    clear();
    try {
      const res = await fn();
      if (res && res.status === 204) tell(text("t-none"), "info");
    } catch (e) { problem(e); }
    refresh();
  }

  // A step that cannot be undone (finish, no-show, transfer) asks first, naming the ticket.
  const dialog = document.getElementById("confirm");
  function confirmed(question) {
    return new Promise((resolve) => {
      document.getElementById("confirm-text").textContent = question;
      dialog.returnValue = "";
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
      dialog.showModal();
      document.getElementById("confirm-ok").focus();
    });
  }

  document.getElementById("page-prev").addEventListener("click", () => { offset = Math.max(0, offset - pageSize); refresh(); });
  document.getElementById("page-next").addEventListener("click", () => { offset += pageSize; refresh(); });

  // Printer status line: ready / problem, paper near end, tickets waiting to print.
  async function printerStatus() {
    const line = document.getElementById("printer-status");
    if (!line || loggedOut) return;
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
    const res = await Tambon.api("POST", `/api/v1/tickets/${current.id}/reprint`);
    tell(text("t-reprinted"), "ok");
    return res;
  }));

  function act(action, body) { return run(() => Tambon.api("POST", `/api/v1/counters/${counterId}/${action}`, body)); }

  root.querySelectorAll("button[data-action]").forEach((b) => b.addEventListener("click", async () => {
    if (b.dataset.confirm && !(await confirmed(fill(b.dataset.confirm, { number: current ? current.number : "" })))) return;
    act(b.dataset.action);
  }));
  document.getElementById("transfer").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const select = ev.target.service;
    const service = select.options[select.selectedIndex].textContent.trim();
    if (!(await confirmed(fill("t-confirm-transfer", { number: current ? current.number : "", service })))) return;
    act("transfer", { service: select.value });
  });
  refresh();
  printerStatus();
  setInterval(refresh, 5000);
  setInterval(printerStatus, 10000);
})();
