(function (group) {
    function overlaps(a, b) {
        return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    }
    function declutter() {
        var kept = [];
        group.eachLayer(function (marker) {
            var tip = marker.getTooltip(), el = tip && tip.getElement();
            if (!el) { return; }
            el.style.visibility = "";
            var box = el.getBoundingClientRect(), icon = marker.getElement().getBoundingClientRect();
            if (kept.some(function (other) { return overlaps(box, other); })) {
                el.style.visibility = "hidden";
            } else {
                kept.push(box);
            }
            kept.push(icon);
        });
        if (group._map) { group._map.fire("geomaplabels"); }  // the basemap's names give way to these
    }
    function hook() {
        if (group._map && !group.geomapHooked) {
            group._map.on("zoomend moveend", declutter);
            group.geomapHooked = true;
        }
        declutter();
    }
    group.on("add", hook);
    setTimeout(hook, 0);
})({parent});
