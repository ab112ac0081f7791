/* geomap's offline basemap (geomap/maps/basemap.py): land, water, borders and names drawn
   under a Leaflet map's own layers, in two panes below the tile pane (so tiles, when they
   load, cover it), never interactive. Colours and fonts are in basemap.css.

   geomapBasemap(map, data) draws the FeatureCollection of Basemap.geojson() and returns its
   layer group. geomapBasemap.declutter(map) hides the basemap labels that overlap the map's
   own markers, labels and panels (theirs win), an earlier, more important basemap label, or the
   map's edge (the data was chosen for one size of map; a page may open at another size and
   zoom). It runs again after every zoom, once the map's own labels have been placed (they fire
   "geomaplabels"). */
(function () {
  "use strict";
  if (window.geomapBasemap) { return; }
  var PANES = [["geomapBaseGround", 150], ["geomapBaseLabels", 160]];
  var FILLED = {land: true, lakes: true};
  // The map's own markers, labels (labels.js' labels and leader lines) and panels.
  var OWN = ".leaflet-marker-pane .leaflet-marker-icon, .geomap-lbl, .geomap-lbl-leader, .leaflet-control";

  function addPanes(map) {
    PANES.forEach(function (spec) {
      if (!map.getPane(spec[0])) {
        var pane = map.createPane(spec[0]);
        pane.style.zIndex = spec[1];
        pane.style.pointerEvents = "none";
      }
    });
  }

  function labelIcon(props) {
    var box = document.createElement("div");
    if (props.kind === "town" || props.kind === "capital") {
      var dot = document.createElement("span");
      dot.className = "geomap-bm-dot";
      box.appendChild(dot);
    }
    var text = document.createElement("span");
    text.className = "geomap-bm-text geomap-bm-" + props.anchor;
    props.lines.forEach(function (line, i) {
      if (i) { text.appendChild(document.createElement("br")); }
      text.appendChild(document.createTextNode(line));
    });
    box.appendChild(text);
    return L.divIcon({
      html: box, iconSize: [0, 0],
      className: "geomap-bm-label geomap-bm-" + props.kind + " geomap-bm-size" + props.size
    });
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  window.geomapBasemap = function (map, data) {
    addPanes(map);
    var group = L.layerGroup();
    var renderer = L.svg({pane: "geomapBaseGround", padding: 0.5});
    L.geoJSON(data, {
      filter: function (f) { return f.properties.layer !== "label"; },
      style: function (f) {
        var layer = f.properties.layer;
        return {
          className: "geomap-bm-" + layer + (layer === "rivers" ? " geomap-bm-rivers" + f.properties.rank : ""),
          fill: !!FILLED[layer]
        };
      },
      renderer: renderer, pane: "geomapBaseGround", interactive: false
    }).addTo(group);
    data.features.forEach(function (f) {
      if (f.properties.layer === "label") {
        var c = f.geometry.coordinates;
        L.marker([c[1], c[0]], {
          icon: labelIcon(f.properties), interactive: false, keyboard: false, pane: "geomapBaseLabels"
        }).addTo(group);
      }
    });
    map.getContainer().classList.add("geomap-bm");
    group.addTo(map);
    // After every view change, and again once the map's own labels are placed on theirs
    // (labels.js fires "geomaplabels" when it is done): the last word is the story's.
    map.on("zoomend moveend resize geomaplabels", function () {
      setTimeout(function () { window.geomapBasemap.declutter(map); }, 0);
    });
    return group;
  };

  window.geomapBasemap.declutter = function (map) {
    var root = map.getContainer();
    var frame = root.getBoundingClientRect();  // a name cut by the map's edge is hidden too
    var own = [];
    root.querySelectorAll(OWN).forEach(function (el) {
      var box = el.getBoundingClientRect();
      if (getComputedStyle(el).visibility !== "hidden" && box.width > 0) { own.push(box); }
    });
    root.querySelectorAll(".geomap-bm-label").forEach(function (label) {
      label.style.visibility = "";
      var boxes = Array.prototype.map.call(label.querySelectorAll("span"), function (part) {
        return part.getBoundingClientRect();
      });
      var hit = boxes.some(function (box) {
        var cut = box.left < frame.left || box.top < frame.top || box.right > frame.right || box.bottom > frame.bottom;
        return cut || own.some(function (other) { return overlaps(box, other); });
      });
      if (hit) {
        label.style.visibility = "hidden";
      } else {
        own.push.apply(own, boxes);
      }
    });
  };
})();
