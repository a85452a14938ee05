// The report's charts: each unit's verified ledger entries stacked by the eight roles, and each
// unit's check-in rate.
(function () {
  var data = JSON.parse(document.getElementById("report-chart").textContent);
  var narrow = window.innerWidth < 720;
  var charts = [];
  function draw(id, option) {
    var node = document.getElementById(id);
    if (!node) return;
    var chart = echarts.init(node, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  }
  var unitAxis = { type: "category", inverse: true, data: data.units, axisLabel: { width: narrow ? 80 : 120, overflow: "truncate" } };
  var grid = { left: narrow ? 90 : 130, right: 30, top: 40, bottom: 24 };
  draw("compliance-chart", {
    animation: false,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
    grid: grid,
    xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    yAxis: unitAxis,
    series: [{ type: "bar", barMaxWidth: 18, data: data.compliance, itemStyle: { color: "#1b7f3b" }, label: { show: !narrow, position: "right", formatter: "{c}%" } }]
  });
  draw("roles-chart", {
    animation: false,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0, type: "scroll" },
    grid: grid,
    xAxis: { type: "value", minInterval: 1 },
    yAxis: unitAxis,
    series: data.roles.map(function (role) {
      return { name: role.name, type: "bar", stack: "roles", barMaxWidth: 18, data: role.data };
    })
  });
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
})();
