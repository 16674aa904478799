/* The chain gap graph (/chains/<id>/graph).
 *
 * The server computes the layout (fixed x/y, physics off) and embeds the vis-network
 * payload as JSON in <script type="application/json" id="chain-graph-data">; this file
 * only draws it, filters it, opens the segment side panel and exports a PNG.
 *
 * Labels and tooltips are plain strings: vis-network draws labels on the canvas and
 * shows a string title as text, so company names are never parsed as HTML here.
 * Panels come from the server as HTML fragments rendered with autoescaping.
 *
 * View: the graph is fitted to the box, then zoomed in (centred) until a segment label is
 * at least payload.view.minLabelPx screen pixels; 放大 / 缩小 / 适应窗口 and the search box
 * (segment or firm name → focus, select, open the segment's panel) sit above it. The
 * panel lies over the graph (CSS .graph-overlay-panel), so the canvas keeps its size.
 * vis's hover tooltip is hidden when the pointer leaves a node or the canvas, and on
 * drag and zoom, so it never stays behind. The segments are also listed as buttons above
 * the graph (#segment-nav) for the keyboard: Enter or Space focuses that segment's node and
 * opens its panel; Escape closes the panel and gives the focus back to the button.
 *
 * For tests and benchmarks: window.chainNetwork is the vis.Network, and
 * window.chainGraph.drawnMs is set (ms since navigation) when the first frame is drawn —
 * with physics off the graph is still from that frame on. window.chainGraph.labelPx()
 * is the segment label size on screen at the current zoom.
 */
