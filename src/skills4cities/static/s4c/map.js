/* Competencies map: roles × units heat map and the framework sunburst (ECharts, data from json_script). */
(function () {
  "use strict";
  var source = document.getElementById("map-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var labels = document.getElementById("map-labels").dataset;
  var palette = ["#d8eef0", "#9fd3d9", "#4fa9b5", "#1b7f8d", "#0b4652"];
  var esc = echarts.format.encodeHTML;
  var maxLevel = data.levels.length ? data.levels[data.levels.length - 1].value : 5;

  function levelName(value) {
    for (var i = 0; i < data.levels.length; i++) { if (data.levels[i].value === value) { return data.levels[i].name; } }
    return String(value);
  }

  var heatEl = document.getElementById("heatmap-chart");
  var heat = echarts.init(heatEl, null, { renderer: "svg" });
  heat.setOption({
    animation: false,
    tooltip: {
      formatter: function (p) {
        var unit = data.units[p.value[1]], role = data.roles[p.value[0]];
        return esc(role.title) + "<br>" + esc(unit.code + " " + unit.title) + "<br>" + esc(labels.level) + ": " +
          p.value[2] + " (" + esc(levelName(p.value[2])) + "), " + esc(p.value[3] ? labels.essential : labels.optional);
      }
    },
    grid: { left: 300, right: 30, top: 100, bottom: 60 },
    xAxis: { type: "category", position: "top", data: data.roles.map(function (r) { return r.title; }),
             axisLabel: { interval: 0, width: 170, overflow: "break", lineHeight: 15 }, triggerEvent: true },
    yAxis: { type: "category", inverse: true, data: data.units.map(function (u) { return u.code + "  " + u.title; }),
             axisLabel: { width: 280, overflow: "truncate" } },
    visualMap: { type: "piecewise", dimension: 2, min: 1, max: maxLevel, orient: "horizontal", left: "center", bottom: 5,
                 pieces: data.levels.map(function (l, i) { return { value: l.value, label: l.value + " " + l.name, color: palette[i % palette.length] }; }) },
    series: [{
      type: "heatmap", data: data.cells.map(function (c) {
        return { value: c, itemStyle: c[3] ? {} : { borderType: "dashed", borderColor: "#6c757d", borderWidth: 2 } };
      }),
      label: { show: true, formatter: function (p) { return p.value[2]; } },
      itemStyle: { borderColor: "#fff", borderWidth: 2 }
    }]
  });
  heat.on("click", function (p) {
    if (p.componentType === "xAxis") {
      var role = data.roles.filter(function (r) { return r.title === p.value; })[0];
      if (role) { window.location.href = role.url; }
    } else if (p.seriesType === "heatmap") {
      window.location.href = data.roles[p.value[0]].url;
    }
  });

  var treeEl = document.getElementById("sunburst-chart");
  var tree = null;
  function drawTree() {
    if (tree) { tree.resize(); return; }
    tree = echarts.init(treeEl, null, { renderer: "svg" });
    tree.setOption({
      animation: false,
      tooltip: { formatter: function (p) { return esc(p.data.name + (p.data.title ? " " + p.data.title : "")); } },
      series: [{
        type: "sunburst", data: data.tree.children, radius: [40, "95%"], sort: null,
        label: { rotate: "radial", fontSize: 10 },
        levels: [{}, { r0: 40, r: "45%", label: { rotate: "tangential", fontSize: 11 } }, { r0: "45%", r: "95%", label: { align: "right" } }],
        itemStyle: { borderColor: "#fff", borderWidth: 1 }
      }],
      color: ["#0b5c6b", "#1b7f8d", "#4fa9b5", "#127a8a", "#1a8f7a", "#3f6e8c", "#5b8c5a", "#8c6d3f", "#7a4f8c", "#2f4f6b", "#6b8e23", "#a0522d", "#4682b4"]
    });
    tree.on("click", function (p) { if (p.data && p.data.url && !p.data.children) { window.location.href = p.data.url; } });
  }
  var tab = document.getElementById("tab-tree");
  if (tab) { tab.addEventListener("shown.bs.tab", drawTree); }
  window.addEventListener("resize", function () { heat.resize(); if (tree) { tree.resize(); } });
  heatEl.dataset.ready = "true";
}());
