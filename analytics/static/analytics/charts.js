/* Draws the analytics charts with the vendored Chart.js from the data the page embeds
   (json_script). Each <canvas data-chart="..." data-source="id"> names its kind and data. */
(function () {
  "use strict";
  var BLUE = "rgba(65, 118, 144, 0.85)";
  var LIGHT = "rgba(121, 174, 200, 0.85)";
  var RED = "rgba(186, 33, 33, 0.75)";
  var GREY = "rgba(120, 120, 120, 0.6)";

  function data(canvas) {
    return JSON.parse(document.getElementById(canvas.dataset.source).textContent);
  }
  function pct(v) { return v === null ? "—" : Math.round(100 * v) + " %"; }

  var draw = {
    funnel: function (canvas, d) {
      var stages = d.stages;
      return new Chart(canvas, {
        type: "bar",
        data: {
          labels: stages.map(function (s) { return s.label || s.stage; }),
          datasets: [{ label: "Reached", data: stages.map(function (s) { return s.reached; }), backgroundColor: BLUE }],
        },
        options: {
          indexAxis: "y", maintainAspectRatio: false, animation: false,
          plugins: { tooltip: { callbacks: { afterLabel: function (ctx) {
            var s = stages[ctx.dataIndex];
            return s.conversion === null ? "" : "moved on: " + pct(s.conversion) + " of decided (" + pct(s.conversion_low) + "–" + pct(s.conversion_high) + ")";
          } } } },
          scales: { x: { title: { display: true, text: "applications" } } },
        },
      });
    },
    dwell: function (canvas, d) {
      var stages = d.stages.filter(function (s) { return s.stage !== "hired"; });
      return new Chart(canvas, {
        type: "bar",
        data: {
          labels: stages.map(function (s) { return s.label || s.stage; }),
          datasets: [
            { label: "median days", data: stages.map(function (s) { return s.dwell_median_days; }), backgroundColor: BLUE },
            { label: "90th percentile days", data: stages.map(function (s) { return s.dwell_p90_days; }), backgroundColor: LIGHT },
          ],
        },
        options: { maintainAspectRatio: false, animation: false, scales: { y: { title: { display: true, text: "days in stage" } } } },
      });
    },
    forecast: function (canvas, d) {
      var weeks = d.forecast.weekly;
      var target = d.target_fill_date;
      var before = [], after = [];
      weeks.forEach(function (w) {
        var late = target !== null && w.week_start > target;
        before.push(late ? 0 : w.probability);
        after.push(late ? w.probability : 0);
      });
      return new Chart(canvas, {
        type: "bar",
        data: {
          labels: weeks.map(function (w) { return w.week_start; }),
          datasets: [
            { label: target ? "fills by the target (" + target + ")" : "fills in this week", data: before, backgroundColor: BLUE, stack: "s" },
            { label: "fills after the target", data: after, backgroundColor: RED, stack: "s", hidden: target === null },
          ],
        },
        options: {
          maintainAspectRatio: false, animation: false, barPercentage: 1.0, categoryPercentage: 1.0,
          scales: {
            x: { stacked: true, title: { display: true, text: "week the opening fills" }, ticks: { maxTicksLimit: 14 } },
            y: { stacked: true, title: { display: true, text: "share of simulated futures" }, ticks: { callback: function (v) { return Math.round(100 * v) + " %"; } } },
          },
        },
      });
    },
    calibration: function (canvas, d) {
      var role = d.roles[Number(canvas.dataset.role)];
      var rows = role.interviewers.filter(function (i) { return i.leniency !== null; });
      var labels = rows.map(function (i) { return i.username + " (" + i.shared_applications + ")"; });
      return new Chart(canvas, {
        data: {
          labels: labels,
          datasets: [
            { type: "bar", label: "90 % interval", data: rows.map(function (i) { return [i.leniency_low, i.leniency_high]; }),
              backgroundColor: rows.map(function (i) { return i.leniency_low > 0 || i.leniency_high < 0 ? RED : GREY; }), barPercentage: 0.35 },
            { type: "line", label: "leniency (shrunk)", data: rows.map(function (i, k) { return { x: i.leniency, y: labels[k] }; }),
              showLine: false, pointRadius: 6, pointBackgroundColor: "#000", borderColor: "#000" },
          ],
        },
        options: {
          indexAxis: "y", maintainAspectRatio: false, animation: false,
          scales: { x: { suggestedMin: -1.2, suggestedMax: 1.2, title: { display: true, text: "points above (+) or below (−) co-panelists on the same applications" } } },
        },
      });
    },
  };

  function start() {
    if (typeof Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var chart = draw[canvas.dataset.chart](canvas, data(canvas));
      canvas.dataset.drawn = chart ? "yes" : "no";
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
