/* A map page as one standalone SVG document (geomap's SVG export): geomapSvg() walks the
   first map's container in painting order (siblings by z-index, as the browser stacks them)
   and writes what it sees: Leaflet's own SVG layers and the inline SVG symbols, cloned with
   their computed styles written in; boxes with a background or border as rectangles; text as
   SVG text, line by line as the browser laid it out, with its halo as a stroke behind it.
   Tile images are left out: the figure is vector, over the offline basemap. */
(function () {
    "use strict";
    var NS = "http://www.w3.org/2000/svg";
    var SHAPE_STYLE = ["fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
                       "stroke-dasharray", "stroke-linecap", "stroke-linejoin", "opacity", "paint-order"];
    var TEXT_STYLE = ["font-family", "font-size", "font-weight", "font-style", "font-variant", "letter-spacing"];
    var origin = null, out = [], clips = 0;

    function esc(text) {
        return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    }
    function num(x) { return Math.round(x * 100) / 100; }
    function visible(style) {
        return style.display !== "none" && style.visibility !== "hidden" && parseFloat(style.opacity) > 0;
    }
    function transparent(colour) { return !colour || colour === "transparent" || /rgba\(.*,\s*0\)$/.test(colour); }
    // Lengths in user units (the document's px), which every SVG reader takes.
    function unitless(value) { return String(value).replace(/(\d)px/g, "$1"); }
    function attrs(style, names) {
        return names.map(function (n) {
            var v = unitless(style.getPropertyValue(n));
            return v && v !== "normal" && v !== "none" || n === "fill" || n === "stroke" ? " " + n + '="' + esc(v) + '"' : "";
        }).join("");
    }

    // An inline SVG (Leaflet's layers, a marker's glyph, the locator): cloned, at its place,
    // every descendant's computed style written as attributes.
    function svgElement(el) {
        var box = el.getBoundingClientRect();
        if (!box.width || !box.height) { return; }
        var clone = el.cloneNode(true);
        var originals = el.querySelectorAll("*"), copies = clone.querySelectorAll("*");
        for (var i = 0; i < originals.length; i++) {
            var style = getComputedStyle(originals[i]);
            if (!visible(style)) { copies[i].setAttribute("display", "none"); continue; }
            SHAPE_STYLE.concat(TEXT_STYLE).forEach(function (n) {
                var v = unitless(style.getPropertyValue(n));
                if (v) { copies[i].setAttribute(n, v); }
            });
            copies[i].removeAttribute("class");
            copies[i].removeAttribute("style");
            copies[i].removeAttribute("tabindex");
        }
        var view = el.getAttribute("viewBox") || ("0 0 " + (el.width.baseVal.value || box.width) + " " +
                                                  (el.height.baseVal.value || box.height));
        var inner = new XMLSerializer().serializeToString(clone).replace(/^<svg[^>]*>/, "").replace(/<\/svg>$/, "");
        out.push('<svg x="' + num(box.left - origin.left) + '" y="' + num(box.top - origin.top) + '" width="' +
                 num(box.width) + '" height="' + num(box.height) + '" viewBox="' + esc(view) +
                 '"' + (getComputedStyle(el).overflow === "visible" ? ' overflow="visible"' : "") + ">" + inner + "</svg>");
    }

    function boxElement(el, style) {
        var bg = style.backgroundColor, border = parseFloat(style.borderTopWidth) || 0;
        var borderColour = style.borderTopColor;
        if (transparent(bg) && !(border && style.borderTopStyle !== "none" && !transparent(borderColour))) { return; }
        var box = el.getBoundingClientRect();
        if (!box.width || !box.height) { return; }
        var radius = parseFloat(style.borderTopLeftRadius) || 0;
        out.push('<rect x="' + num(box.left - origin.left + border / 2) + '" y="' + num(box.top - origin.top + border / 2) +
                 '" width="' + num(box.width - border) + '" height="' + num(box.height - border) + '" rx="' + num(radius) +
                 '" fill="' + esc(transparent(bg) ? "none" : bg) + '"' +
                 (border && style.borderTopStyle !== "none" ? ' stroke="' + esc(borderColour) + '" stroke-width="' + border + '"' : "") +
                 "/>");
    }

    function halo(style) {
        var shadow = style.textShadow;
        if (!shadow || shadow === "none") { return ""; }
        var colour = shadow.match(/rgba?\([^)]*\)|#[0-9a-f]+/i);
        return colour ? ' stroke="' + esc(colour[0]) + '" stroke-width="3" stroke-linejoin="round" paint-order="stroke"' : "";
    }

    function cased(text, style) {
        if (style.textTransform === "uppercase") { return text.toUpperCase(); }
        if (style.textTransform === "lowercase") { return text.toLowerCase(); }
        return text;
    }

    // A text node, line by line as laid out: its words measured, grouped by their line.
    function textNode(node, style, rotation) {
        var text = node.textContent;
        if (!text.trim()) { return; }
        var size = parseFloat(style.fontSize), lines = [], range = document.createRange();
        var re = /\S+/g, m;
        while ((m = re.exec(text))) {
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            var rect = range.getBoundingClientRect();
            if (!rect.width) { continue; }
            var line = lines.length && Math.abs(lines[lines.length - 1].top - rect.top) < size / 2 ? lines[lines.length - 1] : null;
            if (!line) { line = {top: rect.top, bottom: rect.bottom, left: rect.left, words: []}; lines.push(line); }
            line.words.push(m[0]);
            line.right = rect.right;
        }
        var paint = attrs(style, TEXT_STYLE) + ' fill="' + esc(style.color) + '"' + halo(style);
        lines.forEach(function (line) {
            var words = cased(line.words.join(" "), style);
            var x = line.left - origin.left, y = (line.top + line.bottom) / 2 - origin.top + size * 0.35;
            if (rotation) {
                var cx = (line.left + line.right) / 2 - origin.left, cy = (line.top + line.bottom) / 2 - origin.top;
                out.push('<text x="' + num(cx) + '" y="' + num(cy + size * 0.35) + '" text-anchor="middle" transform="rotate(' +
                         num(rotation) + " " + num(cx) + " " + num(cy) + ')"' + paint + ">" + esc(words) + "</text>");
            } else {
                out.push('<text x="' + num(x) + '" y="' + num(y) + '" textLength="' + num(line.right - line.left) +
                         '" lengthAdjust="spacingAndGlyphs"' + paint + ">" + esc(words) + "</text>");
            }
        });
    }

    function rotationOf(style) {
        var t = style.transform;
        if (!t || t === "none") { return 0; }
        var v = t.match(/matrix\(([^)]+)\)/);
        if (!v) { return 0; }
        var p = v[1].split(",").map(parseFloat);
        var angle = Math.atan2(p[1], p[0]) * 180 / Math.PI;
        return Math.abs(angle) > 0.5 ? angle : 0;
    }

    // Where an element is painted among its siblings: its z-index, or, when it has none (its
    // children then stack with its siblings, as Leaflet's corners of controls do), the highest
    // of its children's. An approximation of CSS stacking that holds for Leaflet's panes.
    function stackLevel(el, depth) {
        var z = parseInt(getComputedStyle(el).zIndex, 10);
        if (!isNaN(z)) { return z; }
        var top = 0;
        if (depth > 0) {
            Array.prototype.forEach.call(el.children, function (child) { top = Math.max(top, stackLevel(child, depth - 1)); });
        }
        return top;
    }

    function walk(el, rotation) {
        var style = getComputedStyle(el);
        if (!visible(style) || (el.checkVisibility && !el.checkVisibility())) { return; }  // e.g. a closed <details>
        if (el.tagName.toLowerCase() === "img") { return; }  // tiles: raster, left out
        rotation = rotation + rotationOf(style);
        boxElement(el, style);
        var clipped = style.overflowX !== "visible" || style.overflowY !== "visible";
        if (clipped) {
            var box = el.getBoundingClientRect(), id = "geomap-clip-" + (clips++);
            out.push('<clipPath id="' + id + '"><rect x="' + num(box.left - origin.left) + '" y="' + num(box.top - origin.top) +
                     '" width="' + num(box.width) + '" height="' + num(box.height) + '"/></clipPath><g clip-path="url(#' + id + ')">');
        }
        var children = Array.prototype.map.call(el.childNodes, function (node, i) {
            return {node: node, z: node.nodeType === 1 ? stackLevel(node, 2) : 0, i: i};
        }).sort(function (a, b) { return a.z - b.z || a.i - b.i; });
        children.forEach(function (child) {
            var node = child.node;
            if (node.nodeType === 3) { textNode(node, style, rotation); }
            else if (node.nodeType === 1 && node.namespaceURI === NS) {
                if (visible(getComputedStyle(node)) && (!node.checkVisibility || node.checkVisibility())) { svgElement(node); }
            }
            else if (node.nodeType === 1) { walk(node, rotation); }
        });
        if (clipped) { out.push("</g>"); }
    }

    window.geomapSvg = function () {
        var container = document.querySelector(".geomap-map");
        origin = container.getBoundingClientRect();
        out = [];
        clips = 0;
        walk(container, 0);
        var title = document.title || "Map";
        var bg = getComputedStyle(container).backgroundColor;
        return '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="' + NS + '" xmlns:xlink="http://www.w3.org/1999/xlink" width="' +
               num(origin.width) + '" height="' + num(origin.height) + '" viewBox="0 0 ' + num(origin.width) + " " +
               num(origin.height) + '" font-family="sans-serif"><title>' + esc(title) + "</title>" +
               '<rect width="100%" height="100%" fill="' + esc(bg) + '"/>' + out.join("\n") + "</svg>\n";
    };
})();
