// Render the math that pymdownx.arithmatex (generic mode) leaves in <span/div class="arithmatex">, and the math in
// notebook pages' Markdown cells, when a page loads (and after each page change, were navigation.instant on).
//
// A page can hold dozens of formulas; rendering them in one go blocked a phone's main thread for hundreds of
// milliseconds (Lighthouse, /architectures/rnn/). So only those elements are searched (not the whole page), and
// they are rendered in batches, one per animation frame: the formulas on screen all at once (the reader is looking
// at them, and the text around them moves only once), then the others in page order, a few milliseconds of script
// per frame, because the browser then lays out what a batch inserted in the same frame and that layout costs about
// three times the script. Frames stay short, the page keeps scrolling, and every formula is rendered within a
// moment of loading, wherever the reader is.
const katexOptions = {
  delimiters: [
    { left: "$$", right: "$$", display: true },
    { left: "$", right: "$", display: false },
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ],
};
const BATCH_MS = 4;

let stopPrevious = () => {};

document$.subscribe(({ body }) => {
  stopPrevious();
  const pending = new Set(body.querySelectorAll(".arithmatex, .jp-RenderedMarkdown"));
  const soon = new Set();  // on screen: rendered first, all in one batch
  let frame = 0;

  // Display math wider than the page scrolls sideways: keyboard users must be able to focus it (axe:
  // scrollable-region-focusable). The widths are read by a ResizeObserver, right after the browser's own layout,
  // so the check forces no extra layout, and it runs again when the width changes (a phone turned sideways).
  const wide = new ResizeObserver((entries) => {
    const scrolls = entries.map(({ target }) => [target, target.scrollWidth > target.clientWidth]);
    for (const [element, yes] of scrolls) {
      if (yes) element.setAttribute("tabindex", "0");
      else element.removeAttribute("tabindex");
    }
  });
  const near = new IntersectionObserver((entries) => {
    for (const { target, isIntersecting } of entries) {
      if (isIntersecting && pending.has(target)) soon.add(target);
    }
    // The first report (one entry per formula) comes after the page's first layout: start from there, so that the
    // first batch holds every formula on screen.
    if (!frame) frame = requestAnimationFrame(renderBatch);
  });
  const renderBatch = () => {
    const start = performance.now();
    while (soon.size || (pending.size && performance.now() - start < BATCH_MS)) {
      const [element] = soon.size ? soon : pending;
      soon.delete(element);
      pending.delete(element);
      near.unobserve(element);
      renderMathInElement(element, katexOptions);
      if (element.matches("div.arithmatex")) wide.observe(element);
    }
    if (pending.size) frame = requestAnimationFrame(renderBatch);
    else near.disconnect();
  };
  pending.forEach((element) => near.observe(element));
  stopPrevious = () => {
    cancelAnimationFrame(frame);
    near.disconnect();
    wide.disconnect();
  };
});