(function () {
  "use strict";

  var container = document.getElementById("chain-graph");
  var dataElement = document.getElementById("chain-graph-data");
  var panel = document.getElementById("segment-panel");
  if (!container || !dataElement) {
    return;
  }
  window.chainGraph = { scriptMs: performance.now(), parsedMs: null, drawnMs: null, nodeCount: 0, panelLoadsSettled: 0 };

  // Only the latest load may fill the panel: a load that answers after the user closed the
  // panel, or after they chose another segment, is dropped (it would reopen or overwrite it).
  var panelTicket = 0;
  function openPanel(segmentId, push, nodeId) {
    var ticket = ++panelTicket;
    var url = container.getAttribute("data-panel-url").replace("__sid__", encodeURIComponent(segmentId));
    return fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("panel " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        if (ticket !== panelTicket) {
          return;
        }
        panel.innerHTML = html;  // server-rendered, autoescaped fragment
        panel.hidden = false;
        if (window.chaincrmPicker) {
          window.chaincrmPicker.upgradeWithin(panel);  // 关联已有项目: type-ahead, not a long list
        }
        if (push !== false && window.history && window.history.replaceState) {
          var graphUrl = container.getAttribute("data-graph-url") + "?segment=" + encodeURIComponent(segmentId);
          window.history.replaceState(null, "", graphUrl);
        }
        if (window.chainNetwork) {
          window.chainNetwork.selectNodes([nodeId || "s:" + segmentId]);
          clearOfPanel(nodeId || "s:" + segmentId);
        }
      })
      .catch(function () {
        if (ticket !== panelTicket) {
          return;
        }
        panel.hidden = false;
        panel.textContent = panel.getAttribute("data-text-failed");
      })
      .then(function () {
        window.chainGraph.panelLoadsSettled += 1;
      });
  }
  window.chainOpenPanel = openPanel;

  // The panel lies over the right side of the graph (a bottom sheet over its lower part on
  // narrow screens): pan (same zoom) so that the chosen node is not under it.
  function clearOfPanel(nodeId) {
    var network = window.chainNetwork;
    if (!network || panel.hidden || window.getComputedStyle(panel).position !== "absolute") {
      return;
    }
    var position = network.getPositions([nodeId])[nodeId];
    if (!position) {
      return;
    }
    var dom = network.canvasToDOM(position);
    var scale = network.getScale();
    var centre = network.getViewPosition();
    if (panel.offsetWidth >= container.clientWidth - 32) {  // bottom sheet
      var freeHeight = container.clientHeight - panel.offsetHeight;
      if (dom.y >= 16 && dom.y <= freeHeight - 16) {
        return;
      }
      var down = (dom.y - Math.max(freeHeight, 32) / 2) / scale;
      network.moveTo({ position: { x: centre.x, y: centre.y + down }, scale: scale, animation: false });
      return;
    }
    var free = container.clientWidth - panel.offsetWidth;
    if (dom.x >= 16 && dom.x <= free - 16) {
      return;
    }
    var shift = (dom.x - free / 2) / scale;
    network.moveTo({ position: { x: centre.x + shift, y: centre.y }, scale: scale, animation: false });
  }

  // The list item (or link) that opened the panel gets the focus back when it closes.
  var opener = null;
  function closePanel() {
    panelTicket += 1;
    panel.hidden = true;
    panel.innerHTML = "";
    if (window.chainNetwork) {
      window.chainNetwork.unselectAll();
    }
    document.querySelectorAll(".segment-jump[aria-current]").forEach(function (button) {
      button.removeAttribute("aria-current");
    });
    if (opener && document.contains(opener)) {
      opener.focus();
    }
  }
  window.chainClosePanel = closePanel;

  panel.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-panel-close]")) {
      closePanel();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || panel.hidden) {
      return;
    }
    var target = event.target;
    if (target && target.closest && target.closest("input, select, textarea, dialog, .modal") && !panel.contains(target)) {
      return;  // Escape there belongs to that control
    }
    event.preventDefault();
    closePanel();
  });

  document.querySelectorAll("a.segment-open").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      opener = link;
      openPanel(link.getAttribute("data-segment"));
    });
  });

  // The segments as buttons above the graph: Tab to one, Enter or Space centres and selects
  // its node and opens its panel (or only opens the panel when the graph could not load).
  var segmentNav = document.getElementById("segment-nav");
  if (segmentNav) {
    segmentNav.hidden = false;
    segmentNav.querySelectorAll("button.segment-jump").forEach(function (button) {
      button.addEventListener("click", function () {
        var segmentId = button.getAttribute("data-segment");
        opener = button;
        segmentNav.querySelectorAll(".segment-jump[aria-current]").forEach(function (other) {
          other.removeAttribute("aria-current");
        });
        button.setAttribute("aria-current", "true");
        var opened = window.chainFocusNode ? window.chainFocusNode("s:" + segmentId) : openPanel(segmentId);
        if (opened && opened.then) {
          opened.then(function () {
            if (!panel.hidden && panel.offsetWidth >= container.clientWidth - 32) {
              container.scrollIntoView({ block: "nearest" });  // the sheet lies over the graph
            }
          });
        }
      });
    });
  }

  if (typeof vis === "undefined" || !vis.Network) {
    return;  // the list of segments beside the graph still opens the panel
  }

  var payload = JSON.parse(dataElement.textContent);
  window.chainGraph.parsedMs = performance.now();
  var nodes = new vis.DataSet(payload.nodes);
  var edges = new vis.DataSet(payload.edges);
  var options = payload.options;
  var bySegment = {};
  payload.nodes.forEach(function (node) {
    if (node.kind === "segment") {
      bySegment[node.segment] = node;
    }
  });
  window.chainGraph.nodeCount = payload.nodes.length;

  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.chainNetwork = network;

  // Each firm's tie to its segment: drawn here under the nodes, not as vis-network edges
  // (2,000 edge objects took half the time before a big chain appeared). Hidden nodes
  // (filters) lose their ties; dragged ones keep them (positions read at each frame).
  var tieStyle = payload.ties || { color: "#d0d0d0", width: 0.5, dash: [5, 5] };
  var ties = [];
  payload.nodes.forEach(function (node) {
    if (node.kind === "firm") {
      ties.push(["s:" + node.segment, node.id]);
    }
  });
  function drawTies(ctx) {
    var all = network.body.nodes;
    ctx.save();
    ctx.strokeStyle = tieStyle.color;
    ctx.lineWidth = tieStyle.width;
    ctx.setLineDash(tieStyle.dash);
    ctx.beginPath();
    ties.forEach(function (tie) {
      var from = all[tie[0]];
      var to = all[tie[1]];
      if (from && to && !from.options.hidden && !to.options.hidden) {
        ctx.moveTo(from.x, from.y);
        ctx.lineTo(to.x, to.y);
      }
    });
    ctx.stroke();
    ctx.restore();
  }

  // A white background so the exported PNG is not transparent, then the ties.
  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
    drawTies(ctx);
  });
  network.once("afterDrawing", function () {
    window.chainGraph.drawnMs = performance.now();
  });

  // Readable labels: fit, then zoom in (keeping the centre) until labels reach minLabelPx.
  var view = payload.view || { segmentFontSize: 16, minLabelPx: 12 };
  var ZOOM_STEP = 1.25;
  window.chainGraph.labelPx = function () {
    return network.getScale() * view.segmentFontSize;
  };
  function readableScale() {
    return view.minLabelPx / view.segmentFontSize;
  }
  function fitReadable() {
    network.fit({ animation: false });
    if (network.getScale() < readableScale()) {
      network.moveTo({ scale: readableScale(), animation: false });
    }
  }
  fitReadable();

  function zoomBy(factor) {
    network.moveTo({ scale: network.getScale() * factor, animation: false });
  }
  var controls = document.getElementById("chain-graph-controls");
  if (controls) {
    controls.hidden = false;
    document.getElementById("chain-zoom-in").addEventListener("click", function () {
      zoomBy(ZOOM_STEP);
    });
    document.getElementById("chain-zoom-out").addEventListener("click", function () {
      zoomBy(1 / ZOOM_STEP);
    });
    document.getElementById("chain-fit").addEventListener("click", function () {
      network.fit({ animation: false });  // the whole chain, even if labels get small
    });
  }

  // Search: segment and firm names from the payload; picking one focuses that node.
  var searchForm = document.getElementById("chain-search");
  var searchInput = document.getElementById("chain-search-input");
  var searchOptions = document.getElementById("chain-search-options");
  var searchStatus = document.getElementById("chain-search-status");
  // Built once, after the first frame (or when the search is used first): thousands of
  // <option>s are not worth delaying the drawing for.
  var byName = null;
  function searchIndex() {
    if (byName) {
      return byName;
    }
    byName = {};
    var options = document.createDocumentFragment();
    payload.nodes.forEach(function (node) {
      var name = node.name || node.label || "";
      var key = name;
      if (node.kind === "firm") {
        var segment = bySegment[node.segment];
        key = name + " · " + (segment ? segment.name || segment.label : "");
      }
      if (!key || byName[key]) {
        return;
      }
      byName[key] = node.id;
      var option = document.createElement("option");
      option.value = key;  // text, never parsed as HTML
      options.appendChild(option);
    });
    if (searchOptions) {
      searchOptions.appendChild(options);
    }
    return byName;
  }
  network.once("afterDrawing", function () {
    window.setTimeout(searchIndex, 0);
  });

  function findNode(text) {
    var query = text.trim();
    if (!query) {
      return null;
    }
    if (searchIndex()[query]) {
      return byName[query];
    }
    var lower = query.toLowerCase();
    var found = null;
    ["segment", "firm"].some(function (kind) {  // a segment before any firm
      return payload.nodes.some(function (node) {
        var name = (node.name || node.label || "").toLowerCase();
        if (node.kind === kind && name.indexOf(lower) !== -1) {
          found = node.id;
          return true;
        }
        return false;
      });
    });
    return found;
  }

  function focusNode(nodeId) {
    var node = nodes.get(nodeId);
    if (!node) {
      return;
    }
    if (node.hidden) {
      nodes.update({ id: nodeId, hidden: false });
    }
    network.focus(nodeId, { scale: Math.max(network.getScale(), 1), animation: false });
    network.selectNodes([nodeId]);
    if (node.segment !== undefined && node.segment !== null) {
      return openPanel(node.segment, true, nodeId);
    }
    return null;
  }
  window.chainFocusNode = focusNode;

  if (searchForm && searchInput) {
    searchInput.addEventListener("focus", searchIndex);
    searchForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var nodeId = findNode(searchInput.value);
      if (searchStatus) {
        searchStatus.textContent = nodeId ? "" : searchStatus.getAttribute("data-not-found") || "";
      }
      if (nodeId) {
        focusNode(nodeId);
      }
    });
    searchInput.addEventListener("change", function () {
      var nodeId = searchIndex()[searchInput.value.trim()];
      if (nodeId) {
        focusNode(nodeId);
      }
    });
  }

  // The hover tooltip never stays behind.
  function hideTooltip() {
    var handler = network.interactionHandler;
    if (handler) {
      if (handler.popupTimer) {
        clearTimeout(handler.popupTimer);
        handler.popupTimer = undefined;
      }
      if (handler.popup && handler.popup.hide) {
        handler.popup.hide();
      }
    }
    container.querySelectorAll("div.vis-tooltip").forEach(function (element) {
      element.style.visibility = "hidden";
    });
  }
  network.on("blurNode", hideTooltip);
  network.on("blurEdge", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);
  container.addEventListener("mouseleave", hideTooltip);

  network.on("click", function (params) {
    if (!params.nodes || !params.nodes.length) {
      return;
    }
    var node = nodes.get(params.nodes[0]);
    if (node && node.segment !== undefined && node.segment !== null) {
      openPanel(node.segment);
    }
  });

  // Filters: stage, status, show/hide firms.
  var filters = document.getElementById("chain-filters");
  if (filters) {
    filters.hidden = false;
    filters.addEventListener("change", applyFilters);
  }

  function checked(name) {
    var values = {};
    filters.querySelectorAll("input[name='" + name + "']").forEach(function (input) {
      values[input.value] = input.checked;
    });
    return values;
  }

  function applyFilters() {
    var stages = checked("stage");
    var statuses = checked("status");
    var showFirms = checked("firms")["1"];
    var segmentStage = window.chainGraphStages || {};
    var updates = payload.nodes.map(function (node) {
      var segment = bySegment[node.segment];
      var stage = segmentStage[node.segment];
      var visible = (!stage || stages[stage] !== false) && statuses[segment.status] !== false;
      if (node.kind === "firm") {
        visible = visible && showFirms;
      }
      return { id: node.id, hidden: !visible };
    });
    nodes.update(updates);
  }

  // Stage of each segment, from the accessible list (the payload carries no stage).
  window.chainGraphStages = {};
  payload.nodes.forEach(function (node) {
    if (node.kind === "segment" && node.stage) {
      window.chainGraphStages[node.segment] = node.stage;
    }
  });
  document.querySelectorAll("[data-segment-stage]").forEach(function (element) {
    window.chainGraphStages[element.getAttribute("data-segment")] = element.getAttribute("data-segment-stage");
  });

  // PNG export from the canvas vis-network draws on.
  var pngButton = document.getElementById("chain-png");
  if (pngButton) {
    pngButton.hidden = false;
    pngButton.addEventListener("click", function () {
      var canvas = container.querySelector("canvas");
      if (!canvas) {
        return;
      }
      var link = document.createElement("a");
      link.href = canvas.toDataURL("image/png");
      link.download = pngButton.getAttribute("data-filename") || "chain.png";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }

  var selected = panel && panel.querySelector("[data-testid='segment-panel']");
  if (selected) {
    network.selectNodes(["s:" + selected.getAttribute("data-segment")]);
  }
})();
