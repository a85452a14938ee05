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
  // A page to show instead (a field to correct, an ended session) means the form is posted again
  // without htmx, and the page the server sends back shows it as it would without script. When
  // the server or the network is struggling, the answers stay on the page, to be sent again.
  function checkinPost(event) {
    var posted = event.detail.elt;
    return posted.matches && posted.matches("form[data-checkin-post]") ? posted : null;
  }
  function keepForLater(message) {
    // The last try may have been saved or not: a new key makes the next one count either way
    // (the same answers again change nothing), and never meets the old key with other answers.
    var key = document.getElementById("checkin-key");
    if (key) key.value = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    window.alert(form.getAttribute(message));
  }
  document.addEventListener("htmx:beforeSwap", function (event) {
    var posted = checkinPost(event);
    if (!posted) return;
    var xhr = event.detail.xhr;
    if (/checkin-saved/.test(xhr.getResponseHeader("HX-Trigger") || "")) return;
    event.detail.shouldSwap = false;
    if (xhr.status >= 500 || xhr.status === 429) keepForLater("data-busy-message");
    else posted.submit();
  });
  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (checkinPost(event)) keepForLater("data-offline-message");
    });
  });
  document.addEventListener("checkin-saved", function () {
    // What the server refused before is now answered.
    form.querySelectorAll(".errorlist").forEach(function (errors) { errors.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (field) {
      field.removeAttribute("aria-invalid");
    });
    document.querySelectorAll("main > .messages").forEach(function (old) { old.remove(); });
    document.getElementById("checkin-status").scrollIntoView({ block: "start" });
  });
})();
