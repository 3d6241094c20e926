// Single-key shortcuts on the candidate review page (c, r, d, n, p). WCAG 2.1.4: they can be
// turned off (the choice is remembered in this browser), and they never fire while the
// officer types in a field or holds a modifier key.
(function () {
  "use strict";
  var STORE = "rfl-shortcuts";
  var toggle = document.getElementById("shortcuts-on");
  if (!toggle) { return; }
  toggle.checked = window.localStorage.getItem(STORE) !== "off";
  toggle.addEventListener("change", function () {
    window.localStorage.setItem(STORE, toggle.checked ? "on" : "off");
  });
  var actions = {
    c: function () { focus("reason-confirm"); },
    r: function () { focus("reason-reject"); },
    d: function () { var b = document.querySelector(".disclose button"); if (b) { b.focus(); } },
    n: function () { follow("a[rel=next][aria-keyshortcuts]"); },
    p: function () { follow("a[rel=prev][aria-keyshortcuts]"); }
  };
  function focus(id) { var el = document.getElementById(id); if (el) { el.focus(); } }
  function follow(selector) { var a = document.querySelector(selector); if (a) { window.location.assign(a.href); } }
  // Enter on a chosen reason sends the decision (a select does not submit its form by itself).
  Array.prototype.forEach.call(document.querySelectorAll("form.decision select"), function (select) {
    select.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && select.value) { event.preventDefault(); select.form.requestSubmit(); }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (!toggle.checked || event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName))) { return; }
    var action = actions[event.key];
    if (action) { event.preventDefault(); action(); }
  });
})();
