-- briefgen's store holds plain text, printed as written (no CSL rich text): pandoc's
-- BibLaTeX reader gives TeX formatting as inlines, which the CSL JSON writer would turn
-- into <i>, <b> and <span> markup. Keep their words only. A TeX command pandoc does not
-- know stays as written, so that the import can name it rather than drop it unseen.
local function words(el) return el.content end

Emph = words
Strong = words
Underline = words
Strikeout = words
SmallCaps = words
Superscript = words
Subscript = words
Span = words

function RawInline(el) return pandoc.Str(el.text) end
