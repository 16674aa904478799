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
 * For tests and benchmarks: window.chainNetwork is the vis.Network, and
 * window.chainGraph.drawnMs is set (ms since navigation) when the first frame is drawn —
 * with physics off the graph is still from that frame on.
 */
(function () {
  "use strict";

  var container = document.getElementById("chain-graph");
  var dataElement = document.getElementById("chain-graph-data");
  var panel = document.getElementById("segment-panel");
  if (!container || !dataElement) {
    return;
  }
  window.chainGraph = { scriptMs: performance.now(), parsedMs: null, drawnMs: null, nodeCount: 0 };

  function openPanel(segmentId, push) {
    var url = container.getAttribute("data-panel-url").replace("__sid__", encodeURIComponent(segmentId));
    return fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("panel " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        panel.innerHTML = html;  // server-rendered, autoescaped fragment
        panel.hidden = false;
        if (push !== false && window.history && window.history.replaceState) {
          var graphUrl = container.getAttribute("data-graph-url") + "?segment=" + encodeURIComponent(segmentId);
          window.history.replaceState(null, "", graphUrl);
        }
        if (window.chainNetwork) {
          window.chainNetwork.selectNodes(["s:" + segmentId]);
        }
      })
      .catch(function () {
        panel.hidden = false;
        panel.textContent = "环节详情加载失败，请刷新页面重试。";
      });
  }
  window.chainOpenPanel = openPanel;

  panel.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-panel-close]")) {
      panel.hidden = true;
      panel.innerHTML = "";
    }
  });

  document.querySelectorAll("a.segment-open").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      openPanel(link.getAttribute("data-segment"));
    });
  });

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

  // A white background so the exported PNG is not transparent.
  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });
  network.once("afterDrawing", function () {
    window.chainGraph.drawnMs = performance.now();
  });

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
