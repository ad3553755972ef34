// nbconvert's notebook pages load MathJax from a CDN; mkdocs.yml points them here instead, so that they make no
// request to another host. Their math is rendered by KaTeX, like every other page (assets/javascripts/katex.js).
