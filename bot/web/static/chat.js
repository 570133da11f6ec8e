// The web chat: sends the inwoner's messages to /chat/bericht (same origin) and shows the replies.
// Everything is inserted as text, never as HTML. The conversation lives in sessionStorage, so it
// survives a reload; a failed send is kept and retried with a visible notice. The conversation id is
// issued by the server (header X-Lekstroom-Gesprek, signed); the page only keeps it and sends it back.
(function () {
  "use strict";
  var KEY = "lekstroom-chat";
  var STAPPEN = {
    toestemming: "toestemming", gemeente: "uw woonplaats", leeftijd: "uw leeftijd", hulpvraag: "uw vraag",
    resultaatgebieden: "waarbij u hulp wilt", doelen: "uw doelen", type_ondersteuning: "wat u kunt leren",
    prioriteit: "wat het belangrijkste is", eigen_kracht: "wat u zelf doet", netwerk: "mensen om u heen",
    voorliggend_veld: "hulp in de buurt", verzwarende_omstandigheden: "wat het moeilijker maakt",
    duur: "hoe lang", frequentie: "hoe vaak", planbaar: "vaste momenten", contact: "contact",
    bevestiging: "controleren en versturen"
  };
  var el = function (id) { return document.getElementById(id); };
  var main = el("inhoud");
  var max = parseInt(main.getAttribute("data-max"), 10) || 1000;
  var state = load();

  function load() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(KEY) || "null");
      if (saved && saved.berichten) { return saved; }
    } catch (e) { /* a broken entry starts a fresh conversation */ }
    return { gesprek: null, berichten: [], voortgang: null, gestart: false };
  }
  function save() { window.sessionStorage.setItem(KEY, JSON.stringify(state)); }

  function toonBericht(b, nieuw) {
    var li = document.createElement("li");
    li.className = "bericht bericht--" + b.van;
    var wie = document.createElement("span");
    wie.className = "bericht__wie";
    wie.textContent = b.van === "inwoner" ? "U: " : "Assistent: ";
    li.appendChild(wie);
    li.appendChild(document.createTextNode(b.tekst));
    if (b.knoppen && b.knoppen.length && nieuw !== false) {
      var groep = document.createElement("div");
      groep.className = "keuzes";
      groep.setAttribute("role", "group");
      groep.setAttribute("aria-label", "Kies een antwoord");
      b.knoppen.forEach(function (k) {
        var knop = document.createElement("button");
        knop.type = "button";
        knop.className = "utrecht-button utrecht-button--secondary-action";
        knop.textContent = k.title;
        knop.addEventListener("click", function () { verstuur(k.payload, k.title); });
        groep.appendChild(knop);
      });
      li.appendChild(groep);
    }
    el("berichten").appendChild(li);
  }
  function verwijderKeuzes() {
    Array.prototype.forEach.call(document.querySelectorAll(".keuzes"), function (g) { g.remove(); });
    state.berichten.forEach(function (b) { b.knoppen = []; });
  }
  function toonVoortgang() {
    var v = state.voortgang;
    if (!v || !v.progress) { el("voortgang-blok").hidden = true; return; }
    el("voortgang-blok").hidden = false;
    var naam = STAPPEN[v.intake_step] || "";
    el("voortgang-tekst").textContent = "Stap " + v.progress.step + " van " + v.progress.of + (naam ? ": " + naam : "");
    el("voortgang").max = v.progress.of;
    el("voortgang").value = v.progress.step;
  }
  function melding(tekst) {
    el("melding").textContent = tekst || "";
    el("melding").hidden = !tekst;
  }

  function verwerkAntwoord(antwoorden) {
    if (antwoorden.some(function (m) { return m.custom && m.custom.gewist; })) {
      // the conversation was deleted on the server: forget our copy as well
      state = { gesprek: state.gesprek, berichten: [], voortgang: null, gestart: true };
      el("berichten").textContent = "";
    }
    antwoorden.forEach(function (m) {
      if (m.custom && m.custom.progress) { state.voortgang = m.custom; }
      if (m.text) {
        var b = { van: "assistent", tekst: m.text, knoppen: (m.buttons || []).map(function (k) { return { title: k.title, payload: k.payload }; }) };
        state.berichten.push(b);
        toonBericht(b);
      }
    });
    toonVoortgang();
    save();
  }

  var bezig = false;
  function verstuur(tekst, zichtbaar, poging) {
    if (bezig && !poging) { return; }
    tekst = (tekst || "").trim();
    if (!tekst) { return; }
    if (tekst.length > max) {
      melding("Uw bericht is te lang: " + tekst.length + " tekens. Gebruik maximaal " + max + " tekens.");
      return;
    }
    if (!poging) {
      verwijderKeuzes();
      var b = { van: "inwoner", tekst: zichtbaar || tekst };
      state.berichten.push(b);
      toonBericht(b);
      save();
    }
    bezig = true;
    el("typen").hidden = false;
    fetch("/chat/bericht", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ gesprek: state.gesprek, message: tekst })
    }).then(function (r) {
      var gesprek = r.headers.get("X-Lekstroom-Gesprek");
      if (gesprek) { state.gesprek = gesprek; save(); }
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    }).then(function (res) {
      if (res.status === 503) { throw new Error(res.data.fout); }
      bezig = false;
      el("typen").hidden = true;
      if (res.status !== 200) { melding(res.data.fout || "Er ging iets mis. Probeer het opnieuw."); return; }
      melding("");
      verwerkAntwoord(res.data);
    }).catch(function () {
      var n = (poging || 0) + 1;
      melding("De verbinding is even weg. Uw bericht is bewaard; we proberen het opnieuw (poging " + n + ").");
      if (n <= 8) {
        window.setTimeout(function () { verstuur(tekst, zichtbaar, n); }, Math.min(1000 * n, 5000));
      } else {
        bezig = false;
        el("typen").hidden = true;
        melding("Het lukt nu niet om de assistent te bereiken. Probeer het later opnieuw of bel uw gemeente.");
      }
    });
  }

  el("formulier").addEventListener("submit", function (e) {
    e.preventDefault();
    var invoer = el("invoer");
    if (invoer.value.length > max) {
      melding("Uw bericht is te lang: " + invoer.value.length + " tekens. Gebruik maximaal " + max + " tekens.");
      return;
    }
    var tekst = invoer.value;
    invoer.value = "";
    teller();
    verstuur(tekst);
    invoer.focus();
  });
  el("invoer").addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); el("formulier").requestSubmit(); }
  });
  function teller() {
    var n = el("invoer").value.length;
    el("teller").textContent = n > max ? "Te lang: " + n + " van maximaal " + max + " tekens." : "Maximaal " + max + " tekens.";
  }
  el("invoer").addEventListener("input", teller);
  el("opnieuw").addEventListener("click", function () { verstuur("/start_over", "Opnieuw beginnen"); });
  // The assistant asks to confirm; once it has deleted everything it says so ({"gewist": true}).
  el("wissen").addEventListener("click", function () { verstuur("/delete_data", "Gesprek wissen"); });

  state.berichten.forEach(function (b, i) { toonBericht(b, i === state.berichten.length - 1); });
  toonVoortgang();
  if (!state.gestart) {
    state.gestart = true;
    save();
    verstuur("Hallo", "Hallo");
  }
})();
