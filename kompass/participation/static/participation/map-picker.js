// Progressive enhancement for the idea form: clicking the district map fills in latitude and longitude.
// Without JavaScript the two number fields do the same job.
(function () {
  "use strict";
  function init() {
    var svg = document.querySelector("svg.map-picker");
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    if (!svg || !lat || !lon) { return; }
    var marker = svg.querySelector(".map-picker-marker");
    var minLon = parseFloat(svg.dataset.minLon), maxLat = parseFloat(svg.dataset.maxLat);
    var xScale = parseFloat(svg.dataset.xScale), yScale = parseFloat(svg.dataset.yScale);
    function place() {
      var la = parseFloat(lat.value), lo = parseFloat(lon.value);
      if (isNaN(la) || isNaN(lo)) { marker.setAttribute("cx", -20); marker.setAttribute("cy", -20); return; }
      marker.setAttribute("cx", (lo - minLon) * xScale);
      marker.setAttribute("cy", (maxLat - la) * yScale);
    }
    svg.addEventListener("click", function (event) {
      var point = svg.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      var local = point.matrixTransform(svg.getScreenCTM().inverse());
      lon.value = (minLon + local.x / xScale).toFixed(5);
      lat.value = (maxLat - local.y / yScale).toFixed(5);
      place();
    });
    lat.addEventListener("input", place);
    lon.addEventListener("input", place);
    place();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
