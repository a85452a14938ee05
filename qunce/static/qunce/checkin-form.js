// The check-in form on a phone: ask for a date only when there was contact or isolation, and
// keep "无" (no symptoms) exclusive as the person ticks. The server checks both anyway.
(function () {
  var form = document.querySelector(".checkin-form");
  if (!form) return;
  function follow(choiceName, dateId) {
    var dateField = document.getElementById(dateId);
    if (!dateField) return;
    var box = dateField.closest(".field");
    function update() {
      var chosen = form.querySelector("input[name=" + choiceName + "]:checked");
      box.hidden = !chosen || chosen.value === "none";
    }
    form.querySelectorAll("input[name=" + choiceName + "]").forEach(function (input) {
      input.addEventListener("change", update);
    });
    update();
  }
  follow("contact", "id_contact_on");
  follow("isolation", "id_isolation_since");
  var symptoms = form.querySelectorAll("input[name=symptoms]");
  symptoms.forEach(function (input) {
    input.addEventListener("change", function () {
      if (!input.checked) return;
      symptoms.forEach(function (other) {
        if (other !== input && (input.value === "none" || other.value === "none")) {
          other.checked = false;
        }
      });
    });
  });

  // With htmx, a saved check-in is answered with only the parts of the page that change (the
  // status card, the calendar, a fresh key and the button), so the phone loads no second page.
  // Any other answer (a field to correct, an ended session, the database away) is posted again
  // without htmx, and the page the server sends back shows it as it would without script.
  function checkinPost(event) {
    var posted = event.detail.elt;
    return posted.matches && posted.matches("form[data-checkin-post]") ? posted : null;
  }
  document.addEventListener("htmx:beforeSwap", function (event) {
    var posted = checkinPost(event);
    if (!posted) return;
    var trigger = event.detail.xhr.getResponseHeader("HX-Trigger") || "";
    if (trigger.indexOf("checkin-saved") === -1) {
      event.detail.shouldSwap = false;
      posted.submit();
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    if (checkinPost(event)) window.alert(form.getAttribute("data-offline-message"));
  });
  document.addEventListener("checkin-saved", function () {
    // What the server refused before is now answered.
    form.querySelectorAll(".errorlist").forEach(function (errors) { errors.remove(); });
    document.getElementById("checkin-status").scrollIntoView({ block: "start" });
  });
})();
