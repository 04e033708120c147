/* Self-assessment results: one radar per unit, the learner's current levels against the role's targets
   (ECharts, data from json_script; no inline script, so the strict CSP holds). */
(function () {
  "use strict";
  var source = document.getElementById("radar-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var labels = document.getElementById("radar-labels").dataset;
  var esc = echarts.format.encodeHTML;
  var charts = [];
  document.querySelectorAll(".radar-chart").forEach(function (el) {
    var unit = data.units[Number(el.dataset.unit)];
    if (!unit) { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      color: ["#f4b942", "#0b5c6b"],
      legend: { bottom: 0, data: [labels.target, labels.you] },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          return esc(p.name) + "<br>" + unit.elements.map(function (e, i) {
            return esc(e.code + " " + e.title) + ": " + p.value[i];
          }).join("<br>");
        }
      },
      radar: {
        radius: "62%",
        indicator: unit.elements.map(function (e) { return { name: e.code, max: data.max, min: 0 }; }),
        splitNumber: data.max
      },
      series: [{
        type: "radar",
        data: [
          { name: labels.target, value: unit.target, lineStyle: { type: "dashed" } },
          { name: labels.you, value: unit.current, areaStyle: { opacity: 0.3 } }
        ]
      }]
    });
    charts.push(chart);
    el.dataset.ready = "true";
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
}());
