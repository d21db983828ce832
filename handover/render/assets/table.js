/* handover: the report's tables. Every row is in the page as JSON (script.dt-data); this
   sorts by a column (click its heading; again to reverse), filters on text (every word typed
   must appear in the row: ids, agency names and ids, dates, codes) and pages through the rows.
   Nothing is fetched. The first page is also plain HTML, for readers without scripts. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("table-words").textContent);


  function format(template, fields) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in fields ? fields[k] : m; });
  }
  function count(n) {
    var text = String(n);
    var sep = config.decimal === "," ? "\u00a0" : ",";
    return text.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  }
  function compare(a, b, numeric) {
    if (numeric && typeof a === "string") a = null;  // a hidden count ("<5") sorts with the missing
    if (numeric && typeof b === "string") b = null;
    if (a === null && b === null) return 0;
    if (a === null) return 1;            // missing values last, whichever the direction
    if (b === null) return -1;
    if (numeric) return a - b;
    return a < b ? -1 : a > b ? 1 : 0;   // code-point order, as the CSV files are sorted
  }

  function setup(box) {
    var data = JSON.parse(box.querySelector("script.dt-data").textContent);
    var body = box.querySelector("tbody");
    var counter = box.querySelector(".dt-count");
    var prev = box.querySelector(".dt-prev");
    var next = box.querySelector(".dt-next");
    var heads = box.querySelectorAll("th[data-col]");
    var agencyColumns = {};
    data.agencyColumns.forEach(function (i) { agencyColumns[i] = true; });
    var rows = data.rows;
    var search = null;  // the text of each row, made on the first filter
    var shown = rows.map(function (r, i) { return i; });
    var SIZE = data.pageSize;
    var page = 0, sortColumn = -1, direction = 1;

    function shownValue(value, i) {
      if (value === null) return "";
      if (agencyColumns[i] && value in config.agencies) return config.agencies[value];
      if (data.kinds[i] === "int" || data.kinds[i] === "float") return String(value).replace(".", config.decimal);
      return String(value);
    }
    function sortValue(value, i) {
      if (value !== null && agencyColumns[i] && value in config.agencies) return config.agencies[value];
      return value;
    }
    function render() {
      var pages = Math.max(1, Math.ceil(shown.length / SIZE));
      page = Math.min(page, pages - 1);
      var first = page * SIZE, last = Math.min(shown.length, first + SIZE);
      var html = [];
      for (var n = first; n < last; n++) {
        var row = rows[shown[n]], cells = [];
        for (var i = 0; i < row.length; i++) {
          var value = row[i], td = document.createElement("td"), text = shownValue(value, i);
          if (data.kinds[i] === "int" || data.kinds[i] === "float") td.className = "num";
          if (agencyColumns[i] && value !== null && value in config.agencies) td.title = value;
          if (i === data.userColumn && value !== null && value in config.users) {
            var a = document.createElement("a");
            a.href = data.base + config.users[value];
            a.textContent = text;
            td.appendChild(a);
          } else {
            td.textContent = text;
          }
          cells.push(td);
        }
        var tr = document.createElement("tr");
        cells.forEach(function (td) { tr.appendChild(td); });
        html.push(tr);
      }
      body.textContent = "";
      html.forEach(function (tr) { body.appendChild(tr); });
      counter.textContent = shown.length === 0 ? config.none :
        format(config.showing, {first: count(first + 1), last: count(last), total: count(shown.length)});
      if (prev) prev.disabled = page === 0;
      if (next) next.disabled = page >= pages - 1;
    }
    function filter(text) {
      var words = text.toLowerCase().split(/\s+/).filter(Boolean);
      if (!search) {
        search = rows.map(function (row) {
          return row.map(function (v, i) {
            return shownValue(v, i) + (agencyColumns[i] && v !== null ? " " + v : "");
          }).join(" \u0001 ").toLowerCase();
        });
      }
      shown = [];
      for (var r = 0; r < rows.length; r++) {
        var ok = true;
        for (var k = 0; k < words.length && ok; k++) ok = search[r].indexOf(words[k]) !== -1;
        if (ok) shown.push(r);
      }
      if (sortColumn >= 0) sortShown();
      page = 0;
      render();
    }
    function sortShown() {
      var i = sortColumn, numeric = data.kinds[i] === "int" || data.kinds[i] === "float";
      shown.sort(function (a, b) {
        var c = compare(sortValue(rows[a][i], i), sortValue(rows[b][i], i), numeric);
        var va = sortValue(rows[a][i], i), vb = sortValue(rows[b][i], i);
        if (va === null || vb === null || (numeric && (typeof va === "string" || typeof vb === "string"))) {
          return c || a - b;
        }
        return (c * direction) || a - b;  // stable: ties keep the file's order
      });
    }
    heads.forEach(function (th) {
      th.querySelector("button").addEventListener("click", function () {
        var i = Number(th.getAttribute("data-col"));
        direction = sortColumn === i ? -direction : 1;
        sortColumn = i;
        heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
        sortShown();
        page = 0;
        render();
      });
    });
    box.querySelector(".dt-filter").addEventListener("input", function (e) { filter(e.target.value); });
    if (prev) prev.addEventListener("click", function () { page -= 1; render(); });
    if (next) next.addEventListener("click", function () { page += 1; render(); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-table]"), setup);
})();
