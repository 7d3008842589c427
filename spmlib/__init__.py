"""The resource library's logic, kept free of MkDocs so tests and `make check` can call it.

The modules in ``hooks/`` are thin MkDocs adapters around this package.
"""
