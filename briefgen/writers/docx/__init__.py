"""The DOCX writer: a Memo as a Word document; the one package that imports python-docx."""
