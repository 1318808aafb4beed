/* Draws the monthly report's charts (Apache ECharts, SVG renderer) from the JSON the page embeds
   (json_script "report-charts"). Every chart also has its table on the page, so nothing is lost without JS. */
(function () {
  "use strict";
  function num(v) { return v === null || v === undefined || v === "" ? null : Number(v); }

  function draw() {
    var node = document.getElementById("report-charts");
    if (!node || !window.echarts) { return; }
    var data = JSON.parse(node.textContent);
    var L = data.labels;
    var months = data.trends.map(function (t) { return t.month; });
    var base = { animation: false, textStyle: { fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" } };
    var grid = { left: 48, right: 16, top: 36, bottom: 40, containLabel: true };
    var charts = [];

    function make(id, option) {
      var el = document.getElementById(id);
      if (!el) { return; }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(Object.assign({}, base, option));
      el.setAttribute("data-drawn", "1");
      charts.push(chart);
    }

    make("chart-visits", {
      tooltip: { trigger: "axis" }, grid: grid,
      xAxis: { type: "category", data: months, axisLabel: { rotate: 45 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: L.visits, type: "bar", data: data.trends.map(function (t) { return t.visits; }), itemStyle: { color: "#1f5fbf" } }]
    });
    make("chart-quality", {
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: grid,
      xAxis: { type: "category", data: months, axisLabel: { rotate: 45 } },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [
        { name: L.satisfaction, type: "line", connectNulls: false, data: data.trends.map(function (t) { return num(t.very_satisfied_rate); }) },
        { name: L.sla, type: "line", connectNulls: false, data: data.trends.map(function (t) { return num(t.sla_compliance); }) }
      ]
    });
    var ranking = data.ranking.slice(0, 20).reverse();
    make("chart-ranking", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: ranking.map(function (r) { return (r.rank ? r.rank + ". " : "") + r.name; }) },
      series: [{ name: L.score, type: "bar", data: ranking.map(function (r) { return num(r.score); }), itemStyle: { color: "#137333" } }]
    });
    make("chart-ageing", {
      tooltip: { trigger: "axis" }, grid: grid,
      xAxis: { type: "category", data: data.ageing.map(function (a) { return a.label; }), axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value" },
      series: [{ name: L.outstanding, type: "bar", data: data.ageing.map(function (a) { return num(a.amount); }), itemStyle: { color: "#b26a00" } }]
    });
    var target = num(data.coverage.target);
    make("chart-coverage", {
      tooltip: {}, grid: grid,
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: { type: "category", data: [L.coverage] },
      series: [{
        name: L.coverage, type: "bar", barWidth: 28,
        data: [num(data.coverage.actual)],
        itemStyle: { color: (num(data.coverage.actual) !== null && target !== null && num(data.coverage.actual) < target) ? "#c5221f" : "#137333" },
        label: { show: true, position: "right", formatter: function (p) { return p.value === null || p.value === undefined ? "—" : p.value + " %"; } },
        markLine: target === null ? undefined : { symbol: "none", lineStyle: { color: "#1d2433", type: "dashed" }, label: { formatter: L.target + " " + target + " %" }, data: [{ xAxis: target }] }
      }]
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
