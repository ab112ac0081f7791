/* The map's own container: the last .geomap-map before this script that no other copy of a
   map has taken (so identical copies of one fragment each find theirs); a copy whose id is
   already on the page gets a suffix, so that ids stay unique in the document. */
var geomapContainer = (function (script) {
    var found = null, all = document.querySelectorAll(".geomap-map");
    for (var i = 0; i < all.length; i++) {
        var before = !script || (all[i].compareDocumentPosition(script) & Node.DOCUMENT_POSITION_FOLLOWING);
        if (!all[i].geomapTaken && before) { found = all[i]; }
    }
    found.geomapTaken = true;
    if (found.id && document.getElementById(found.id) !== found) {
        var base = found.id, n = 2;
        while (document.getElementById(base + "-" + n)) { n++; }
        found.id = base + "-" + n;
    }
    return found;
})(document.currentScript);
