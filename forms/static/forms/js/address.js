/*
 * Address widget enhancement: when the province changes, reload the ward list from
 * the JSON endpoint (forms/views_public_data.py, wards_json) instead of waiting for the
 * step to be submitted. Without this script the server narrows the list itself.
 *
 * Written in ES5 with XMLHttpRequest so that it also runs in the old browsers of cheap
 * phones. All texts come from data-msg-* attributes rendered (translated) by the server.
 */
(function () {
  "use strict";

  function option(value, text) {
    var element = document.createElement("option");
    element.value = value;
    element.textContent = text;
    return element;
  }

  function replaceOptions(select, placeholder, items) {
    while (select.firstChild) {
      select.removeChild(select.firstChild);
    }
    select.appendChild(option("", placeholder));
    for (var i = 0; i < items.length; i++) {
      select.appendChild(option(items[i].code, items[i].name));
    }
  }

  function init(container) {
    if (container.getAttribute("data-address-ready")) {
      return;
    }
    container.setAttribute("data-address-ready", "1");
    var url = container.getAttribute("data-wards-url");
    var province = container.querySelector("[data-address-province]");
    var ward = container.querySelector("[data-address-ward]");
    var status = container.querySelector("[data-address-status]");
    if (!url || !province || !ward || !window.XMLHttpRequest) {
      return;
    }
    var isRequired = container.hasAttribute("data-required");
    var pending = null;

    function say(name) {
      if (status) {
        status.textContent = container.getAttribute("data-msg-" + name) || "";
      }
    }

    province.addEventListener("change", function () {
      var code = province.value;
      if (pending) {
        pending.abort();
        pending = null;
      }
      if (!code) {
        replaceOptions(ward, container.getAttribute("data-msg-choose-province"), []);
        ward.required = false;
        return;
      }
      var request = new XMLHttpRequest();
      pending = request;
      request.open("GET", url.replace("__province__", encodeURIComponent(code)));
      request.setRequestHeader("Accept", "application/json");
      request.onload = function () {
        pending = null;
        ward.disabled = false;
        if (request.status !== 200 || province.value !== code) {
          say("error");
          return;
        }
        var data;
        try {
          data = JSON.parse(request.responseText);
        } catch (error) {
          say("error");
          return;
        }
        replaceOptions(ward, container.getAttribute("data-msg-choose-ward"), data.wards || []);
        ward.required = isRequired;
        say("loaded");
      };
      request.onerror = function () {
        pending = null;
        ward.disabled = false;
        say("error");
      };
      ward.disabled = true;
      say("loading");
      request.send();
    });
  }

  var containers = document.querySelectorAll("[data-address-widget]");
  for (var i = 0; i < containers.length; i++) {
    init(containers[i]);
  }
})();
