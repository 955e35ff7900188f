"""The PDF writer: a Memo as a PDF; the one package that imports reportlab."""
