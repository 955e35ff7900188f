"""The PDF writer: a Memo as a PDF; the one package that imports reportlab.

Empty on purpose: `lazy_import` must run before `writer` imports reportlab (see
`briefgen.writers.writer`), so importing this package may import neither.
"""
