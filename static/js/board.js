/* Project board: drag a card to another stage column (HTML5 drag and drop).
 *
 * The move goes to POST /projects/<id>/move as JSON with the X-CSRFToken header;
 * the server applies the same pipeline rules as the stage form. On refusal the card
 * stays where it was and the server's messages are shown above the board, with a
 * link to the stage form where the missing evidence can be entered.
 *
 * Each card also has a stage menu (touch screens cannot drag): choosing a stage and
 * pressing "移至" sends the same move as a drop on that column. Without JavaScript the
 * menu opens the stage form for the chosen stage.
 */
(function () {
  "use strict";

  var board = document.getElementById("kanban");
  if (!board || !board.getAttribute("data-can-write")) {
    return;
  }
  var messageBox = document.getElementById("board-message");
  var dragged = null;
  // A label and its message: the full-width colon in Chinese, ": " in English.
  var COLON = document.documentElement.lang === "en" ? ": " : "：";
  // Evidence the board can ask for in place; anything else (the local company, a
  // manager-only move) is left to the full stage form.
  var INLINE_FIELDS = ["signed_on", "contract_no", "planned_investment_wan", "registered_on",
    "construction_started_on", "production_started_on", "lost_reason", "note"];

  function showMessage(kind, title, details, link) {
    messageBox.className = "alert alert-" + kind;
    messageBox.textContent = "";
    var heading = document.createElement("div");
    heading.textContent = title;
    messageBox.appendChild(heading);
    if (details.length) {
      var list = document.createElement("ul");
      list.className = "mb-0";
      details.forEach(function (text) {
        var item = document.createElement("li");
        item.textContent = text;
        list.appendChild(item);
      });
      messageBox.appendChild(list);
    }
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.text;
      messageBox.appendChild(anchor);
    }
    // On a phone the columns stack: bring the answer (and any evidence form) into view.
    if (messageBox.scrollIntoView) {
      messageBox.scrollIntoView({ block: "nearest" });
    }
  }

  function formatWan(text) {
    var value = Number(text);
    if (!isFinite(value)) {
      return text;
    }
    return value.toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function updateColumns(columns) {
    Object.keys(columns).forEach(function (stage) {
      var column = board.querySelector('.kanban-column[data-stage="' + stage + '"]');
      if (!column) {
        return;
      }
      column.querySelector(".kanban-count").textContent = columns[stage].count;
      column.querySelector(".kanban-total").textContent = formatWan(columns[stage].total);
    });
  }

  function moveCard(card, column, stage) {
    card.className = card.className.replace(/\bstage-\S+/, "stage-" + stage);
    var header = column.querySelector("header");
    header.parentNode.insertBefore(card, header.nextSibling);
    // The stage menu offers every stage but the one the card is now in.
    var select = card.querySelector(".kanban-move select");
    if (select) {
      Array.prototype.forEach.call(select.options, function (option) {
        option.disabled = option.value === stage;
      });
      if (select.value === stage) {
        var first = Array.prototype.find.call(select.options, function (option) { return !option.disabled; });
        select.value = first ? first.value : "";
      }
    }
  }

  function refuse(column) {
    column.classList.add("drop-refused");
    window.setTimeout(function () { column.classList.remove("drop-refused"); }, 1500);
  }

  function evidenceForm(card, column, fields, labels) {
    var form = document.createElement("form");
    form.className = "row g-2 align-items-end mt-2";
    form.setAttribute("data-testid", "board-evidence-form");
    fields.forEach(function (field) {
      var wrapper = document.createElement("div");
      wrapper.className = "col-auto";
      var label = document.createElement("label");
      label.className = "form-label small mb-0";
      label.textContent = labels[field] || field;
      var input = document.createElement("input");
      input.className = "form-control form-control-sm";
      input.name = field;
      label.appendChild(input);
      wrapper.appendChild(label);
      form.appendChild(wrapper);
    });
    var submit = document.createElement("button");
    submit.type = "submit";
    submit.className = "btn btn-sm btn-primary col-auto";
    submit.textContent = board.getAttribute("data-text-submit");
    form.appendChild(submit);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var extra = {};
      form.querySelectorAll("input").forEach(function (input) { extra[input.name] = input.value; });
      send(card, column, extra);
    });
    return form;
  }

  function send(card, column, extra) {
    var stage = column.getAttribute("data-stage");
    var query = board.getAttribute("data-query");
    var url = card.getAttribute("data-move-url") + (query ? "?" + query : "");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": board.getAttribute("data-csrf")
      },
      body: JSON.stringify(Object.assign({}, extra || {},
        { to_stage: stage, version: Number(card.getAttribute("data-version")) }))
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { ok: response.ok, status: response.status, body: body };
      });
    }).then(function (result) {
      var body = result.body || {};
      if (result.ok) {
        moveCard(card, column, stage);
        card.setAttribute("data-version", body.project.version);
        updateColumns(body.columns || {});
        showMessage("success", body.message || "", [], null);
        return;
      }
      refuse(column);
      var labels = body.labels || {};
      var details = [];
      Object.keys(body.errors || {}).forEach(function (field) {
        body.errors[field].forEach(function (text) {
          details.push((labels[field] ? labels[field] + COLON : "") + text);
        });
      });
      var link = body.stage_form ? { href: body.stage_form, text: board.getAttribute("data-text-evidence") } : null;
      showMessage("danger", body.message || (board.getAttribute("data-text-failed") + " (" + result.status + ")"), details, link);
      var fields = Object.keys(body.errors || {});
      if (result.status === 422 && fields.length && fields.every(function (f) { return INLINE_FIELDS.indexOf(f) >= 0; })) {
        messageBox.appendChild(evidenceForm(card, column, fields, labels));
      }
    }).catch(function () {
      refuse(column);
      showMessage("danger", board.getAttribute("data-text-network"), [], null);
    });
  }

  board.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest(".kanban-move");
    if (!form) {
      return;
    }
    event.preventDefault();
    var card = form.closest(".kanban-card");
    var stage = form.querySelector("select").value;
    var column = board.querySelector('.kanban-column[data-stage="' + stage + '"]');
    if (!card || !column || card.closest(".kanban-column") === column) {
      return;
    }
    send(card, column);
  });

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".kanban-card");
    if (!card) {
      return;
    }
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-project-id"));
  });

  board.addEventListener("dragend", function () {
    // The drop has already let go of `dragged`: clear every faded card, not only that one.
    board.querySelectorAll(".kanban-card.dragging").forEach(function (c) { c.classList.remove("dragging"); });
    board.querySelectorAll(".drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
  });

  board.addEventListener("dragover", function (event) {
    var column = event.target.closest && event.target.closest(".kanban-column");
    if (!column || !dragged) {
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    column.classList.add("drop-target");
  });

  board.addEventListener("dragleave", function (event) {
    var column = event.target.closest && event.target.closest(".kanban-column");
    if (column && !column.contains(event.relatedTarget)) {
      column.classList.remove("drop-target");
    }
  });

  board.addEventListener("drop", function (event) {
    var column = event.target.closest && event.target.closest(".kanban-column");
    if (!column || !dragged) {
      return;
    }
    event.preventDefault();
    column.classList.remove("drop-target");
    var card = dragged;
    dragged = null;
    card.classList.remove("dragging");
    if (card.closest(".kanban-column") === column) {
      return;
    }
    send(card, column);
  });
})();
