/*
 * geomap's label placer for Leaflet: every place in the frame labelled, no two labels
 * overlapping, no label over a marker symbol, a panel or the frame's edge.
 *
 *   var labels = GeomapLabels.attach(map, items, options);
 *
 * items, in any order (priority says which matter most: the number of mentions):
 *   {id, text, kind: "point", latlng: [lat, lon], size: [w, h], priority, offset?, short?, className?}
 *       a marker's label. size: the drawn symbol's extent in pixels, centred on latlng
 *       (offset: [dx, dy] moves that centre); empty text makes the symbol an obstacle only.
 *   {id, text, kind: "area", latlng?: [lat, lon], rings?: [[[lat, lon], ...], ...], priority, className?}
 *       text on an area, no marker. latlng: the best spot for the opening view (the pole of
 *       inaccessibility of the part in view, computed server-side) or, with no outline, the
 *       area's point; rings (outer rings and holes, simplified): the placer then finds the
 *       middle of whatever part is in view after a zoom or pan and keeps the text inside it.
 *   {id, text, kind: "line", line: [[lat, lon], ...], priority, className?}
 *       a river's name, once, beside the line given (the stretch in view, simplified to
 *       about a pixel: the text keeps 4 px from it).
 *   short: the abbreviation to use as a last resort (default: the first letters and ".").
 *   className: extra classes. Areas look like countries (grey spaced capitals) unless given
 *   geomap-lbl-region (green italics), geomap-lbl-district (a part of a city: purple, bold)
 *   or geomap-lbl-water (blue italics, for lakes and seas); geomap-lbl-major sets a town's
 *   name 13 px bold (the story's main place).
 *   target: the Leaflet layer the label stands for (a marker, a river's GeoJSON layer). While
 *   it is off the map (its layer switched off) or its element is hidden (display: none, as the
 *   detail inset does to the parts of a city it shows instead), the label is withheld and its
 *   symbol is no obstacle. An area's target (an empty marker that takes the keyboard focus and
 *   the clicks for the name) is moved onto the label and given its size, so that its focus
 *   outline surrounds the text; with no label, it goes back to latlng with no size.
 * options: {gap: 3, margin: 4, obstacles: ".leaflet-control", pane: "geomapLabels", zIndex: 640}
 *   gap: pixels between a symbol and its label; margin: kept free along the frame's edge;
 *   obstacles: a selector, within the map, of the panels labels keep off.
 * Returns {place(), report(), remove()}.
 *
 * Placement runs after the calling script, again when web fonts are ready and after every
 * zoom, pan, resize or overlay switched on or off. It is greedy in a fixed order, so the same items and view always
 * give the same layout:
 *   1. rivers, where a stretch of the line is clear of every marker: flat and central first;
 *   2. towns by priority, each at the cheapest free spot around its marker: right, left,
 *      above, below, the diagonals; a spot crossing a river line, lying nearer another
 *      marker than its own, or (in a stack of markers) facing the others costs more, more
 *      than the first ring of spots farther out with a thin leader line (16 directions, up
 *      to 64 px out); if a single placed label is in the way, it moves to another spot of
 *      its own;
 *   3. the rivers left, beside the line wherever the towns' labels leave room;
 *   4. areas by priority: inside the visible outline, clear of other labels and river
 *      lines if possible; long names on two lines.
 * Only when nothing fits is a label set smaller, then abbreviated (full name in its title),
 * and only then hidden. A town, or an area with no outline, whose point is beyond the map's
 * edge or under a panel is off-frame. Each label says how it was placed: data-label-how (near, leader,
 * line, area, hidden, off-frame, withheld), data-label-position, data-label-fit (full, shrunk,
 * abbreviated); the map container sums them up in data-geomap-labels ("area:3 near:12").
 * After every placement the map fires "geomaplabels": the offline basemap (basemap.js) then
 * hides its own names under these, so that the story's labels always win.
 *
 * Labels are plain DOM text (textContent, never markup) in a pane of their own, so that
 * they can be selected and read by screen readers. All state is per map: any number of
 * maps, and any number of copies of this file, can share one page.
 */
