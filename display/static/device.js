// A device id the browser keeps (for the staff's device list), shared by the display and kiosk pages.
(function () {
  function deviceKey() {
    let key = null;
    try { key = localStorage.getItem("tambon.device"); } catch (e) { key = null; }
    if (!key || !/^[A-Za-z0-9_-]{8,64}$/.test(key)) {
      const bytes = new Uint8Array(12);
      crypto.getRandomValues(bytes);
      key = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      try { localStorage.setItem("tambon.device", key); } catch (e) { /* private mode: a new id per load */ }
    }
    return key;
  }
  window.TambonDevice = { key: deviceKey };
})();
