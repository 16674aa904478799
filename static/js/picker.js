/* Type-ahead pickers: a long <select data-lookup="URL"> becomes a text box with suggestions.
 *
 * The select stays in the page, hidden and without its name; a hidden input carries the
 * field's name and the chosen id, so the form posts exactly what the select posted.
 * Without JavaScript the plain select works as before.
 *
 * Suggestions come from the application itself: GET URL?q=TEXT answers
 * {"items": [{"id": 1, "label": "宝鸡钛业股份有限公司", "detail": "91610301..."}]}
 * (a name part, the start of a credit code, or pinyin initials such as "bjty").
 * Keys: ↓/↑ move through the list, Enter chooses, Esc closes.
 */
(function () {
  "use strict";

  var DELAY_MS = 150;

  function upgrade(select) {
    var url = select.getAttribute("data-lookup");
    var first = select.options.length ? select.options[0] : null;
    // The "nothing chosen" value: the select's placeholder ("" or 0), else empty.
    var emptyValue = first && (first.value === "" || first.value === "0") ? first.value : "";
    var chosen = select.selectedOptions.length ? select.selectedOptions[0] : null;
    var chosenLabel = chosen && chosen.value !== emptyValue ? chosen.textContent : "";

    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = select.name;
    hidden.value = select.value;

    var wrapper = document.createElement("div");
    wrapper.className = "position-relative";
    var text = document.createElement("input");
    text.type = "text";
    text.className = select.className.replace("form-select", "form-control");
    if (text.className.indexOf("form-control") < 0) {
      text.className += " form-control";
    }
    text.id = select.id;
    if (select.hasAttribute("aria-label")) {
      text.setAttribute("aria-label", select.getAttribute("aria-label"));  // no <label> beside it
    }
    text.value = chosenLabel;
    text.autocomplete = "off";
    text.placeholder = select.getAttribute("data-lookup-placeholder") || "";
    text.setAttribute("role", "combobox");
    text.setAttribute("aria-autocomplete", "list");
    text.setAttribute("aria-expanded", "false");
    text.setAttribute("data-picker-for", select.name);
    var list = document.createElement("div");
    list.className = "list-group position-absolute w-100 shadow-sm";
    list.style.zIndex = "1050";
    list.style.maxHeight = "20rem";
    list.style.overflowY = "auto";
    list.setAttribute("role", "listbox");
    list.id = select.id + "-suggestions";
    list.hidden = true;
    text.setAttribute("aria-controls", list.id);

    if (select.classList.contains("is-invalid")) {
      // Bootstrap shows a field's errors beside an invalid control: keep them shown.
      var next = select.nextElementSibling;
      for (; next; next = next.nextElementSibling) {
        if (next.classList.contains("invalid-feedback")) {
          next.classList.add("d-block");
        }
      }
    }
    if (select.required) {
      // The box must name a chosen project or company: leaving it leaves it empty.
      text.required = true;
    }
    select.removeAttribute("name");
    select.id = select.id + "-select";
    select.hidden = true;
    select.disabled = true;
    select.parentNode.insertBefore(wrapper, select);
    wrapper.appendChild(text);
    wrapper.appendChild(list);
    wrapper.appendChild(hidden);

    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      text.setAttribute("aria-expanded", "false");
    }

    function choose(item) {
      hidden.value = String(item.id);
      chosenLabel = item.label;
      text.value = item.label;
      close();
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function highlight(index) {
      var buttons = list.querySelectorAll("[role=option]");
      buttons.forEach(function (button, i) {
        button.classList.toggle("active", i === index);
        button.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (buttons[index]) {
        buttons[index].scrollIntoView({ block: "nearest" });
      }
    }

    function show(found) {
      list.textContent = "";
      items = found;
      active = -1;
      if (!found.length) {
        var none = document.createElement("div");
        none.className = "list-group-item text-muted small";
        none.textContent = select.getAttribute("data-lookup-none") || "—";
        list.appendChild(none);
      }
      found.forEach(function (item, index) {
        var option = document.createElement("button");
        option.type = "button";
        option.className = "list-group-item list-group-item-action py-1";
        option.setAttribute("role", "option");
        option.tabIndex = -1;
        var label = document.createElement("div");
        label.textContent = item.label;
        option.appendChild(label);
        if (item.detail) {
          var detail = document.createElement("div");
          detail.className = "small text-muted";
          detail.textContent = item.detail;
          option.appendChild(detail);
        }
        // mousedown, not click: it comes before the text box loses focus.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(items[index]);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      text.setAttribute("aria-expanded", "true");
    }

    function ask(query) {
      var number = ++asked;
      var separator = url.indexOf("?") < 0 ? "?" : "&";
      fetch(url + separator + "q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { items: [] };
        })
        .then(function (body) {
          // Only the answer to the latest text counts.
          if (number === asked && text.value.trim() === query) {
            show(body.items || []);
          }
        })
        .catch(function () {
          close();
        });
    }

    text.addEventListener("input", function () {
      clearTimeout(timer);
      var query = text.value.trim();
      if (!query) {
        hidden.value = emptyValue;
        chosenLabel = "";
        asked++;
        close();
        return;
      }
      timer = setTimeout(function () {
        ask(query);
      }, DELAY_MS);
    });

    text.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && items.length) {
        event.preventDefault();
        highlight(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp" && items.length) {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && !list.hidden) {
        // Enter in an open list chooses; it does not submit the form.
        event.preventDefault();
        if (items[active >= 0 ? active : 0]) {
          choose(items[active >= 0 ? active : 0]);
        }
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });

    // Leaving the box without choosing puts back what is chosen: the text never
    // claims a company the form would not post.
    text.addEventListener("blur", function () {
      clearTimeout(timer);
      asked++;
      close();
      if (text.value.trim() === "") {
        hidden.value = emptyValue;
        chosenLabel = "";
      }
      text.value = chosenLabel;
    });
  }

  function upgradeWithin(root) {
    if (typeof window.fetch !== "function") {
      return;
    }
    root.querySelectorAll("select[data-lookup]").forEach(upgrade);
  }

  function upgradeAll() {
    upgradeWithin(document);
  }

  // For parts of a page filled in later (the chain graph's segment panel).
  window.chaincrmPicker = { upgradeWithin: upgradeWithin };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", upgradeAll);
  } else {
    upgradeAll();
  }
})();
