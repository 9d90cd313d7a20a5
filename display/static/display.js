// The TV display: live queue over Socket.IO (/display), with sequence-number gap detection, reconnect with
// back-off, an offline mark, and voice calls played one at a time, in order. A queued call is dropped only
// when its counter has moved on (a later call there, or the ticket no longer served), so a burst of calls
// never announces a counter late; the banner shows for as long as its own audio and no longer.
(function () {
  const root = document.getElementById("tv");
  const lang = root.dataset.lang || "th";
  const t = root.dataset;
  const $ = (id) => document.getElementById(id);
  const state = { seq: null, epoch: null, snap: null, online: false, awaiting: true };
  window.TambonDisplay = state;  // for tests and for staff poking at a TV with devtools

  // --- rendering ------------------------------------------------------------------------------------
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function counterName(c) { return lang === "en" && c.name_en ? c.name_en : c.name; }
  // What a call shows for its counter: in Thai what the voice says ("ช่อง 2"), in English its English name.
  function spokenCounter(counterId, call) {
    const c = (state.snap && state.snap.counters || []).find((x) => x.id === counterId);
    if (lang === "en") return (call && call.counter_name_en) || (c && (c.name_en || c.name)) || "";
    return (call && call.counter_spoken_name) || (c && (c.spoken_name || c.name)) || "";
  }
  function serviceName(code) {
    const s = (state.snap && state.snap.services || []).find((x) => x.code === code);
    return s ? (lang === "en" ? s.name_en : s.name_th) : "";
  }

  function render() {
    const snap = state.snap;
    if (!snap) return;
    const grid = $("counters");
    grid.replaceChildren();
    grid.dataset.count = String(snap.counters.filter((c) => c.active).length);
    for (const c of snap.counters) {
      if (!c.active) continue;
      const card = el("div", "counter-card");
      card.dataset.counter = String(c.id);
      card.append(el("div", "cc-name", counterName(c)));
      const number = el("div", "cc-number", c.serving ? c.serving.number : "–");
      if (!c.serving) number.classList.add("idle");
      card.append(number);
      card.append(el("div", "cc-service", c.serving ? serviceName(c.serving.service) : t.tNone));
      if (!state.online) card.append(el("div", "cc-stale", t.tStale));
      grid.append(card);
    }
    const recent = $("recent");
    recent.replaceChildren();
    for (const call of snap.last_called.slice(0, 5)) {
      const li = el("li", call.recall ? "recall" : "");
      li.append(el("span", "rc-number", call.number));
      li.append(el("span", "rc-counter", spokenCounter(call.counter_id, call)));
      li.append(el("span", "rc-time", (call.at || "").slice(11, 16)));
      recent.append(li);
    }
    const waiting = $("waiting");
    waiting.replaceChildren();
    for (const s of snap.services) {
      const li = el("li");
      li.append(el("span", "ws-name", lang === "en" ? s.name_en : s.name_th));
      const n = el("span", "ws-count", String(s.waiting));
      n.title = t.tPeople;
      li.append(n);
      waiting.append(li);
    }
    const ticker = snap.ticker || "";
    $("ticker").classList.toggle("hidden", !ticker);
    if ($("ticker-text").textContent !== ticker) $("ticker-text").textContent = ticker;
    document.body.classList.toggle("stale", !state.online);
  }

  function setOnline(online) {
    state.online = online;
    $("offline").classList.toggle("hidden", online);
    document.body.classList.toggle("stale", !online);
    render();
  }

  // --- the sequence protocol --------------------------------------------------------------------------
  const socket = io("/display", {
    auth: { counters: t.counters || "", device: window.TambonDevice.key(), name: t.name || "" },
    // Several server processes: long-polling would need sticky sessions, so speak WebSocket only.
    transports: t.websocketOnly ? ["websocket"] : ["websocket", "polling"],
    reconnection: true, reconnectionDelay: 1000, reconnectionDelayMax: 30000, randomizationFactor: 0.5,
    timeout: 10000,
  });

  function resync(reason) {
    state.awaiting = true;
    state.resyncs = (state.resyncs || 0) + 1;
    state.lastResync = reason;
    socket.emit("resync", { reason: reason, have: state.seq });
  }

  // Returns true when the message is the next one in order (or a snapshot we were waiting for).
  function inOrder(msg, isSnapshot) {
    if (state.awaiting) {
      if (!isSnapshot) return false;
      state.awaiting = false;
      state.seq = msg.seq; state.epoch = msg.epoch;
      return true;
    }
    if (msg.epoch !== state.epoch) { resync("epoch"); return false; }
    if (msg.seq <= state.seq) return false;             // a duplicate or an old message
    if (msg.seq !== state.seq + 1) { resync("gap"); return false; }
    state.seq = msg.seq;
    return true;
  }

  socket.on("connect", () => { state.awaiting = true; setOnline(true); });
  socket.on("disconnect", () => setOnline(false));
  socket.on("connect_error", () => setOnline(false));

  socket.on("queue", (msg) => {
    // Every queue message is a full snapshot: while waiting for one, any will do.
    if (!inOrder(msg, true)) return;
    state.snap = msg;
    window.ThaiClock.sync(msg.generated_at);
    render();
  });

  socket.on("called", (msg) => {
    announce(msg);  // announced even when out of order: a call is never dropped
    if (!inOrder(msg, false)) return;
    if (state.snap) {
      const c = state.snap.counters.find((x) => x.id === msg.counter_id);
      if (c) c.serving = { number: msg.number, service: msg.service };
      render();
    }
    flash(msg.counter_id);
  });

  function flash(counterId) {
    const card = document.querySelector('.counter-card[data-counter="' + counterId + '"]');
    if (!card) return;
    card.classList.remove("flash");
    void card.offsetWidth;  // restart the CSS animation
    card.classList.add("flash");
  }

  // A heartbeat with an ack: the device list learns we are alive (and whether sound is on); a missing ack
  // means a half-dead connection, so we drop it and let the reconnect logic take over.
  function heartbeat() {
    if (!socket.connected) return;
    socket.timeout(8000).emit("heartbeat", { sound: sound.enabled }, (err) => {
      if (err && socket.connected) { socket.io.engine.close(); }
    });
  }
  setInterval(heartbeat, 30000);
  socket.on("connect", () => setTimeout(heartbeat, 500));

  // --- sound ------------------------------------------------------------------------------------------
  // log: what the banner and the voice did (show / ended / hide / skip), for tests and devtools.
  const sound = { enabled: false, queue: [], busy: false, seen: new Set(), order: [], log: [] };
  state.sound = sound;
  function note(entry) {
    sound.log.push(entry);
    if (sound.log.length > 500) sound.log.shift();
  }

  function wantSound() { try { return localStorage.getItem("tambon.sound") === "1"; } catch (e) { return false; } }
  function showSoundButton(show) {
    $("enable-sound").classList.toggle("hidden", !show);
    $("sound-off").classList.toggle("hidden", !show);
  }

  function play(url) {
    return new Promise((resolve, reject) => {
      const audio = new Audio(url);
      const timer = setTimeout(() => reject(new Error("timeout")), 20000);
      audio.onended = () => { clearTimeout(timer); resolve(); };
      audio.onerror = () => { clearTimeout(timer); reject(new Error("audio error")); };
      const p = audio.play();
      if (p && p.catch) p.catch((e) => { clearTimeout(timer); reject(e); });
    });
  }
  function speak(text) {
    return new Promise((resolve) => {
      if (!("speechSynthesis" in window)) { resolve(); return; }
      const u = new SpeechSynthesisUtterance(text);
      u.lang = "th-TH";
      const voice = speechSynthesis.getVoices().find((v) => v.lang && v.lang.startsWith("th"));
      if (voice) u.voice = voice;
      const timer = setTimeout(resolve, 15000);
      u.onend = u.onerror = () => { clearTimeout(timer); resolve(); };
      speechSynthesis.speak(u);
    });
  }

  function showBanner(call) {
    $("cb-number").textContent = call.number;
    $("cb-counter").textContent = spokenCounter(call.counter_id, call);
    $("cb-label").classList.toggle("recall", !!call.recall);
    $("call-banner").classList.remove("hidden");
    note({ event: "show", number: call.number, counter: call.counter_id });
  }
  function hideBanner() {
    if (!$("call-banner").classList.contains("hidden")) note({ event: "hide" });
    $("call-banner").classList.add("hidden");
  }

  // How long a call's audio lasts, read from the WAV's header without playing it (silent TVs show the
  // banner that long); the chime's length plus a default when it cannot be read.
  function audioDuration(url, fallback) {
    return new Promise((resolve) => {
      const audio = new Audio();
      audio.preload = "metadata";
      const timer = setTimeout(() => resolve(fallback), 3000);
      audio.onloadedmetadata = () => { clearTimeout(timer); resolve(isFinite(audio.duration) ? audio.duration : fallback); };
      audio.onerror = () => { clearTimeout(timer); resolve(fallback); };
      audio.src = url;
    });
  }

  // Is this call still news? Unless a snapshot newer than the call (a higher seq of the same epoch) shows
  // its counter serving another number or none (completed, no-show, next already called).
  function stillCurrent(call) {
    const snap = state.snap;
    if (!snap || snap.epoch !== call.epoch || !(snap.seq > call.seq)) return true;
    const c = snap.counters.find((x) => x.id === call.counter_id);
    return !c || !!(c.serving && c.serving.number === call.number);
  }

  function announce(call) {
    const key = [call.number, call.counter_id, call.at, call.recalls, call.recall].join("|");
    if (sound.seen.has(key)) return;  // the same call delivered twice (e.g. after a resync)
    sound.seen.add(key); sound.order.push(key);
    if (sound.order.length > 300) sound.seen.delete(sound.order.shift());
    // A newer call at the same counter replaces one still waiting to be announced: that counter moved on.
    for (const old of sound.queue.filter((q, i) => (i > 0 || !sound.busy) && q.counter_id === call.counter_id)) {
      note({ event: "skip", number: old.number, counter: old.counter_id, reason: "superseded" });
    }
    sound.queue = sound.queue.filter((q, i) => !((i > 0 || !sound.busy) && q.counter_id === call.counter_id));
    sound.queue.push(call);
    state.announced = (state.announced || 0) + 1;
    pump();
  }

  async function pump() {
    if (sound.busy) return;
    sound.busy = true;
    let first = true;  // one chime per run of calls, not one per call
    while (sound.queue.length) {
      const call = sound.queue[0];
      if (!stillCurrent(call)) {
        note({ event: "skip", number: call.number, counter: call.counter_id, reason: "moved on" });
        sound.queue.shift();
        continue;
      }
      showBanner(call);
      if (sound.enabled) {
        try {
          if (first) await play(t.chime);
          if (call.voice_url) { await play(call.voice_url); state.lastVia = "clip"; }
          else { await speak(call.text); state.lastVia = "speech"; }
        } catch (e) {
          if (e && e.name === "NotAllowedError") {   // autoplay blocked: keep the call, ask for a tap
            sound.enabled = false; showSoundButton(true); heartbeat();
            hideBanner();
            sound.busy = false;
            return;
          }
          await speak(call.text);                     // the clip failed to load: the browser's voice
          state.lastVia = "speech-fallback";
        }
      } else {
        // Silent: the banner still shows each call, for as long as its announcement would last.
        const seconds = call.voice_url ? await audioDuration(call.voice_url, 3) : 3;
        await new Promise((r) => setTimeout(r, 1000 * Math.min(seconds + (first ? 1.2 : 0), 8)));
      }
      note({ event: "ended", number: call.number, counter: call.counter_id });
      first = false;
      sound.queue.shift();
      state.played = (state.played || 0) + 1;
      hideBanner();
    }
    sound.busy = false;
  }

  function enableSound() {
    sound.enabled = true;
    try { localStorage.setItem("tambon.sound", "1"); } catch (e) { /* ignore */ }
    showSoundButton(false);
    heartbeat();
    pump();
  }
  $("enable-sound").addEventListener("click", () => {
    // A tap unlocks audio for this page; play the chime so staff hear that it works.
    play(t.chime).then(enableSound, enableSound);
  });
  function audioUnlocked() {
    // Chromium reports a suspended AudioContext when autoplay needs a tap (kiosk mode with
    // --autoplay-policy=no-user-gesture-required reports "running").
    try {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return true;
      const ctx = new Ctx();
      const running = ctx.state === "running";
      ctx.close();
      return running;
    } catch (e) { return true; }
  }
  if (wantSound() && audioUnlocked()) { sound.enabled = true; showSoundButton(false); } else { showSoundButton(true); }

  // --- clock -------------------------------------------------------------------------------------------
  function tick() {
    $("clock-time").textContent = window.ThaiClock.time();
    $("clock-date").textContent = window.ThaiClock.date(lang);
  }
  tick();
  setInterval(tick, 1000);
})();
