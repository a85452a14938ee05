// The 14-day trend on the check-in dashboard: report rate, fevers and alerts per day.
(function () {
  var node = document.getElementById("trend");
  var data = JSON.parse(document.getElementById("trend-data").textContent);
  var labels = JSON.parse(node.dataset.labels);
  var chart = echarts.init(node, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 40, top: 36, bottom: 28 },
    xAxis: { type: "category", data: data.map(function (d) { return d.day.slice(5); }) },
    yAxis: [
      { type: "value", name: "%", min: 0, max: 100 },
      { type: "value", name: labels.people, minInterval: 1 }
    ],
    series: [
      { name: labels.rate, type: "line", data: data.map(function (d) { return d.rate; }), itemStyle: { color: "#1b7f3b" } },
      { name: labels.fever, type: "bar", barMaxWidth: 14, yAxisIndex: 1, data: data.map(function (d) { return d.fever; }), itemStyle: { color: "#b71c1c" } },
      { name: labels.alerts, type: "bar", barMaxWidth: 14, yAxisIndex: 1, data: data.map(function (d) { return d.alerts; }), itemStyle: { color: "#e69500" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
