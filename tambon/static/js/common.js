// Shared helpers: JSON calls to /api/v1 with the session's CSRF token, and bilingual error text.
(function () {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const lang = document.documentElement.lang || "th";
  async function api(method, url, body) {
    const headers = { "Accept": "application/json" };
    if (meta) headers["X-CSRFToken"] = meta.content;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(url, { method, headers, credentials: "same-origin",
                                   body: body === undefined ? undefined : JSON.stringify(body) });
    let data = null;
    if (res.status !== 204) { try { data = await res.json(); } catch (e) { data = null; } }
    if (!res.ok) {
      const err = (data && data.error) || {};
      const text = lang === "en" ? (err.message_en || res.statusText) : (err.message_th || err.message_en || res.statusText);
      const e = new Error(text); e.status = res.status; e.code = err.code;
      e.messageTh = err.message_th || err.message_en || res.statusText; e.messageEn = err.message_en || res.statusText;
      throw e;
    }
    return { status: res.status, data };
  }
  window.Tambon = { api, lang };
})();
