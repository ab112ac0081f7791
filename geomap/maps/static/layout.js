(function (map) {
    var container = map.getContainer();
    var steps = ["geomap-compact-1", "geomap-compact-2"];
    function overlap(side) {
        // The map's own corners, not those of a map inside one of its panels (the detail inset).
        var corners = ":scope > .leaflet-control-container > .leaflet-";
        var top = container.querySelector(corners + "top.leaflet-" + side);
        var bottom = container.querySelector(corners + "bottom.leaflet-" + side);
        return top && bottom && top.getBoundingClientRect().bottom + 8 > bottom.getBoundingClientRect().top;
    }
    function layout() {
        steps.forEach(function (step) { container.classList.remove(step); });
        for (var i = 0; i < steps.length && (overlap("right") || overlap("left")); i++) {
            container.classList.add(steps[i]);
        }
    }
    map.on("resize zoomend", layout);
    map.whenReady(function () { setTimeout(layout, 0); });
})({parent});
