// Search on the home page over assets/search-index.js (window.EG_SEARCH): every node's
// label, class and page. Results are built with textContent, never as HTML.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var out = document.getElementById("hits");
  var index = window.EG_SEARCH;
  if (!input || !out || !index) { return; }
  function show() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    out.textContent = "";
    if (!words.length) { return; }
    var n = 0;
    for (var i = 0; i < index.length && n < 50; i++) {
      var e = index[i];
      var hay = (e.label + " " + e.kind + " " + e.year).toLowerCase();
      if (!words.every(function (w) { return hay.indexOf(w) >= 0; })) { continue; }
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = e.page;
      a.textContent = e.label;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" (" + e.kind + (e.year ? ", " + e.year : "") + ")"));
      out.appendChild(li);
      n++;
    }
    if (!n) {
      var none = document.createElement("li");
      none.textContent = "nothing matches";
      out.appendChild(none);
    }
  }
  input.addEventListener("input", show);
  show();
})();
