(function (map) {
    var container = map.getContainer();
    var steps = ["geomap-compact-1", "geomap-compact-2"];
    function overlap(side) {
        var top = container.querySelector(".leaflet-top.leaflet-" + side);
        var bottom = container.querySelector(".leaflet-bottom.leaflet-" + side);
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
