/* "Read this to me". Progressive enhancement: the server renders an empty, hidden
   [data-read-aloud] slot; this script fills it with a button only when it can speak, using the
   question's recorded audio or the sound shipped for its words (every language on the youngest pages)
   when there is one, otherwise the browser's speech synthesis in the
   page language when a voice for it exists. Without JavaScript, or without a voice, there is no
   button at all rather than a broken one. No inline code: the CSP stays strict. */
(function () {
  "use strict";

  var slots = Array.prototype.slice.call(document.querySelectorAll("[data-read-aloud]"));
  if (!slots.length) { return; }
  var synth = window.speechSynthesis || null;
  var stopCurrent = null;

  function primary(tag) { return String(tag || "").toLowerCase().replace("_", "-").split("-")[0]; }

  function voiceFor(lang) {
    if (!synth || typeof window.SpeechSynthesisUtterance !== "function") { return null; }
    var voices = synth.getVoices() || [];
    var wanted = String(lang || "").toLowerCase().replace("_", "-");
    var exact = null, sameLanguage = null;
    voices.forEach(function (voice) {
      var tag = String(voice.lang || "").toLowerCase().replace("_", "-");
      if (!exact && tag === wanted) { exact = voice; }
      if (!sameLanguage && primary(tag) === primary(wanted)) { sameLanguage = voice; }
    });
    return exact || sameLanguage;
  }

  /* The words of the question, in reading order, one line per block (speech pauses there). */
  function textOf(target) {
    var copy = target.cloneNode(true);
    Array.prototype.forEach.call(
      copy.querySelectorAll("[data-read-aloud], input, textarea, select, script, [aria-hidden='true']"),
      function (node) { if (node.parentNode) { node.parentNode.removeChild(node); } }
    );
    Array.prototype.forEach.call(
      copy.querySelectorAll("legend, label, p, li, h1, h2, h3, div, span.scale-end"),
      function (node) { node.appendChild(document.createTextNode("\n")); }
    );
    return copy.textContent.split("\n").map(function (line) {
      return line.replace(/\s+/g, " ").trim();
    }).filter(Boolean).join("\n");
  }

  function makeButton(slot) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "read-aloud__button" + (slot.hasAttribute("data-prominent") ? " read-aloud__button--prominent" : "");
    if (slot.getAttribute("data-icon")) {
      var icon = document.createElement("img");
      icon.src = slot.getAttribute("data-icon");
      icon.alt = "";
      icon.className = "read-aloud__icon";
      button.appendChild(icon);
    }
    var label = document.createElement("span");
    label.textContent = slot.getAttribute("data-label");
    button.appendChild(label);
    button.setAttribute("aria-pressed", "false");
    return { button: button, label: label };
  }

  function setPlaying(parts, slot, playing) {
    parts.label.textContent = slot.getAttribute(playing ? "data-stop-label" : "data-label");
    parts.button.setAttribute("aria-pressed", playing ? "true" : "false");
  }

  function speakWith(slot, parts, target) {
    var lang = slot.getAttribute("data-lang") || document.documentElement.lang;
    return function () {
      var voice = voiceFor(lang);
      if (!voice) { return false; }
      synth.cancel();
      var utterance = new window.SpeechSynthesisUtterance(textOf(target));
      utterance.voice = voice;
      utterance.lang = voice.lang || lang;
      utterance.onend = utterance.onerror = function () { setPlaying(parts, slot, false); };
      synth.speak(utterance);
      stopCurrent = function () { synth.cancel(); setPlaying(parts, slot, false); };
      setPlaying(parts, slot, true);
      return true;
    };
  }

  /* Shipped sound is Ogg Opus (docs/adr/0069): a browser that cannot play it uses a voice. */
  function canPlay(url) {
    if (!/\.opus$/.test(url || "")) { return true; }
    var probe = document.createElement("audio");
    return Boolean(probe.canPlayType && probe.canPlayType("audio/ogg; codecs=opus"));
  }

  function playWith(slot, parts, onFailure) {
    // A real <audio> element in the slot, fetched only when pressed (preload none: page weight).
    var audio = document.createElement("audio");
    audio.preload = "none";
    audio.src = slot.getAttribute("data-audio");
    audio.hidden = true;
    slot.appendChild(audio);
    audio.addEventListener("ended", function () { setPlaying(parts, slot, false); });
    audio.addEventListener("error", function () { setPlaying(parts, slot, false); onFailure(); });
    return function () {
      audio.currentTime = 0;
      var started = audio.play();
      if (started && started.catch) { started.catch(function () { setPlaying(parts, slot, false); onFailure(); }); }
      stopCurrent = function () { audio.pause(); setPlaying(parts, slot, false); };
      setPlaying(parts, slot, true);
      return true;
    };
  }

  function enhance(slot) {
    if (slot.getAttribute("data-ready")) { return; }
    var target = document.getElementById(slot.getAttribute("data-target")) || slot.parentNode;
    var parts = makeButton(slot);
    var speak = speakWith(slot, parts, target);
    var hasAudio = Boolean(slot.getAttribute("data-audio")) && canPlay(slot.getAttribute("data-audio"));
    if (!hasAudio && !voiceFor(slot.getAttribute("data-lang") || document.documentElement.lang)) {
      return; // no recording and no voice yet: stay absent (voices may still arrive, see below)
    }
    var start = hasAudio ? playWith(slot, parts, function () {
      // A missing recording falls back to a voice, or the button goes away.
      hasAudio = false;
      if (!voiceFor(slot.getAttribute("data-lang"))) { slot.hidden = true; }
    }) : speak;
    parts.button.addEventListener("click", function () {
      var wasMine = parts.button.getAttribute("aria-pressed") === "true";
      if (stopCurrent) { stopCurrent(); stopCurrent = null; }
      if (wasMine) { return; }
      (hasAudio ? start : speak)();
    });
    slot.appendChild(parts.button);
    slot.setAttribute("data-ready", "1");
    slot.hidden = false;
  }

  slots.forEach(enhance);
  if (synth && synth.addEventListener) {
    // Chromium loads voices after the page: try again when they arrive.
    synth.addEventListener("voiceschanged", function () { slots.forEach(enhance); });
  }
}());
