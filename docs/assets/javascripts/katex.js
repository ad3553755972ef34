// Render the math that pymdownx.arithmatex (generic mode) leaves in <span/div class="arithmatex">, and the math in
// notebook pages' Markdown cells, on first load and after every instant-navigation page change.
// Only those elements are searched (not the whole page), a few at a time, so that a page with a lot of math never
// blocks the main thread for long (Lighthouse's total blocking time on phones).
const katexOptions = {
  delimiters: [
    { left: "$$", right: "$$", display: true },
    { left: "$", right: "$", display: false },
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ],
};

document$.subscribe(({ body }) => {
  const pending = [...body.querySelectorAll(".arithmatex, .jp-RenderedMarkdown")];
  const renderSome = () => {
    const start = performance.now();
    while (pending.length && performance.now() - start < 30) {
      const element = pending.shift();
      renderMathInElement(element, katexOptions);
      // Display math wider than the page scrolls sideways: keyboard users must be able to focus it.
      if (element.matches("div.arithmatex") && element.scrollWidth > element.clientWidth) {
        element.setAttribute("tabindex", "0");
      }
    }
    if (pending.length) setTimeout(renderSome, 0);
  };
  renderSome();
});
