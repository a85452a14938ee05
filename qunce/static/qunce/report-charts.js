// The report's chart: each unit's verified ledger entries, stacked by the eight roles.
(function () {
  var node = document.getElementById("roles-chart");
  var data = JSON.parse(document.getElementById("report-chart").textContent);
  var chart = echarts.init(node, null, { renderer: "svg" });
  var narrow = window.innerWidth < 720;
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0, type: "scroll" },
    grid: { left: narrow ? 90 : 130, right: 20, top: 40, bottom: 24 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: data.units, axisLabel: { width: narrow ? 80 : 120, overflow: "truncate" } },
    series: data.roles.map(function (role) {
      return { name: role.name, type: "bar", stack: "roles", barMaxWidth: 18, data: role.data };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
