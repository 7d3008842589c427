"""Outputs for trainers and maintainers, made from the model and the built site.

Offline bundles and Kiwix ZIMs (the `offline` pipeline, with the `fetch` of documents, packed
by `bundle` and `zim`), link checks (`links`, reported by `linkreport`), translation reports
and CSV round trips (`translations`), and the warnings of `make check` (`advice`, with
`quality` and `similar`). Downloads go only to public addresses (`netpolicy`) and are judged by
their bytes (`sniff`). Depends on the model, the site and the build processes; nothing
depends on it but the command line (the part of the library a bundle holds, which its build
reads back, is the model's `subset`).
"""
