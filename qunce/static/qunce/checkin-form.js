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
})();
