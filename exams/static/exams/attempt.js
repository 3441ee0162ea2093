// Autosave and the server-owned clock for an exam attempt.
//
// The page works without this script: every button posts the form, which
// saves and moves on. With it, each answer is saved to the save endpoint the
// moment it is given; the status line says when it was saved, or that the
// save failed and is being retried. Moving to another question waits for the
// save, then simply loads that question. The timer shows the server's
// remaining time, re-synchronised on every save, and announces 10, 5 and 1
// minutes left to screen readers rather than every second.
(function () {
  "use strict";
  var root = document.querySelector(".attempt");
  var form = document.getElementById("question-form");
  if (!root || !form) return;

  var text = root.dataset; // translated strings and URLs, from the template
  var statusLine = document.getElementById("save-status");
  var revisionInput = form.querySelector("input[name=revision]");
  var positionInput = form.querySelector("input[name=position]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var position = Number(positionInput.value);
  var inFlight = false;
  var dirty = false;
  var stopped = false;
  var retryDelay = 1000;
  var retryTimer = null;
  var typingTimer = null;
  var destination = null;

  function setStatus(message, isError) {
    statusLine.textContent = message;
    statusLine.classList.toggle("is-error", !!isError);
  }

  function time(date) {
    return date.toLocaleTimeString([], { hour: "numeric", minute: "2-digit", second: "2-digit" });
  }

  function markNav(answered, flagged) {
    var item = document.querySelector('.qnav__item[data-position="' + position + '"]');
    if (!item) return;
    item.classList.toggle("is-answered", answered);
    item.classList.toggle("is-flagged", flagged);
    var hidden = item.querySelector(".visually-hidden");
    if (hidden) hidden.textContent = " " + (answered ? text.answered : text.notAnswered) + (flagged ? ", " + text.flagged : "");
  }

  function go(url) {
    stopped = true;
    window.location.assign(url);
  }

  function save() {
    if (stopped) return;
    if (inFlight) { dirty = true; return; }
    window.clearTimeout(typingTimer);
    typingTimer = null;
    window.clearTimeout(retryTimer);
    retryTimer = null;
    inFlight = true;
    dirty = false;
    setStatus(text.saving, false);
    fetch(text.saveUrl, {
      method: "POST",
      body: new FormData(form),
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
        setStatus(text.savedAt + " " + time(new Date()), false);
        if (dirty) { save(); return; }
        if (destination) go(destination);
        return;
      }
      if (body.code === "closed") {
        setStatus(body.error, true);
        go(body.result_url || text.resultUrl);
        return;
      }
      if (body.code === "invalid" && form.querySelector("[data-checked-answer]")) {
        // An answer the trainee must correct (a number that is not one): say
        // why and keep saving once it changes; the last good answer stays saved.
        destination = null;
        setStatus(body.error, true);
        if (dirty) save();
        return;
      }
      if (body.code === "stale" || body.code === "invalid" || body.code === "signed_out") {
        stopped = true;
        destination = null;
        setStatus(body.error + " ", true);
        var link = document.createElement("a");
        link.href = body.login_url || window.location.href;
        link.textContent = body.login_url ? text.signIn : text.reload;
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
    setStatus(text.notSaved.replace("%s", Math.round(retryDelay / 1000)), true);
    retryTimer = window.setTimeout(function () { if (dirty) save(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  form.addEventListener("change", function () { save(); });
  form.addEventListener("input", function (event) {
    if (event.target.tagName !== "TEXTAREA" && event.target.type !== "text") return;
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(save, 800);
  });

  // The question buttons: once the answer on screen is saved, load the
  // question asked for (no second save, as the plain form would do).
  function target(submitter) {
    var choice = submitter ? submitter.value : "next";
    if (choice === "submit") return text.submitUrl;
    var n = /^\d+$/.test(choice) ? Number(choice)
      : choice === "previous" ? position - 1
      : choice === "next" ? position + 1 : position;
    return window.location.pathname + "?q=" + Math.max(n, 1);
  }

  form.addEventListener("submit", function (event) {
    if (stopped) return; // a refused save: let the form post and the server say why
    event.preventDefault();
    destination = target(event.submitter);
    if (typingTimer || (dirty && !inFlight)) { save(); return; }
    if (!inFlight) go(destination);
  });

  // Keep the sign-in alive while the page is open, even when the trainee is
  // reading rather than answering (each save counts as activity too).
  if (text.keepaliveUrl) {
    window.setInterval(function () {
      if (stopped) return;
      fetch(text.keepaliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrf },
        credentials: "same-origin"
      }).catch(function () {});
    }, 5 * 60 * 1000);
  }

  // The clock: the server's seconds left, counted down locally between syncs.
  var clock = (function () {
    var display = document.getElementById("timer-value");
    var announcer = document.getElementById("timer-announcer");
    var start = text.secondsLeft;
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
          announcer.textContent = t === 60 ? text.oneMinuteLeft : text.minutesLeft.replace("%s", t / 60);
        }
      });
      if (left === 0 && !stopped) {
        stopped = true;
        announcer.textContent = text.timeUp;
        window.setTimeout(function () { window.location.assign(text.resultUrl); }, 1500);
      }
    }
    render();
    window.setInterval(render, 1000);
    return { sync: function (secondsLeft) { deadline = Date.now() + secondsLeft * 1000; render(); } };
  })();
})();
