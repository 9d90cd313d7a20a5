// Thai clock and date in the Buddhist era, in the office's time zone (offset taken from the server's
// snapshot, e.g. "+07:00"), corrected for the TV's own clock drift. No Intl calendar support needed.
(function () {
  const MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
                  "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"];
  const DAYS = ["อาทิตย์", "จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์"];
  const MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                     "October", "November", "December"];
  const DAYS_EN = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  let offsetMinutes = 7 * 60;  // Asia/Bangkok until the server says otherwise
  let skewMs = 0;              // server time - this device's time
  function pad(n) { return String(n).padStart(2, "0"); }
  function sync(serverIso) {
    if (!serverIso) return;
    const m = /([+-])(\d\d):(\d\d)$/.exec(serverIso);
    if (m) offsetMinutes = (m[1] === "-" ? -1 : 1) * (parseInt(m[2], 10) * 60 + parseInt(m[3], 10));
    const server = Date.parse(serverIso);
    if (!isNaN(server)) skewMs = server - Date.now();
  }
  function local() { return new Date(Date.now() + skewMs + offsetMinutes * 60000); }  // read with getUTC*
  function time() { const d = local(); return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()); }
  function date(lang) {
    const d = local();
    if (lang === "en") {
      return DAYS_EN[d.getUTCDay()] + " " + d.getUTCDate() + " " + MONTHS_EN[d.getUTCMonth()] + " " +
        (d.getUTCFullYear() + 543) + " B.E.";
    }
    return "วัน" + DAYS[d.getUTCDay()] + "ที่ " + d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " พ.ศ. " +
      (d.getUTCFullYear() + 543);
  }
  function isoDate() { const d = local(); return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()); }
  window.ThaiClock = { sync, time, date, isoDate };
})();
