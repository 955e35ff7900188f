"""Citations: CSL styles and the pandoc server that formats notes and bibliographies."""
