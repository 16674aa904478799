/* County dashboard charts (Chart.js, vendored). The figures come from the
 * <script type="application/json" id="dashboard-data"> block the page renders;
 * every number is also printed in the page's tables, so nothing is lost without JS. */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var palette = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#dc3545", "#6c757d", "#0dcaf0"];

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) {
      // A responsive chart needs a container of fixed height, or it grows with itself.
      var box = canvas.parentNode;
      box.style.position = "relative";
      box.style.height = (box.getAttribute("data-height") || 220) + "px";
      config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
      return new window.Chart(canvas, config);
    }
    return null;
  }

  var months = data.months;
  var monthSets = [{ type: "bar", label: months.cumulative_label, data: months.cumulative, backgroundColor: palette[0] }];
  if (months.target) {
    monthSets.push({ type: "line", label: months.target_label, data: months.target, borderColor: palette[2], backgroundColor: palette[2] });
  }
  draw("chart-months", { type: "bar", data: { labels: months.labels, datasets: monthSets } });

  draw("chart-origins", {
    type: "doughnut",
    data: { labels: data.origins.labels, datasets: [{ data: data.origins.amounts, backgroundColor: palette.slice(0, 4) }] },
    options: { plugins: { legend: { position: "bottom" } } }
  });

  draw("chart-funnel", {
    type: "bar",
    data: { labels: data.funnel.labels, datasets: [{ label: data.funnel.label, data: data.funnel.reached, backgroundColor: palette[1] }] },
    options: { indexAxis: "y", plugins: { legend: { display: false } } }
  });
})();
