/* chaincrm site-wide behaviour, driven by data- attributes.
 *
 * The Content-Security-Policy forbids inline handlers (onclick=...), so pages
 * declare behaviour with attributes and this file wires it up by delegation:
 *
 *   <form data-confirm="确定删除？">            ask before submitting the form
 *   <button type="submit" data-confirm="...">   ask only when this button submits
 *   <select data-autosubmit>                     submit the enclosing form on change
 *   <button type="button" data-print>            open the print dialog
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

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", hideNoJsFallbacks);
  } else {
    hideNoJsFallbacks();
  }
})();
