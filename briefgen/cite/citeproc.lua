-- briefgen's citation server: pandoc's citeproc for many memos in one pandoc process.
--
-- Starting pandoc and reading a CSL style cost more than formatting one memo's notes, so
-- briefgen starts this filter once per build, primes it with the workspace's style
-- (BRIEFGEN_WARM, a pandoc JSON document citing a dummy source) while Python loads the
-- store, and then sends each memo as a request on standard input:
--   request:  <byte length>\n<pandoc JSON document with csl, bibliography and lang set>
--   answer:   <byte length>\n<the same document after citeproc>, or "!" and the error
-- The input document pandoc itself reads is empty; the filter's own output is discarded.

local function serve()
  local warm = os.getenv("BRIEFGEN_WARM")
  if warm and warm ~= "" then
    pcall(function() pandoc.utils.citeproc(pandoc.read(warm, "json")) end)
  end
  while true do
    local size = io.stdin:read("l")
    if not size or size == "" then break end
    local request = io.stdin:read(tonumber(size))
    local ok, answer = pcall(function()
      return pandoc.write(pandoc.utils.citeproc(pandoc.read(request, "json")), "json")
    end)
    if not ok then answer = "!" .. tostring(answer) end
    io.stdout:write(#answer, "\n", answer)
    io.stdout:flush()
  end
end

function Pandoc(_)
  serve()
  return pandoc.Pandoc({})
end
