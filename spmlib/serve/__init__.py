"""Everything `make serve` keeps between builds: caches of the site's pure functions keyed by
digests (`memo`) and the worker processes that share the languages (`serveparts`).

A plain `make build` never imports this layer's caches; it depends on the model, the site and
the build processes, and nothing but the hooks and the command line depends on it.
"""
