// The phone menu, column labels for tables that a phone shows as one card per row, and the
// few behaviours pages ask for by data attribute (the Content-Security-Policy allows no inline
// handlers): submit on change, confirm before submitting, print.
(function () {
  document.documentElement.classList.add("js");

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-submit-on-change]")) event.target.form.submit();
  });
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });

  var button = document.querySelector(".menu-button");
  var menu = document.getElementById("site-menu");
  if (button && menu) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = menu.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // A part's list opens on click as well as on hover, for touch screens and keyboards.
  document.querySelectorAll(".part-title").forEach(function (title) {
    title.addEventListener("click", function () {
      var part = title.parentNode;
      document.querySelectorAll(".part.open").forEach(function (other) {
        if (other !== part) other.classList.remove("open");
      });
      part.classList.toggle("open");
    });
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest(".part")) {
      document.querySelectorAll(".part.open").forEach(function (part) { part.classList.remove("open"); });
    }
  });

  function labelCells(root) {
    root.querySelectorAll("table.list").forEach(function (table) {
      var headings = [];
      table.querySelectorAll("thead th").forEach(function (th) {
        for (var span = th.colSpan || 1; span > 0; span--) headings.push(th.textContent.trim());
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && headings[column]) cell.setAttribute("data-label", headings[column]);
          column += cell.colSpan || 1;
        });
      });
    });
  }
  labelCells(document);
  // Rows that htmx swaps in (the registry's next page, say) get their labels too.
  document.addEventListener("htmx:afterSettle", function (event) { labelCells(event.target); });
})();
