"""The site: what each page of one language shows, and the files published beside the pages.

Page kinds (`pagekinds`) list the pages and give each template its context; `view` is what
templates receive; `render` turns Markdown and teasers into safe HTML; `explorer`,
`searchtext` and `searchindex` make the explorer's data and the forgiving search index;
`feeds`, `sitemaps`, `metadata` and `opendata` are the reuse files; `docspages` sanitises the
hand-written pages. Depends on the model only; every function here is pure, and `make serve`
caches them from the outside (spmlib.serve).
"""
