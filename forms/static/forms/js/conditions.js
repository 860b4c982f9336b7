/*
 * Conditional fields of application forms, mirrored in the browser.
 * The server decides what is hidden (forms/conditions.py) and renders `hidden`;
 * this script only re-decides as the citizen answers on the same step, from the
 * data-condition-field / -operator / -value attributes. Loaded with <script defer>.
 */
(function () {
    "use strict";

    function valuesOf(form, key) {
        var inputs = form.querySelectorAll('[name="' + key + '"]');
        var values = [];
        inputs.forEach(function (input) {
            if (input.type === "radio") {
                if (input.checked) { values.push(input.value); }
            } else if (input.type === "checkbox") {
                if (inputs.length === 1) {
                    values.push(input.checked ? "co" : "khong");
                    if (input.checked) { values.push("true"); }
                } else if (input.checked) {
                    values.push(input.value);
                }
            } else if (input.tagName === "SELECT" && input.multiple) {
                Array.prototype.forEach.call(input.selectedOptions, function (o) { values.push(o.value); });
            } else if (input.value !== "") {
                values.push(input.value.trim());
            }
        });
        return { present: inputs.length > 0, values: values };
    }

    function conditionMet(form, element) {
        var key = element.getAttribute("data-condition-field");
        var operator = element.getAttribute("data-condition-operator") || "eq";
        var raw = element.getAttribute("data-condition-value") || "";
        var wanted = operator === "in" ? raw.split(",").map(function (v) { return v.trim(); }) : [raw.trim()];
        var answer = valuesOf(form, key);
        if (!answer.present) { return null; } // controlled by an earlier step: the server decided
        var controller = form.querySelector('[data-field-key="' + key + '"]');
        var controllerHidden = controller && controller.hidden;
        var matches = !controllerHidden && answer.values.some(function (v) { return wanted.indexOf(v) !== -1; });
        return operator === "ne" ? !matches : matches;
    }

    function update(form) {
        // Two passes so that a field controlled by a field that just got hidden follows.
        for (var pass = 0; pass < 2; pass += 1) {
            form.querySelectorAll("[data-condition-field]").forEach(function (element) {
                if (element.tagName === "INPUT" || element.tagName === "SELECT" || element.tagName === "TEXTAREA") { return; }
                var met = conditionMet(form, element);
                if (met !== null) { element.hidden = !met; }
            });
        }
    }

    document.querySelectorAll("[data-conditional-form]").forEach(function (form) {
        form.addEventListener("change", function () { update(form); });
        form.addEventListener("input", function () { update(form); });
        update(form);
    });

    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
})();
