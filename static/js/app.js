/* chaincrm site-wide behaviour, driven by data- attributes.
 *
 * The Content-Security-Policy forbids inline handlers (onclick=...), so pages
 * declare behaviour with attributes and this file wires it up by delegation:
 *
 *   <form data-confirm="确定删除？">            ask before submitting the form
 *   <button type="submit" data-confirm="...">   ask only when this button submits
 *   <select data-autosubmit>                     submit the enclosing form on change
 *   <button type="button" data-print>            open the print dialog
 *   <input type="text" data-datepicker="date">   add a button opening the browser's date
 *                                                (or "month") picker; the choice fills the
 *                                                text as 2026-03-05 (2026-03); typing any
 *                                                accepted form (2026年3月5日) still works
 *
 * Elements marked [data-js-hide] (e.g. the "筛选" button beside an auto-submitting
 * select) are hidden once this script runs, so pages still work without JavaScript.
 */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute("data-confirm")) ||
      form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("[data-autosubmit]") || !field.form) {
      return;
    }
    // requestSubmit (unlike submit) fires the submit event, so data-confirm still applies.
    if (typeof field.form.requestSubmit === "function") {
      field.form.requestSubmit();
    } else {
      field.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest && event.target.closest("[data-print]");
    if (trigger) {
      event.preventDefault();
      window.print();
    }
  });

  function hideNoJsFallbacks() {
    document.querySelectorAll("[data-js-hide]").forEach(function (element) {
      element.hidden = true;
    });
  }

  function addDatePicker(text) {
    var kind = text.getAttribute("data-datepicker") === "month" ? "month" : "date";
    var picker = document.createElement("input");
    picker.type = kind;
    if (picker.type !== kind) {
      return; // this browser has no native picker of that kind: the text input alone
    }
    var group = document.createElement("div");
    group.className = "input-group datepicker-group";
    if (text.classList.contains("is-invalid")) {
      group.classList.add("is-invalid"); // keeps the .invalid-feedback after it shown
    }
    text.parentNode.insertBefore(group, text);
    group.appendChild(text);
    picker.className = "datepicker-native";
    picker.tabIndex = -1;
    picker.setAttribute("aria-hidden", "true");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary datepicker-button";
    var english = document.documentElement.lang === "en";
    // Words, not an emoji: intranet machines often have no emoji font.
    button.textContent = english ? "Calendar" : "日历";
    button.title = english ? "Pick a date" : "选择日期";
    group.appendChild(picker); // before the button, which keeps the group's rounded end
    group.appendChild(button);
    button.addEventListener("click", function () {
      var iso = kind === "month" ? /^\d{4}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}$/;
      picker.value = iso.test(text.value.trim()) ? text.value.trim() : "";
      if (typeof picker.showPicker === "function") {
        try {
          picker.showPicker();
          return;
        } catch (e) {
          /* fall through */
        }
      }
      picker.focus();
      picker.click();
    });
    picker.addEventListener("change", function () {
      if (picker.value) {
        text.value = picker.value;
        text.dispatchEvent(new Event("input", { bubbles: true }));
        text.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function start() {
    hideNoJsFallbacks();
    document.querySelectorAll("input[data-datepicker]").forEach(addDatePicker);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
