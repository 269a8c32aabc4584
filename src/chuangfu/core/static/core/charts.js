/* The one chart component (core/_chart.html): every element with data-chart is drawn from the
   json_script it names, by its "kind":
   - "bar" (the default): {title?, unit?, labels, values, links?} — a bar with a link opens it;
   - "lines": {labels, series: [{name, data}], max?} — one line per series, gaps where data is null;
   - "timeline": {rows: [{task, title, unit, from, due_on, percent, late}], today} — a bar per
     milestone from its start to its due day, filled to its percent, red when late. */
(function () {
  if (window.cfChartsLoaded) { return; }
  window.cfChartsLoaded = true;

  function bar(data) {
    var unit = data.unit || "";
    return {
      title: data.title ? { text: data.title, left: "center", textStyle: { fontSize: 14 } } : undefined,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + unit; } },
      grid: { left: 64, right: 16, bottom: 64, top: data.title ? 40 : 16 },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 5 ? 30 : 0 } },
      yAxis: { type: "value", name: unit, max: unit === "%" ? 100 : null },
      series: [{ type: "bar", data: data.values, itemStyle: { color: "#b22222" }, label: { show: !!data.title, position: "top" } }]
    };
  }

  function lines(data) {
    return {
      tooltip: { trigger: "axis" }, legend: { type: "scroll", top: 0 }, grid: { left: 40, right: 16, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.labels }, yAxis: { type: "value", max: data.max == null ? null : data.max },
      series: data.series.map(function (s) { return { name: s.name, type: "line", data: s.data, connectNulls: false }; })
    };
  }

  function timeline(data, el) {
    var rows = data.rows, day = 86400000;
    el.style.height = Math.max(240, rows.length * 28 + 60) + "px";
    return {
      grid: { left: 8, right: 24, top: 24, bottom: 24, containLabel: true },
      tooltip: { formatter: function (p) { var r = rows[p.dataIndex]; return [r.task, r.title, r.unit, r.from + " → " + r.due_on, r.percent + "%"].join("<br>"); } },
      xAxis: { type: "time" },
      yAxis: { type: "category", data: rows.map(function (r) { return r.task + " · " + r.title; }), inverse: true, axisLabel: { width: 260, overflow: "truncate" } },
      series: [{
        type: "custom",
        renderItem: function (params, api) {
          var start = api.coord([api.value(0), api.value(1)]), end = api.coord([api.value(2), api.value(1)]);
          var h = api.size([0, 1])[1] * 0.6, w = Math.max(end[0] - start[0], 3), late = rows[params.dataIndex].late;
          return { type: "group", children: [
            { type: "rect", shape: { x: start[0], y: start[1] - h / 2, width: w, height: h }, style: { fill: late ? "#f8d7da" : "#dde7f5" } },
            { type: "rect", shape: { x: start[0], y: start[1] - h / 2, width: w * api.value(3) / 100, height: h }, style: { fill: late ? "#dc3545" : "#0d6efd" } }
          ] };
        },
        encode: { x: [0, 2], y: 1 },
        data: rows.map(function (r, i) { return [new Date(r.from).getTime(), i, new Date(r.due_on).getTime() + day, r.percent]; }),
        markLine: { symbol: "none", data: [{ xAxis: Date.now() }], lineStyle: { color: "#198754" }, label: { formatter: data.today || "" } }
      }]
    };
  }

  var KINDS = { bar: bar, lines: lines, timeline: timeline };

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      var data = source && JSON.parse(source.textContent);
      var draw = data && KINDS[data.kind || "bar"];
      if (!draw) { return; }
      var chart = echarts.init(el);
      chart.setOption(draw(data, el));
      if (data.links) {
        chart.on("click", function (p) { if (data.links[p.dataIndex]) { window.location.href = data.links[p.dataIndex]; } });
      }
      window.addEventListener("resize", function () { chart.resize(); });
    });
  });
})();
