// smokewatch dashboard charts (ECharts). No inline script: pages carry their data in
// data-* attributes (JSON) or name a same-origin JSON endpoint; this file draws them.
(function () {
  "use strict";
  var GRADE = { red: "#c62828", orange: "#ef6c00", yellow: "#f9a825", blue: "#1565c0" };
  var charts = [];

  function json(el, name) { return JSON.parse(el.getAttribute(name)); }
  function chart(el) { var c = echarts.init(el); charts.push(c); return c; }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });

  function trend(el) {
    var data = json(el, "data-trend");
    chart(el).setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 28 },
      xAxis: { type: "category", data: data.dates },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (s) {
        return { name: s.name, type: "line", data: s.data, color: GRADE[s.grade], symbolSize: 6 };
      })
    });
  }

  function declines(el) {
    var data = json(el, "data-declines");
    chart(el).setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 32, bottom: 28 },
      xAxis: { type: "category", data: data.months },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value" }],
      series: data.series.map(function (s) {
        return { name: s.name, type: "line", yAxisIndex: s.axis, data: s.data, symbolSize: 5 };
      })
    });
  }

  function text(tag, value, cls) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (cls) { node.className = cls; }
    return node;
  }

  function riskMap(el) {
    var labels = json(el, "data-labels");
    var trail = document.querySelector("[data-map-trail]");
    var body = document.querySelector("[data-map-table] tbody");
    var map = chart(el);
    var current = null;

    function table(data) {
      body.replaceChildren();
      data.regions.forEach(function (r) {
        var row = document.createElement("tr");
        var cell = document.createElement("td");
        if (r.drillable) {
          var drill = text("button", r.name, "link");
          drill.type = "button";
          drill.setAttribute("data-drill", r.code);
          drill.addEventListener("click", function () { load(r.code); });
          cell.appendChild(drill);
          cell.appendChild(text("span", " · "));
        }
        var link = text("a", r.drillable ? labels.list : r.name);
        link.href = "/watchlist?region=" + encodeURIComponent(r.code);
        cell.appendChild(link);
        if (!r.drawn) { cell.appendChild(text("span", " *", "meta")); cell.title = labels.notdrawn; }
        row.appendChild(cell);
        ["red", "orange", "yellow", "blue"].forEach(function (g) {
          row.appendChild(text("td", String(r.grades[g])));
        });
        body.appendChild(row);
      });
    }

    function crumbs(data) {
      trail.replaceChildren();
      var steps = [{ code: "000000", name: labels.country }].concat(data.trail);
      steps.forEach(function (step, i) {
        if (i) { trail.appendChild(text("span", " › ")); }
        if (step.code === data.code || (data.code === "000000" && i === 0)) {
          trail.appendChild(text("strong", step.name));
        } else {
          var a = text("a", step.name);
          a.href = "#";
          a.setAttribute("data-map-code", step.code);
          a.addEventListener("click", function (e) { e.preventDefault(); load(step.code); });
          trail.appendChild(a);
        }
      });
    }

    function draw(data) {
      current = data;
      echarts.registerMap("sw-" + data.code, data.geojson);
      var names = {}, max = 1;
      data.regions.forEach(function (r) { names[r.code] = r; max = Math.max(max, r.risk); });
      map.setOption({
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            var r = names[p.name];
            if (!r) { return ""; }
            var lines = [echarts.format.encodeHTML(r.name),
              labels.risk + ": " + r.risk, labels.total + ": " + r.total];
            ["red", "orange", "yellow", "blue"].forEach(function (g) {
              lines.push(labels[g] + ": " + r.grades[g]);
            });
            return lines.join("<br>");
          }
        },
        visualMap: {
          min: 0, max: max, left: 8, bottom: 8, calculable: true,
          inRange: { color: ["#f1f4f8", "#ffcc80", "#ef6c00", "#b71c1c"] }
        },
        series: [{
          type: "map", map: "sw-" + data.code, nameProperty: "code", roam: true,
          label: {
            show: true, fontSize: 11,
            formatter: function (p) { return names[p.name] ? names[p.name].name : ""; }
          },
          emphasis: { label: { show: true } },
          data: data.regions.filter(function (r) { return r.drawn; }).map(function (r) {
            return { name: r.code, value: r.risk };
          })
        }]
      }, true);
      el.setAttribute("data-map-code", data.code);
      el.setAttribute("data-map-regions", String(data.geojson.features.length));
      crumbs(data);
      table(data);
    }

    function load(code) {
      el.setAttribute("aria-busy", "true");
      return fetch("/overview/map/" + encodeURIComponent(code) + ".json", { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error("map " + r.status); } return r.json(); })
        .then(draw)
        .finally(function () { el.removeAttribute("aria-busy"); });
    }

    map.on("click", function (p) {
      var r = current && current.regions.filter(function (x) { return x.code === p.name; })[0];
      if (!r) { return; }
      if (r.drillable) { load(r.code); } else { window.location.href = "/watchlist?region=" + r.code; }
    });
    el.swLoad = load;
    load(el.getAttribute("data-map-start"));
  }

  function radar(el) {
    var data = json(el, "data-radar");
    if (!data.axes.length) { return; }
    chart(el).setOption({
      tooltip: {},
      radar: { indicator: data.axes.map(function (a, i) { return { name: a, max: data.max[i] }; }),
        radius: "65%" },
      series: [{ type: "radar", data: [{ name: data.name, value: data.values }],
        areaStyle: { opacity: 0.25 }, color: GRADE.red }]
    });
  }

  function history(el) {
    var data = json(el, "data-history");
    chart(el).setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 16, bottom: 28 },
      xAxis: { type: "category", data: data.dates },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [{ name: data.name, type: "line", data: data.values, color: "#0b5cad",
        showSymbol: true, symbolSize: 8 }]
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-trend]").forEach(trend);
    document.querySelectorAll("[data-declines]").forEach(declines);
    document.querySelectorAll("[data-map]").forEach(riskMap);
    document.querySelectorAll("[data-radar]").forEach(radar);
    document.querySelectorAll("[data-history]").forEach(history);
  });
})();
