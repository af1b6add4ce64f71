// wxads dashboard: a little plain JavaScript. Every page works without it;
// this adds auto-submit of the explorer's endpoint picker and follows the
// live-events page by polling the feed.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
    sel.addEventListener("change", function () { sel.form.submit(); });
  });

  var live = document.getElementById("live");
  if (!live) return;
  var last = live.getAttribute("data-last") || "0";
  var feed = live.getAttribute("data-feed");
  function poll() {
    fetch(feed + "&after=" + encodeURIComponent(last), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (d && d.count > 0) {
          var tmp = document.createElement("div");
          tmp.innerHTML = d.html; // rendered by html/template on the server
          var nodes = Array.prototype.slice.call(tmp.children);
          for (var i = nodes.length - 1; i >= 0; i--) {
            nodes[i].classList.add("fresh");
            live.insertBefore(nodes[i], live.firstChild);
          }
          last = String(d.last_id);
          live.setAttribute("data-last", last);
          var empty = document.getElementById("live-empty");
          if (empty) empty.remove();
          while (live.children.length > 200) live.removeChild(live.lastChild);
        }
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, 1500); });
  }
  setTimeout(poll, 1500);
})();
