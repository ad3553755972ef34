// Figures (hooks/figure_pages.py makes each one a link to itself): a click or tap opens the figure full size in a
// lightbox (GLightbox, self-hosted in assets/vendor/glightbox), where it can be zoomed. A figure that is wider than
// the column even at half its drawn size scrolls sideways inside its own box (extra.css); the box is then marked
// "scrolls", which shows a line saying so. The widths are read by a ResizeObserver, right after the browser's own
// layout, so this forces no extra layout, and they are read again when the width changes (a phone turned sideways).
let lightbox;

document$.subscribe(({ body }) => {
  if (lightbox) lightbox.destroy();
  lightbox = GLightbox({ selector: "a.figure-zoom", touchNavigation: true, zoomable: true, draggable: true });
  const wide = new ResizeObserver((entries) => {
    const scrolls = entries.map(({ target }) => [target, target.scrollWidth > target.clientWidth + 1]);
    for (const [box, yes] of scrolls) box.classList.toggle("scrolls", yes);
  });
  body.querySelectorAll("a.figure-zoom").forEach((box) => wide.observe(box));
});
