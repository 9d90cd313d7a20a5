// Kiosk heartbeat: include on the kiosk page (after device.js). Reports every 30 s that this kiosk is alive.
(function () {
  const key = window.TambonDevice.key();
  const name = new URLSearchParams(location.search).get("name") || "";
  function beat() {
    fetch("/api/v1/devices/heartbeat", {
      method: "POST", headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ device: key, kind: "kiosk", name: name, page: location.pathname }),
      credentials: "same-origin", keepalive: true,
    }).catch(function () { /* offline: the staff page shows it */ });
  }
  beat();
  setInterval(beat, 30000);
})();
