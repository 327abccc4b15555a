// Progressive enhancement for the page frame. Without JavaScript the menu and the filters are <details> elements a
// person opens by hand (on wide screens CSS shows their content anyway); with it, they open by themselves on wide
// screens and fold again when the window becomes narrow. Escape closes the open menu on phones.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 62em)");
  function sync() {
    document.querySelectorAll("details[data-open-wide]").forEach(function (el) {
      if (wide.matches) { el.setAttribute("open", ""); } else { el.removeAttribute("open"); }
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || wide.matches) { return; }
    var menu = document.querySelector(".site-menu[open]");
    if (menu) { menu.removeAttribute("open"); menu.querySelector("summary").focus(); }
  });
  if (wide.addEventListener) { wide.addEventListener("change", sync); }
  sync();
}());
