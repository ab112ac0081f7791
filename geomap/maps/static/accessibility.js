{parent}.on("popupopen", function (e) {
    var content = e.popup.getElement().querySelector(".geomap-popup");
    if (!content) { return; }
    content.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { {parent}.closePopup(e.popup); }
    });
    content.focus({preventScroll: true});
});
{parent}.on("popupclose", function (e) {
    var icon = e.popup._source && e.popup._source.getElement && e.popup._source.getElement();
    var active = document.activeElement;
    if (icon && (!active || active === document.body || e.popup.getElement().contains(active))) {
        icon.focus({preventScroll: true});
    }
});
