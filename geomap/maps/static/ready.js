/* When a map is ready to be pictured (geomap's PNG, PDF and SVG export wait for it):
   window.geomapReady(ms) settles every map of the page and resolves to a report per map.
   A tile layer still loading after ms milliseconds, or missing tiles, is taken off the map,
   so that the figure shows the offline basemap beneath it whole rather than a patchwork;
   then come web fonts and the labels placed after them. */
(function () {
    "use strict";
    if (window.geomapReady) { return; }
    var maps = [];

    function settleTiles(map, ms) {
        var layers = [];
        map.eachLayer(function (layer) { if (layer instanceof L.TileLayer) { layers.push(layer); } });
        if (!layers.length) { return Promise.resolve("none"); }
        return Promise.all(layers.map(function (layer) {
            return new Promise(function (resolve) {
                var timer = null;
                function broken() {
                    var images = layer.getContainer() ? layer.getContainer().querySelectorAll("img") : [];
                    return Array.prototype.some.call(images, function (img) { return img.complete && !img.naturalWidth; });
                }
                function done(state) {
                    clearTimeout(timer);
                    layer.off("load", loaded);
                    if (state !== "loaded") { map.removeLayer(layer); }
                    resolve(state);
                }
                function loaded() { done(broken() ? "failed" : "loaded"); }
                layer.on("load", loaded);
                timer = setTimeout(function () { done(broken() ? "failed" : "timeout"); }, ms);
                if (!layer.isLoading()) { loaded(); }
            });
        })).then(function (states) {
            return states.filter(function (s) { return s !== "loaded"; })[0] || "loaded";
        });
    }

    function frames() {
        return new Promise(function (resolve) {
            setTimeout(function () {
                requestAnimationFrame(function () { requestAnimationFrame(function () { resolve(); }); });
            }, 0);
        });
    }

    // Scripts outside the map's own (tests, a host page) reach it as its container's .geomap.
    window.geomapRegister = function (map) {
        maps.push(map);
        map.getContainer().geomap = map;
    };
    window.geomapReady = function (ms) {
        // Web fonts, if a page has any (geomap's use the system's); fonts.ready also waits for the
        // page's load event, which an image that never comes (a tile) holds back: not for long.
        var fonts = Promise.race([document.fonts ? document.fonts.ready : null,
                                  new Promise(function (resolve) { setTimeout(resolve, 300); })]);
        return Promise.all(maps.map(function (map) {
            return settleTiles(map, ms).then(function (tiles) {
                return fonts.then(frames).then(function () {
                    map.fire("geomaplabels");
                    return frames();
                }).then(function () { return {id: map.getContainer().id, tiles: tiles}; });
            });
        }));
    };
})();