(function (root) {
    "use strict";
    if (root.GeomapLabels) {
        return;
    }

    var STYLE_MARK = "data-geomap-labels-style";
    var HALO = "0 0 1px #fff,-1px -1px 0 #fff,1px -1px 0 #fff,-1px 1px 0 #fff,1px 1px 0 #fff," +
        "0 -1px 0 #fff,0 1px 0 #fff,-1px 0 0 #fff,1px 0 0 #fff,0 0 3px #fff";
    // Every rule starts at the map container, with the weight of an id: a host page's rules
    // ("#main div {...}") do not reach the labels.
    var SCOPE = ":is(.leaflet-container,#geomap-scope) ";
    var STYLE = [
        ".geomap-lbl{position:absolute;left:0;top:0;margin:0;padding:0 1px;box-sizing:border-box;white-space:pre;",
        "font:600 12px/15px system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;",
        "color:#1b1b1b;text-shadow:" + HALO + ";letter-spacing:0;text-transform:none;text-align:left;",
        "background:none;border:0;pointer-events:none;user-select:text}",
        ".geomap-lbl-major{font-size:13px;line-height:16px;font-weight:700}",
        ".geomap-lbl-area{text-align:center;text-transform:uppercase;letter-spacing:.12em;color:#5c5c5c;",
        "font-size:12px;line-height:14px}",
        ".geomap-lbl-region{letter-spacing:.08em;color:#43705c;font-style:italic;text-transform:none;font-size:12px}",
        ".geomap-lbl-district{letter-spacing:0;color:#7d2f5f;text-transform:none;font-weight:700}",
        ".geomap-lbl-line,.geomap-lbl-water{font-style:italic;color:#0b5a91}",
        ".geomap-lbl-water{text-transform:none;letter-spacing:.04em}",
        ".geomap-lbl-leader{position:absolute;left:0;top:0;height:1px;background:#4a4a4a;transform-origin:0 0;",
        "pointer-events:none}"
    ].join("").replace(/(^|\})([^{]+)\{/g, function (all, end, selectors) {
        return end + selectors.split(",").map(function (s) { return SCOPE + s; }).join(",") + "{";
    });

    // Positions around a marker, in order of preference: [name, x, y] of the side.
    var NEAR = [["e", 1, 0], ["w", -1, 0], ["n", 0, -1], ["s", 0, 1],
                ["ne", 1, -1], ["nw", -1, -1], ["se", 1, 1], ["sw", -1, 1]];
    // Directions of leader lines: the eight above and the eight between them.
    var LEADERS = NEAR.concat([["ene", 2, -1], ["wnw", -2, -1], ["ese", 2, 1], ["wsw", -2, 1],
                               ["nne", 1, -2], ["nnw", -1, -2], ["sse", 1, 2], ["ssw", -1, 2]]);
    // Distances beyond the near positions (pixels) at which a label goes with a leader line,
    // each ring of positions costing LEADER_COST more than the one inside it.
    var LEADER_STEPS = [12, 22, 34, 48, 64], LEADER_COST = 10;
    var SHRINK = 0.84;
    // A river label steeper than FLAT costs as much as going half the visible stretch away
    // from its middle, and twice that when vertical.
    var FLAT = 30 * Math.PI / 180;
    // How far (px) a river label placed before the towns keeps from every marker: this far
    // if it can, else at least that far.
    var LINE_CLEARANCE = [24, 8];
    // Costs added to a position around a marker: crossing a river line; lying nearer
    // another marker than its own (worse than a short leader line).
    var SOFT_COST = 8, AMBIGUOUS_COST = 12;
    // Cost of the side of a marker facing the middle of a cluster of overlapping markers
    // (East Mosul's label on the west of the city): more than a short leader line.
    var CLUSTER_COST = 12;
    // Area names longer than this go on two lines first.
    var LONG_NAME = 14;
    // Room kept, where there is some, between an area's name and the labels around it.
    var AREA_CLEARANCE = 8;
    // An area's name with no outline may drift this many rings of DRIFT line heights from its point.
    var DRIFT_RINGS = 5, DRIFT = 1.2;

    // Oriented boxes: centre (x, y), half width and height, cos and sin of the angle.
    function box(left, top, w, h) {
        return {x: left + w / 2, y: top + h / 2, hw: w / 2, hh: h / 2, c: 1, s: 0};
    }

    function segmentBox(a, b, thickness) {
        var dx = b[0] - a[0], dy = b[1] - a[1], len = Math.sqrt(dx * dx + dy * dy) || 1e-9;
        return {x: (a[0] + b[0]) / 2, y: (a[1] + b[1]) / 2, hw: len / 2, hh: thickness / 2, c: dx / len, s: dy / len};
    }

    function unit(d) {
        var len = Math.sqrt(d[1] * d[1] + d[2] * d[2]);
        return [d[1] / len, d[2] / len];
    }

    // Distance from a point to an unrotated box.
    function boxDistance(b, p) {
        var dx = Math.max(0, Math.abs(p[0] - b.x) - b.hw), dy = Math.max(0, Math.abs(p[1] - b.y) - b.hh);
        return Math.sqrt(dx * dx + dy * dy);
    }

    function corners(b) {
        var out = [], i, sx, sy;
        for (i = 0; i < 4; i++) {
            sx = i === 0 || i === 3 ? -1 : 1;
            sy = i < 2 ? -1 : 1;
            out.push([b.x + sx * b.hw * b.c - sy * b.hh * b.s, b.y + sx * b.hw * b.s + sy * b.hh * b.c]);
        }
        return out;
    }

    // Separating axis test of two oriented boxes; touching is not overlapping.
    function overlap(a, b) {
        var axes = [a.c, a.s, -a.s, a.c, b.c, b.s, -b.s, b.c], dx = b.x - a.x, dy = b.y - a.y, i, ux, uy;
        if (Math.abs(dx) > a.hw + a.hh + b.hw + b.hh || Math.abs(dy) > a.hw + a.hh + b.hw + b.hh) {
            return false;
        }
        for (i = 0; i < 8; i += 2) {
            ux = axes[i];
            uy = axes[i + 1];
            if (Math.abs(dx * ux + dy * uy) >= extent(a, ux, uy) + extent(b, ux, uy) - 1e-6) {
                return false;
            }
        }
        return true;
    }

    function extent(b, ux, uy) {
        return b.hw * Math.abs(b.c * ux + b.s * uy) + b.hh * Math.abs(-b.s * ux + b.c * uy);
    }

    function within(b, frame) {
        return corners(b).every(function (p) {
            return p[0] >= frame.left && p[0] <= frame.right && p[1] >= frame.top && p[1] <= frame.bottom;
        });
    }

    // Even-odd test over all rings, so that holes and several polygons work.
    function inside(p, rings) {
        var hit = false, r, i, j, ring, a, b;
        for (r = 0; r < rings.length; r++) {
            ring = rings[r];
            for (i = 0, j = ring.length - 1; i < ring.length; j = i++) {
                a = ring[i];
                b = ring[j];
                if ((a[1] > p[1]) !== (b[1] > p[1]) && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]) {
                    hit = !hit;
                }
            }
        }
        return hit;
    }

    function edgeDistance(p, rings) {
        var best = Infinity, r, i, ring;
        for (r = 0; r < rings.length; r++) {
            ring = rings[r];
            for (i = 0; i < ring.length; i++) {
                best = Math.min(best, pointSegment(p, ring[i], ring[(i + 1) % ring.length]));
            }
        }
        return best;
    }

    function pointSegment(p, a, b) {
        var dx = b[0] - a[0], dy = b[1] - a[1], t = dx || dy ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) /
            (dx * dx + dy * dy) : 0;
        t = Math.max(0, Math.min(1, t));
        dx = a[0] + t * dx - p[0];
        dy = a[1] + t * dy - p[1];
        return Math.sqrt(dx * dx + dy * dy);
    }

    // Sutherland-Hodgman against the frame: what is left of a ring inside the view.
    function clipRing(ring, f) {
        var edges = [
            function (p) { return p[0] >= f.left; }, function (p) { return p[0] <= f.right; },
            function (p) { return p[1] >= f.top; }, function (p) { return p[1] <= f.bottom; }
        ];
        var cuts = [
            function (a, b) { return lerp(a, b, (f.left - a[0]) / (b[0] - a[0])); },
            function (a, b) { return lerp(a, b, (f.right - a[0]) / (b[0] - a[0])); },
            function (a, b) { return lerp(a, b, (f.top - a[1]) / (b[1] - a[1])); },
            function (a, b) { return lerp(a, b, (f.bottom - a[1]) / (b[1] - a[1])); }
        ];
        var out = ring, k, i, input, prev, cur;
        for (k = 0; k < 4 && out.length; k++) {
            input = out;
            out = [];
            for (i = 0; i < input.length; i++) {
                cur = input[i];
                prev = input[(i + input.length - 1) % input.length];
                if (edges[k](cur)) {
                    if (!edges[k](prev)) {
                        out.push(cuts[k](prev, cur));
                    }
                    out.push(cur);
                } else if (edges[k](prev)) {
                    out.push(cuts[k](prev, cur));
                }
            }
        }
        return out;
    }

    function lerp(a, b, t) {
        return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    }

    function installStyle(doc) {
        if (doc.querySelector("style[" + STYLE_MARK + "]")) {
            return;
        }
        var style = doc.createElement("style");
        style.setAttribute(STYLE_MARK, "");
        style.textContent = STYLE;
        (doc.head || doc.documentElement).appendChild(style);
    }

    function abbreviate(item) {
        if (item.short) {
            return String(item.short);
        }
        var text = String(item.text);
        return text.length > 10 ? text.slice(0, 8).replace(/\s+$/, "") + "." : text;
    }

    function attach(map, items, options) {
        var opts = options || {}, gap = opts.gap === undefined ? 3 : opts.gap;
        var margin = opts.margin === undefined ? 4 : opts.margin;
        var obstacleSelector = opts.obstacles || ".leaflet-control";
        var paneName = opts.pane || "geomapLabels";
        var container = map.getContainer(), doc = container.ownerDocument;
        var pane = map.getPane(paneName) || map.createPane(paneName);
        var pending = null, report = [];
        installStyle(doc);
        pane.style.zIndex = String(opts.zIndex || 640);
        pane.style.pointerEvents = "none";

        var entries = items.map(function (item, index) {
            var kind = item.kind === "area" || item.kind === "line" ? item.kind : "point";
            var el = null;
            if (item.text) {
                el = doc.createElement("div");
                el.className = "geomap-lbl geomap-lbl-" + kind + (item.className ? " " + item.className : "");
                el.setAttribute("data-label-id", String(item.id === undefined ? index : item.id));
                el.textContent = String(item.text);
                pane.appendChild(el);
            }
            return {item: item, index: index, kind: kind, el: el, leader: null, size: item.size || [16, 16], sizes: {},
                    font: null};
        });
        var order = entries.filter(function (e) { return e.el; }).sort(function (a, b) {
            return (b.item.priority || 0) - (a.item.priority || 0) || a.index - b.index;
        });

        function toPixel(latlng) {
            var p = map.latLngToContainerPoint(latlng);
            return [p.x, p.y];
        }

        // Whether what the label stands for is on the map and shown (see `target`).
        function shown(entry) {
            var target = entry.item.target, el = target && target.getElement && target.getElement();
            return !target || (map.hasLayer(target) && !(el && el.style.display === "none"));
        }

        // An area's target goes onto its label, as large as it (or back to its point, with no size).
        function follow(entry) {
            var target = entry.item.target, el = target && target.getElement && target.getElement();
            if (entry.kind !== "area" || !el || !target.setLatLng) {
                return;
            }
            var spot = entry.spot, w = spot ? 2 * spot.b.hw : 0, h = spot ? 2 * spot.b.hh : 0;
            if (spot) {
                target.setLatLng(map.containerPointToLatLng([spot.b.x, spot.b.y]));
            } else if (entry.item.latlng) {
                target.setLatLng(entry.item.latlng);
            }
            el.style.width = w + "px";
            el.style.height = h + "px";
            el.style.marginLeft = -w / 2 + "px";
            el.style.marginTop = -h / 2 + "px";
        }

        // A variant of a label's text (abbreviated, on two lines) at a scale, shown; its size in
        // pixels. Sizes are measured once (and again when web fonts arrive): a measurement
        // forces the browser to lay out the page.
        function setText(entry, text, scale) {
            var key = scale + "|" + text;
            if (!entry.sizes[key]) {
                unsized(entry, text, scale);
                measured(entry, key);
            }
            var size = entry.sizes[key];
            unsized(entry, text, scale);
            entry.el.style.width = size[0] + "px";
            entry.el.style.height = size[1] + "px";
            return size;
        }

        function unsized(entry, text, scale) {
            var el = entry.el;
            el.textContent = text;
            el.style.width = el.style.height = el.style.transform = el.style.display = "";
            el.style.fontSize = scale === 1 ? "" : (entry.font[0] * scale).toFixed(2) + "px";
            el.style.lineHeight = scale === 1 || !entry.font[1] ? "" : (entry.font[1] * scale).toFixed(2) + "px";
        }

        function measured(entry, key) {
            var rect = entry.el.getBoundingClientRect();
            entry.sizes[key] = [Math.ceil(rect.width), Math.ceil(rect.height)];
        }

        // The labels' own text and font, measured in one layout of the page.
        function measureAll() {
            var fresh = order.filter(function (e) { return !e.font; });
            fresh.forEach(function (e) {
                e.font = [0, 0];
                unsized(e, String(e.item.text), 1);
            });
            fresh.forEach(function (e) {
                var computed = root.getComputedStyle(e.el);
                e.font = [parseFloat(computed.fontSize), parseFloat(computed.lineHeight) || 0];
                measured(e, "1|" + String(e.item.text));
            });
        }

        function run() {
            pending = null;
            measureAll();
            var size = map.getSize(), origin = container.getBoundingClientRect();
            var frame = {left: margin, top: margin, right: size.x - margin, bottom: size.y - margin};
            var hard = [], soft = [], live = entries.filter(shown);
            entries.forEach(function (e) {
                if (e.leader) {
                    e.leader.parentNode.removeChild(e.leader);
                    e.leader = null;
                }
            });

            Array.prototype.forEach.call(container.querySelectorAll(obstacleSelector), function (el) {
                var r = el.getBoundingClientRect();
                if (r.width > 0 && r.height > 0) {
                    hard.push({b: box(r.left - origin.left - 2, r.top - origin.top - 2, r.width + 4, r.height + 4),
                               owner: null, panel: true});
                }
            });
            live.forEach(function (e) {
                if (e.kind === "point") {
                    var p = toPixel(e.item.latlng), off = e.item.offset || [0, 0];
                    e.centre = [p[0] + off[0], p[1] + off[1]];
                    e.marker = box(e.centre[0] - e.size[0] / 2, e.centre[1] - e.size[1] / 2, e.size[0], e.size[1]);
                    hard.push({b: e.marker, owner: null, marker: true});
                } else if (e.kind === "line") {
                    e.path = (e.item.line || []).map(toPixel);
                    for (var i = 1; i < e.path.length; i++) {
                        soft.push(segmentBox(e.path[i - 1], e.path[i], 3));
                    }
                }
            });

            function blockers(b, limit) {
                var found = [];
                for (var i = 0; i < hard.length && found.length < limit; i++) {
                    if (overlap(b, hard[i].b)) {
                        found.push(hard[i]);
                    }
                }
                return found;
            }

            function free(b) {
                return within(b, frame) && blockers(b, 1).length === 0;
            }

            function crossesSoft(b) {
                return soft.some(function (s) { return overlap(b, s); });
            }

            function occupy(entry, spot) {
                var b = spot.b;
                entry.spot = spot;
                // A pixel of air around each label, so that halos do not touch.
                entry.claims = [{b: {x: b.x, y: b.y, hw: b.hw + 1, hh: b.hh + 1, c: b.c, s: b.s}, owner: entry}];
                if (spot.leader) {
                    entry.claims.push({b: spot.leader, owner: entry});
                }
                hard.push.apply(hard, entry.claims);
            }

            function vacate(entry) {
                hard = hard.filter(function (o) { return o.owner !== entry; });
                entry.spot = null;
            }

            // Candidate spots of a point label (w x h) around its marker, cheapest first.
            function pointSpots(entry, w, h) {
                var c = entry.centre, rx = entry.size[0] / 2, ry = entry.size[1] / 2, near = [], far = [];
                var away = outwards(entry);
                // In a cluster of markers, the side facing away from the others is clearest.
                function side(ux, uy) {
                    return away ? CLUSTER_COST * (1 - ux * away[0] - uy * away[1]) / 2 : 0;
                }
                NEAR.forEach(function (d, i) {
                    var diagonal = d[1] && d[2], u = unit(d);
                    var ox = diagonal ? Math.max(rx * 0.71 + gap * 0.71, rx + 1) : rx + gap;
                    var oy = diagonal ? Math.max(ry * 0.71 + gap * 0.71, ry + 1) : ry + gap;
                    near.push(spotAt(d[0], c[0] + ox * d[1], c[1] + oy * d[2], d[1], d[2], w, h, i + side(u[0], u[1])));
                });
                LEADERS.forEach(function (d, i) {
                    var u = unit(d), sx = Math.abs(u[0]) > 0.38 ? d[1] / Math.abs(d[1]) : 0;
                    var sy = Math.abs(u[1]) > 0.38 ? d[2] / Math.abs(d[2]) : 0;
                    // Where the line leaves the marker's box, going towards the label.
                    var exit = Math.min(u[0] ? rx / Math.abs(u[0]) : Infinity, u[1] ? ry / Math.abs(u[1]) : Infinity);
                    var start = [c[0] + u[0] * (exit + 2), c[1] + u[1] * (exit + 2)];
                    LEADER_STEPS.forEach(function (step, k) {
                        var reach = exit + gap + step, ax = c[0] + u[0] * reach, ay = c[1] + u[1] * reach;
                        var spot = spotAt(d[0], ax, ay, sx, sy, w, h, (k + 1) * LEADER_COST + i / 2 + side(u[0], u[1]));
                        var end = [ax - u[0] * 2, ay - u[1] * 2];
                        spot.ends = [start, end];
                        spot.leader = segmentBox(start, end, 1);
                        spot.from = entry;
                        far.push(spot);
                    });
                });
                near.forEach(function (s) {
                    if (ambiguous(entry, s.b, false)) {
                        s.cost += AMBIGUOUS_COST;
                    }
                });
                far.forEach(function (s) {  // at the end of its leader, as close to another symbol as if beside it
                    if (ambiguous(entry, s.b, true)) {
                        s.cost += AMBIGUOUS_COST;
                    }
                });
                [near, far].forEach(function (list) {
                    list.forEach(function (s) {
                        if (crossesSoft(s.b) || (s.leader && crossesSoft(s.leader))) {
                            s.cost += SOFT_COST;
                        }
                    });
                    list.sort(function (a, b) { return a.cost - b.cost; });
                });
                // plain: beside the marker with nothing against it; all: every spot, cheapest first.
                return {plain: near.filter(function (s) { return s.cost < LEADER_COST; }),
                        all: near.concat(far).sort(function (a, b) { return a.cost - b.cost; })};
            }

            // Unit vector from the centre of the markers overlapping this one to it; null alone.
            function outwards(entry) {
                var x = 0, y = 0, n = 0;
                live.forEach(function (other) {
                    if (other.kind === "point" && overlap(other.marker, entry.marker)) {
                        x += other.centre[0];
                        y += other.centre[1];
                        n++;
                    }
                });
                x = entry.centre[0] - x / n;
                y = entry.centre[1] - y / n;
                var len = Math.sqrt(x * x + y * y);
                return len > 0.5 ? [x / len, y / len] : null;
            }

            // Whether the box is nearer another marker than its own (at the end of a leader: about
            // as near as if beside it), so that the reader could pair them wrongly. Markers
            // stacked on its own are one spot: outwards() orders those.
            function ambiguous(entry, b, leader) {
                var own = boxDistance(b, entry.centre);
                return live.some(function (other) {
                    return other.kind === "point" && !overlap(other.marker, entry.marker) &&
                        (leader ? edge(b, other) < gap + 4 : boxDistance(b, other.centre) < own - 1);
                });
            }

            // Distance from a box to the edge of a marker's symbol (taken as a disc).
            function edge(b, entry) {
                return boxDistance(b, entry.centre) - Math.max(entry.size[0], entry.size[1]) / 2;
            }

            // The box whose side or corner (signs sx, sy: which of its sides face the marker,
            // 0 for the middle) touches (ax, ay).
            function spotAt(name, ax, ay, sx, sy, w, h, cost) {
                var left = Math.round(sx > 0 ? ax : sx < 0 ? ax - w : ax - w / 2);
                var top = Math.round(sy > 0 ? ay : sy < 0 ? ay - h : ay - h / 2);
                return {b: box(left, top, w, h), left: left, top: top, position: name, cost: cost, angle: 0};
            }

            // What stands in the way of a spot: its box's blockers, and its leader line's
            // (which may cross the markers stacked on its own: it starts among them).
            function obstructions(spot) {
                var found = hard.filter(function (o) { return overlap(spot.b, o.b); });
                if (spot.leader) {
                    var own = spot.from.marker;
                    found = found.concat(hard.filter(function (o) {
                        return overlap(spot.leader, o.b) && !(o.marker && overlap(o.b, own));
                    }));
                }
                return found;
            }

            function fits(spot) {
                return within(spot.b, frame) && (!spot.leader || within(spot.leader, frame)) &&
                    obstructions(spot).length === 0;
            }

            function firstFree(spots) {
                for (var i = 0; i < spots.length; i++) {
                    if (fits(spots[i])) {
                        return spots[i];
                    }
                }
                return null;
            }

            // Move the one placed point label in the way of `spot` to another free place from its
            // own `list` of spots ("plain" or "all").
            function displace(entry, spot, list) {
                var owners = obstructions(spot).map(function (o) { return o.owner; });
                var other = owners.length && owners.every(function (o) { return o === owners[0]; }) ? owners[0] : null;
                if (!other || other.kind !== "point" || !other.spots) {
                    return false;
                }
                var previous = other.spot;
                vacate(other);
                occupy(entry, spot);
                var moved = firstFree(other.spots[list].filter(function (s) { return s !== previous; }));
                vacate(entry);
                occupy(other, moved || previous);
                return Boolean(moved);
            }

            // The first of `spots` that displacing one neighbour (within its `list`) frees.
            function displaced(entry, spots, list) {
                for (var i = 0; i < spots.length; i++) {
                    if (within(spots[i].b, frame) && (!spots[i].leader || within(spots[i].leader, frame)) &&
                            displace(entry, spots[i], list)) {
                        return spots[i];
                    }
                }
                return null;
            }

            // Whether a point is out of sight: beyond the map's edge, or under a panel (a zoom or a
            // small map can put a symbol there; the panel hides it, and its label would say nothing).
            function unseen(p) {
                return !within(box(p[0], p[1], 0, 0), {left: 0, top: 0, right: size.x, bottom: size.y}) ||
                    hard.some(function (o) { return o.panel && boxDistance(o.b, p) === 0; });
            }

            function placePoint(entry) {
                var text = String(entry.item.text), variants = [[text, 1, "full"], [text, SHRINK, "shrunk"],
                    [abbreviate(entry.item), SHRINK, "abbreviated"]], v, wh, spots, spot;
                if (unseen(entry.centre)) {
                    return "off-frame";
                }
                for (v = 0; v < variants.length; v++) {
                    wh = setText(entry, variants[v][0], variants[v][1]);
                    spots = pointSpots(entry, wh[0], wh[1]);
                    entry.spots = spots;
                    entry.fit = variants[v][2];
                    // Beside the marker; else beside it with a neighbour moved to another side of
                    // its own; else the cheapest of the rest (a crossed river, a leader line...);
                    // else beside it, the neighbour out with a leader.
                    spot = firstFree(spots.plain) || (v === 0 && displaced(entry, spots.plain, "plain")) ||
                        firstFree(spots.all) || (v === 0 && displaced(entry, spots.all, "all"));
                    if (spot) {
                        occupy(entry, spot);
                        return "placed";
                    }
                }
                return "hidden";
            }

            // Along the line, beside it; with `clearance`, only where no marker is that near.
            function placeLine(entry, clearance) {
                var path = entry.path, lengths = [0], i, total, inFrame = [];
                var variants = clearance ? [[1, "full"]] : [[1, "full"], [SHRINK, "shrunk"]];
                for (i = 1; i < path.length; i++) {
                    lengths.push(lengths[i - 1] + Math.hypot(path[i][0] - path[i - 1][0], path[i][1] - path[i - 1][1]));
                }
                total = lengths[lengths.length - 1] || 0;
                path.forEach(function (p, k) {
                    if (p[0] >= frame.left && p[0] <= frame.right && p[1] >= frame.top && p[1] <= frame.bottom) {
                        inFrame.push(lengths[k]);
                    }
                });
                if (!inFrame.length) {
                    return "off-frame";
                }
                var middle = (inFrame[0] + inFrame[inFrame.length - 1]) / 2;
                var own = [];
                for (i = 1; i < path.length; i++) {
                    own.push(segmentBox(path[i - 1], path[i], 6));
                }
                function at(s) {
                    var k = 1;
                    while (k < lengths.length - 1 && lengths[k] < s) {
                        k++;
                    }
                    var t = (s - lengths[k - 1]) / ((lengths[k] - lengths[k - 1]) || 1);
                    return lerp(path[k - 1], path[k], Math.max(0, Math.min(1, t)));
                }
                var half = Math.max(1, (inFrame[inFrame.length - 1] - inFrame[0]) / 2);
                for (var v = 0; v < variants.length; v++) {
                    var wh = setText(entry, String(entry.item.text), variants[v][0]), w = wh[0], h = wh[1];
                    // Every 6 px along the line, the chord under the text: flat and central first.
                    var spots = [];
                    for (var s = w / 2; s <= total - w / 2; s += 6) {
                        var p0 = at(s - w / 2), p1 = at(s + w / 2);
                        var angle = Math.atan2(p1[1] - p0[1], p1[0] - p0[0]);
                        // Left to right; a vertical stretch reads upwards.
                        if (angle >= Math.PI / 2 - 0.01) {
                            angle -= Math.PI;
                        } else if (angle < -Math.PI / 2) {
                            angle += Math.PI;
                        }
                        spots.push({s: s, angle: angle, cost: Math.max(0, Math.abs(angle) - FLAT) / FLAT +
                                    Math.abs(s - middle) / half});
                    }
                    spots.sort(function (x, y) { return x.cost - y.cost || x.s - y.s; });
                    for (i = 0; i < spots.length; i++) {
                        var cos = Math.cos(spots[i].angle), sin = Math.sin(spots[i].angle), mid = at(spots[i].s);
                        // Above the line, below it; a little farther where the line bends under the text.
                        for (var k = 0; k < 4; k++) {
                            var side = k % 2 ? 1 : -1, off = side * (h / 2 + (k < 2 ? 4 : 8));
                            var b = {x: Math.round(mid[0] - sin * off), y: Math.round(mid[1] + cos * off),
                                     hw: w / 2, hh: h / 2, c: cos, s: sin};
                            if (free(b) && !own.some(function (o) { return overlap(b, o); }) && (!clearance ||
                                    free({x: b.x, y: b.y, hw: b.hw + clearance, hh: b.hh + clearance, c: cos, s: sin}))) {
                                entry.fit = variants[v][1];
                                occupy(entry, {b: b, left: b.x - w / 2, top: b.y - h / 2, angle: spots[i].angle,
                                               position: side < 0 ? "above" : "below"});
                                return "line";
                            }
                        }
                    }
                }
                return "hidden";
            }

            // Spots for an area label: the server's anchor, then the visible part's
            // points farthest from its edges (a pole-of-inaccessibility search on a grid).
            function areaPoints(entry) {
                var points = [], rings = null;
                if (entry.item.latlng) {
                    points.push({p: toPixel(entry.item.latlng), d: Infinity});
                }
                (entry.item.anchors || []).forEach(function (a) {
                    points.push({p: toPixel(a), d: Infinity});
                });
                if (entry.item.rings && entry.item.rings.length) {
                    rings = entry.item.rings.map(function (ring) {
                        return clipRing(ring.map(toPixel), frame);
                    }).filter(function (ring) { return ring.length > 2; });
                    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
                    rings.forEach(function (ring) {
                        ring.forEach(function (p) {
                            minX = Math.min(minX, p[0]);
                            maxX = Math.max(maxX, p[0]);
                            minY = Math.min(minY, p[1]);
                            maxY = Math.max(maxY, p[1]);
                        });
                    });
                    var stepX = Math.max(6, (maxX - minX) / 24), stepY = Math.max(6, (maxY - minY) / 24), grid = [];
                    for (var y = minY + stepY / 2; y < maxY; y += stepY) {
                        for (var x = minX + stepX / 2; x < maxX; x += stepX) {
                            if (inside([x, y], rings)) {
                                grid.push({p: [x, y], d: edgeDistance([x, y], rings)});
                            }
                        }
                    }
                    grid.sort(function (a, b) { return b.d - a.d || a.p[1] - b.p[1] || a.p[0] - b.p[0]; });
                    points = points.filter(function (q) { return inside(q.p, rings); }).concat(grid);
                }
                return {points: points, rings: rings};
            }

            function placeArea(entry) {
                var found = areaPoints(entry), text = String(entry.item.text), words = text.split(" ");
                if (!found.points.length || (!found.rings && unseen(found.points[0].p))) {
                    return "off-frame";
                }
                // Tiers of text: as it is (on one line or two), then smaller, then abbreviated.
                var tiers = [[[text, 1, "full"]], [[text, SHRINK, "shrunk"]], [[abbreviate(entry.item), SHRINK,
                                                                                     "abbreviated"]]];
                if (words.length > 1) {  // a long name reads better on two lines than stretched over a region
                    var half = Math.ceil(words.length / 2);
                    var lines = [words.slice(0, half).join(" ") + "\n" + words.slice(half).join(" "), 1, "full"];
                    tiers[0].splice(text.length > LONG_NAME ? 0 : 1, 0, lines);
                }
                tiers.forEach(function (tier) {
                    tier.forEach(function (variant) {
                        variant.push(setText(entry, variant[0], variant[1]));
                    });
                });
                // Without an outline, the text may drift from its anchor in rings of DRIFT line
                // heights sideways and half that up or down; with one, the grid of points inside
                // the outline offers the alternatives.
                var line = Math.min.apply(null, tiers[0].map(function (v) { return v[3][1]; }));
                var reach = found.rings ? 0 : DRIFT_RINGS, candidates = [];
                for (var r = 0; r <= reach; r++) {
                    found.points.forEach(function (point, i) {
                        (r ? NEAR : [["", 0, 0]]).forEach(function (d) {
                            candidates.push({p: point.p, dx: d[1] * r * DRIFT * line, dy: d[2] * r * DRIFT / 2 * line,
                                             order: r * 1000 + i});
                        });
                    });
                }
                candidates.sort(function (x, y) { return x.order - y.order; });
                // Passes, best first: [inside the outline (if there is one), clear of other
                // labels by AREA_CLEARANCE, off river lines].
                var passes = [[1, 1, 1], [1, 1, 0], [1, 0, 1], [1, 0, 0]];
                if (found.rings) {
                    passes.push([0, 0, 1], [0, 0, 0]);
                }
                for (var t = 0; t < tiers.length; t++) {
                    for (var pass = 0; pass < passes.length; pass++) {
                        var strict = passes[pass][0] && found.rings, clear = passes[pass][1], avoid = passes[pass][2];
                        for (var i = 0; i < candidates.length; i++) {
                            for (var v = 0; v < tiers[t].length; v++) {
                                var variant = tiers[t][v], w = variant[3][0], h = variant[3][1], c = candidates[i];
                                var left = Math.round(c.p[0] + c.dx - w / 2), top = Math.round(c.p[1] + c.dy - h / 2);
                                var b = box(left, top, w, h);
                                if (free(b) && !(avoid && crossesSoft(b)) &&
                                        (!clear || free({x: b.x, y: b.y, hw: b.hw + AREA_CLEARANCE,
                                                         hh: b.hh + AREA_CLEARANCE / 2, c: 1, s: 0})) &&
                                        (!strict || corners(b).every(function (q) { return inside(q, found.rings); }))) {
                                    setText(entry, variant[0], variant[1]);
                                    entry.fit = variant[2];
                                    occupy(entry, {b: b, left: left, top: top, angle: 0,
                                                   position: strict || !found.rings ? "inside" : "overlapping"});
                                    return "area";
                                }
                            }
                        }
                    }
                }
                return "hidden";
            }

            report = [];
            function kind(name) {
                return order.filter(function (e) { return e.kind === name && live.indexOf(e) >= 0; });
            }
            order.forEach(function (entry) {
                entry.spot = null;
                entry.spots = null;
                entry.fit = "full";
                entry.how = "withheld";
                entry.el.textContent = String(entry.item.text);
            });
            // Rivers first where a stretch is clear of towns, then the towns, then the rivers
            // that are left (beside the towns' labels), then the areas in the room that remains.
            kind("line").forEach(function (entry) {
                entry.how = placeLine(entry, LINE_CLEARANCE[0]);
                entry.how = entry.how === "hidden" ? placeLine(entry, LINE_CLEARANCE[1]) : entry.how;
            });
            kind("point").forEach(function (entry) {
                entry.how = placePoint(entry);
            });
            kind("line").forEach(function (entry) {
                entry.how = entry.how === "hidden" ? placeLine(entry, 0) : entry.how;
            });
            kind("area").forEach(function (entry) {
                entry.how = placeArea(entry);
            });
            order.forEach(function (entry) {
                draw(entry);
                follow(entry);
                report.push({id: entry.el.getAttribute("data-label-id"), how: entry.how, fit: entry.fit,
                             position: entry.spot ? entry.spot.position : ""});
            });
            var counts = {};
            report.forEach(function (r) {
                counts[r.how] = (counts[r.how] || 0) + 1;
            });
            container.setAttribute("data-geomap-labels", Object.keys(counts).sort().map(function (k) {
                return k + ":" + counts[k];
            }).join(" "));
            pane.style.visibility = "";
            map.fire("geomaplabels");
            return report;
        }

        // Puts a label (and its leader line) where `run` decided, in the pane's layer coordinates.
        function draw(entry) {
            var el = entry.el, spot = entry.spot;
            if (entry.how === "placed") {  // known only now: a later label may have moved this one
                entry.how = spot.leader ? "leader" : "near";
            }
            el.setAttribute("data-label-how", entry.how);
            el.setAttribute("data-label-fit", entry.fit);
            el.setAttribute("data-label-position", spot ? spot.position : "");
            if (entry.fit === "abbreviated") {
                el.setAttribute("title", String(entry.item.text));
            } else {
                el.removeAttribute("title");
            }
            if (!spot) {
                el.textContent = String(entry.item.text);
                el.setAttribute("data-label-fit", "");
                el.style.display = "none";
                return;
            }
            var origin = map.containerPointToLayerPoint([0, 0]);
            el.style.display = "";
            el.style.transform = (spot.angle ? "rotate(" + spot.angle.toFixed(4) + "rad)" : "");
            el.style.left = Math.round(spot.left + origin.x) + "px";
            el.style.top = Math.round(spot.top + origin.y) + "px";
            if (spot.leader) {
                var start = spot.ends[0], end = spot.ends[1];
                var line = doc.createElement("div");
                line.className = "geomap-lbl-leader";
                line.setAttribute("aria-hidden", "true");
                line.setAttribute("data-label-id", el.getAttribute("data-label-id"));
                line.style.left = (start[0] + origin.x).toFixed(1) + "px";
                line.style.top = (start[1] + origin.y).toFixed(1) + "px";
                line.style.width = Math.hypot(end[0] - start[0], end[1] - start[1]).toFixed(1) + "px";
                line.style.transform = "rotate(" + Math.atan2(end[1] - start[1], end[0] - start[0]).toFixed(4) +
                    "rad)";
                pane.insertBefore(line, pane.firstChild);
                entry.leader = line;
            }
        }

        function schedule() {
            if (pending === null) {
                pending = root.setTimeout(run, 0);
            }
        }

        function hide() {
            pane.style.visibility = "hidden";
        }

        map.on("zoomstart", hide);
        map.on("moveend zoomend resize viewreset overlayadd overlayremove", schedule);
        schedule();
        if (doc.fonts && doc.fonts.ready) {
            doc.fonts.ready.then(function () {
                entries.forEach(function (e) {
                    e.sizes = {};
                    e.font = null;
                });
                schedule();
            });
        }

        return {
            /** Place every label now (the map does it by itself on every view change); returns the report. */
            place: function () {
                if (pending !== null) {
                    root.clearTimeout(pending);
                }
                return run();
            },
            /** How each label was placed at the last run: [{id, how, fit, position}]. */
            report: function () {
                return report.slice();
            },
            /** Take the labels off the map. */
            remove: function () {
                map.off("zoomstart", hide);
                map.off("moveend zoomend resize viewreset overlayadd overlayremove", schedule);
                if (pending !== null) {
                    root.clearTimeout(pending);
                }
                entries.forEach(function (e) {
                    [e.el, e.leader].forEach(function (node) {
                        if (node && node.parentNode) {
                            node.parentNode.removeChild(node);
                        }
                    });
                });
            }
        };
    }

    root.GeomapLabels = {attach: attach};
})(window);
