// smokewatch: an entity's company family (ECharts graph) that grows when a node is expanded.
// No inline script (CSP): the page names the JSON endpoint and carries its words in
// data-graph-labels; the answer is already masked and limited to the user's territory.
(function () {
  "use strict";
  var GRADE = { red: "#c62828", orange: "#ef6c00", yellow: "#f9a825", blue: "#1565c0" };
  var EDGE = {
    owns: "#0b5cad", legal_representative: "#6a1b9a", director: "#8e24aa", supervisor: "#ab47bc",
    manager: "#ba68c8", partner: "#7b1fa2", has_phone: "#00897b", has_address: "#43a047",
    transfers: "#d81b60"
  };
  var SHAPE = { enterprise: "circle", person: "diamond", phone: "rect", address: "triangle" };

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, k) { return String(values[k]); });
  }
  function text(tag, value, cls) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (cls) { node.className = cls; }
    return node;
  }

  function familyGraph(el) {
    var labels = JSON.parse(el.getAttribute("data-graph-labels"));
    var src = el.getAttribute("data-graph-src");
    var note = document.querySelector("[data-graph-note]");
    var body = document.querySelector("[data-graph-table] tbody");
    var chart = echarts.init(el);
    var nodes = {}, order = [], edges = {}, expanded = {}, family = null, lastAdded = null;
    window.addEventListener("resize", function () { chart.resize(); });

    function name(n) { return n.hidden ? labels.hidden : (n.label || n.id || String(n.key)); }
    function colour(n) {
      if (n.hidden) { return "#cfd8dc"; }
      if (n.kind !== "enterprise") { return "#90a4ae"; }
      return GRADE[n.grade] || "#5b6776";
    }
    function count(map) { return Object.keys(map).length; }

    function merge(data, parentHop) {
      var added = 0;
      data.nodes.forEach(function (n) {
        if (nodes[n.key]) { return; }
        nodes[n.key] = Object.assign({}, n, { hop: parentHop + n.hop });
        order.push(n.key);
        added += 1;
      });
      data.edges.forEach(function (e) { edges[e.source + ">" + e.target + ">" + e.kind] = e; });
      return added;
    }

    function status() {
      if (!family.available || family.reason) {
        note.textContent = document.documentElement.lang === "en" ? family.reason.en : family.reason.zh;
        return;
      }
      var total = family.family.nodes, shown = order.length, parts = [];
      parts.push(shown >= total ? fmt(labels.all, { total: total })
        : fmt(labels.more, { shown: shown, total: total, more: total - shown }));
      if (family.family.edges_published < family.family.edges) {
        parts.push(fmt(labels.cut, { edges: family.family.edges, published: family.family.edges_published }));
      }
      if (lastAdded !== null) { parts.push(fmt(labels.added, { n: lastAdded })); }
      note.textContent = parts.join(" ");
      el.setAttribute("data-graph-more", String(total - shown));
    }

    function table() {
      body.replaceChildren();
      order.forEach(function (key) {
        var n = nodes[key], row = document.createElement("tr"), cell = document.createElement("td");
        if (n.record && !n.root) {
          var link = text("a", name(n));
          link.href = "/entities/" + encodeURIComponent(n.record);
          cell.appendChild(link);
        } else {
          cell.appendChild(text(n.root ? "strong" : "span", name(n)));
        }
        row.appendChild(cell);
        row.appendChild(text("td", labels.nodes[n.kind] || n.kind));
        row.appendChild(text("td", n.grade ? labels.grades[n.grade] || n.grade : ""));
        row.appendChild(text("td", String(n.hop)));
        var act = document.createElement("td");
        if (!n.hidden) {
          var button = text("button", expanded[key] ? labels.expanded : labels.expand, "link");
          button.type = "button";
          button.disabled = !!expanded[key];
          button.setAttribute("data-expand", String(key));
          button.setAttribute("aria-label", labels.expand + " " + name(n));
          button.addEventListener("click", function () { expand(key); });
          act.appendChild(button);
        }
        row.appendChild(act);
        body.appendChild(row);
      });
    }

    function draw() {
      var links = Object.keys(edges).map(function (k) { return edges[k]; });
      chart.setOption({
        tooltip: {
          formatter: function (p) {
            if (p.dataType === "edge") {
              var e = p.data.edge, line = labels.kinds[e.kind] || e.kind;
              if (e.kind === "owns" && e.weight !== null) { line += " " + Math.round(e.weight * 1000) / 10 + "%"; }
              return echarts.format.encodeHTML(line + (e.label && e.kind !== "owns" ? " · " + e.label : ""));
            }
            var n = nodes[p.data.id];
            var parts = [name(n), labels.nodes[n.kind] || n.kind];
            if (n.grade) { parts.push(labels.grades[n.grade] || n.grade); }
            return parts.map(echarts.format.encodeHTML).join("<br>");
          }
        },
        series: [{
          type: "graph", layout: "force", roam: true, draggable: true,
          force: { repulsion: 220, edgeLength: [50, 110], gravity: 0.08 },
          label: { show: true, position: "right", fontSize: 11,
            formatter: function (p) { var n = nodes[p.data.id]; return n.kind === "enterprise" || n.root ? p.name : ""; } },
          edgeSymbol: ["none", "arrow"], edgeSymbolSize: 6,
          data: order.map(function (key) {
            var n = nodes[key];
            return {
              id: String(key), name: name(n), symbol: SHAPE[n.kind] || "circle",
              symbolSize: n.root ? 30 : (n.kind === "enterprise" ? 18 : 11),
              itemStyle: { color: colour(n), borderColor: n.root ? "#102a43" : "#fff", borderWidth: n.root ? 3 : 1 }
            };
          }),
          links: links.map(function (e) {
            return {
              source: String(e.source), target: String(e.target), edge: e,
              lineStyle: {
                color: EDGE[e.kind] || "#999", curveness: 0.08,
                type: e.kind === "has_phone" || e.kind === "has_address" ? "dashed" : "solid",
                width: e.kind === "owns" ? 1 + 3 * Math.min(1, e.weight || 0) : 1.4
              }
            };
          })
        }]
      });
      el.setAttribute("data-graph-nodes", String(order.length));
      el.setAttribute("data-graph-edges", String(links.length));
      el.setAttribute("data-graph-expanded", String(count(expanded)));
      table();
      status();
    }

    function expand(key) {
      var n = nodes[key];
      if (!n || n.hidden || expanded[key]) { return; }
      expanded[key] = true;
      el.setAttribute("aria-busy", "true");
      fetch(src + "?around=" + encodeURIComponent(key), { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error("graph " + r.status); } return r.json(); })
        .then(function (data) { lastAdded = merge(data, n.hop); draw(); })
        .catch(function () { delete expanded[key]; })
        .finally(function () { el.removeAttribute("aria-busy"); });
    }

    chart.on("click", function (p) {
      if (p.dataType === "node") { expand(Number(p.data.id)); }
    });
    fetch(src, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error("graph " + r.status); } return r.json(); })
      .then(function (data) {
        family = data;
        merge(data, 0);
        if (data.around !== null) { expanded[data.around] = true; }
        draw();
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-graph-src]").forEach(familyGraph);
  });
})();
