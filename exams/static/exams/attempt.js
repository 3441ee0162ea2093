// Autosave and the server-owned clock for an exam attempt.
//
// The page works without this script: every button posts the form. With it,
// each answer is saved the moment it is given; the status line says when it
// was saved, or that the save failed and is being retried. The timer shows
// the server's remaining time, re-synchronised on every save, and announces
// 10, 5 and 1 minutes left to screen readers rather than every second.
(function () {
  "use strict";
  var root = document.querySelector(".attempt");
  var form = document.getElementById("question-form");
  if (!root || !form) return;

  var statusLine = document.getElementById("save-status");
  var revisionInput = form.querySelector("input[name=revision]");
  var positionInput = form.querySelector("input[name=position]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var resultUrl = root.dataset.resultUrl;
  var inFlight = false;
  var dirty = false;
  var stopped = false;
  var retryDelay = 1000;
  var pendingSubmitter = null;
  var typingTimer = null;

  function setStatus(text, isError) {
    statusLine.textContent = text;
    statusLine.classList.toggle("is-error", !!isError);
  }

  function time(date) {
    return date.toLocaleTimeString([], { hour: "numeric", minute: "2-digit", second: "2-digit" });
  }

  function markNav(answered, flagged) {
    var item = document.querySelector('.qnav__item[data-position="' + positionInput.value + '"]');
    if (!item) return;
    item.classList.toggle("is-answered", answered);
    item.classList.toggle("is-flagged", flagged);
    var hidden = item.querySelector(".visually-hidden");
    if (hidden) hidden.textContent = (answered ? " answered" : " not answered") + (flagged ? ", flagged" : "");
  }

  function save() {
    if (stopped) return;
    if (inFlight) { dirty = true; return; }
    inFlight = true;
    dirty = false;
    var data = new FormData(form);
    data.set("go", "stay");
    setStatus("Saving…", false);
    fetch(window.location.pathname, {
      method: "POST",
      body: data,
      headers: { "Accept": "application/json", "X-CSRFToken": csrf },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    }).then(function (result) {
      inFlight = false;
      var body = result.body;
      if (result.status === 200 && body.ok) {
        retryDelay = 1000;
        revisionInput.value = body.revision;
        markNav(body.answered, body.flagged);
        if (body.seconds_left !== null && body.seconds_left !== undefined) clock.sync(body.seconds_left);
        setStatus("Saved at " + time(new Date()), false);
        if (dirty) { save(); return; }
        if (pendingSubmitter) { var s = pendingSubmitter; pendingSubmitter = null; form.requestSubmit(s); }
        return;
      }
      if (body.code === "closed") {
        stopped = true;
        setStatus(body.error, true);
        window.location.assign(body.result_url || resultUrl);
        return;
      }
      if (body.code === "stale" || body.code === "invalid") {
        stopped = true;
        setStatus(body.error + " ", true);
        var link = document.createElement("a");
        link.href = window.location.href;
        link.textContent = "Reload";
        statusLine.appendChild(link);
        return;
      }
      retry();
    }).catch(function () {
      inFlight = false;
      retry();
    });
  }

  function retry() {
    dirty = true;
    setStatus("Not saved: no connection. Retrying in " + Math.round(retryDelay / 1000) + " s…", true);
    window.setTimeout(function () { if (dirty) save(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  form.addEventListener("change", function () { save(); });
  form.addEventListener("input", function (event) {
    if (event.target.tagName !== "TEXTAREA" && event.target.type !== "text") return;
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(save, 800);
  });
  form.addEventListener("submit", function (event) {
    if (inFlight || dirty || typingTimer) {
      window.clearTimeout(typingTimer);
      typingTimer = null;
      if (inFlight || dirty) {
        event.preventDefault();
        pendingSubmitter = event.submitter || null;
        if (!inFlight) save();
      }
    }
  });

  // The clock: the server's seconds left, counted down locally between syncs.
  var clock = (function () {
    var display = document.getElementById("timer-value");
    var announcer = document.getElementById("timer-announcer");
    var start = root.dataset.secondsLeft;
    if (!display || start === "") return { sync: function () {} };
    var deadline = Date.now() + Number(start) * 1000;
    var thresholds = [600, 300, 60];
    var announced = {};
    thresholds.forEach(function (t) { if (Number(start) <= t) announced[t] = true; });

    function render() {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      display.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      document.getElementById("timer").classList.toggle("is-low", left <= 300);
      thresholds.forEach(function (t) {
        if (left <= t && !announced[t]) {
          announced[t] = true;
          announcer.textContent = (t / 60) + (t === 60 ? " minute" : " minutes") + " left.";
        }
      });
      if (left === 0 && !stopped) {
        stopped = true;
        announcer.textContent = "Time is up. Your saved answers have been submitted.";
        window.setTimeout(function () { window.location.assign(resultUrl); }, 1500);
      }
    }
    render();
    window.setInterval(render, 1000);
    return { sync: function (secondsLeft) { deadline = Date.now() + secondsLeft * 1000; render(); } };
  })();
})();
