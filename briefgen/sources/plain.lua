-- briefgen's store holds plain text, printed as written (no CSL rich text): pandoc's
-- BibLaTeX reader gives TeX formatting as inlines, which the CSL JSON writer would turn
-- into <i>, <b> and <span> markup. Keep their words only. A TeX command pandoc does not
-- know stays as written, so that the import can name it rather than drop it unseen.
--
-- Braced words in a title ("{NATO}", "{iPhone}") keep their case in BibTeX; pandoc reads
-- them as spans, of the class "nocase" in an English title, which it re-cases. Their words go first into `keep-case` (joined by the
-- unit separator, since the CSL JSON writer writes a variable as one string), which the
-- store keeps and the citations honour whatever case the style asks for.
local TITLES = { "title", "title-short", "container-title", "collection-title" }

local function protected(ref)
  local found = {}
  for _, key in ipairs(TITLES) do
    if pandoc.utils.type(ref[key]) == "Inlines" then
      ref[key]:walk({
        Span = function(span)
          if #span.classes == 0 or span.classes:includes("nocase") then
            table.insert(found, pandoc.utils.stringify(span))
          end
        end,
      })
    end
  end
  return found
end

local function keep_case(meta)
  for _, ref in ipairs(meta.references or {}) do
    local found = protected(ref)
    if #found > 0 then
      ref["keep-case"] = table.concat(found, "\31")
    end
  end
  return meta
end

local function words(el) return el.content end

return {
  { Meta = keep_case },
  {
    Emph = words,
    Strong = words,
    Underline = words,
    Strikeout = words,
    SmallCaps = words,
    Superscript = words,
    Subscript = words,
    Span = words,
    RawInline = function(el) return pandoc.Str(el.text) end,
  },
}
