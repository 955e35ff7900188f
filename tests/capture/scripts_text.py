"""Words in the scripts a desk reads, for the capture tests' generated texts."""

from __future__ import annotations

from hypothesis import strategies as st

ALPHABETS = {
    "latin": "abcdefghijklmnopqrstuvwxyzàáâãäçèéêëìíîïñòóôõöùúûüýÿœßłńśźżčřšžğş",
    "cyrillic": "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
    "arabic-persian": "ابتثجحخدذرزسشصضطظعغفقكلمنهويپچژگکی",
    "cjk": "的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去",
    "hangul": "가나다라마바사아자차카타파하한국어대통령정부회의",
}
SCRIPTS = sorted(ALPHABETS)


def words(
    script: str, least: int = 1, most: int = 6, length: int | None = None
) -> st.SearchStrategy[list[str]]:
    """Draw a few words of `script`, each of two to eight letters (or of `length`)."""
    word = st.text(ALPHABETS[script], min_size=length or 2, max_size=length or 8)
    return st.lists(word, min_size=least, max_size=most)


def sentence(script: str) -> st.SearchStrategy[str]:
    """Draw a sentence of `script`, ending as the script ends one, so that the captured
    text counts it as a content paragraph, not a heading."""
    end = "。" if script == "cjk" else "؟" if script == "arabic-persian" else "."
    return words(script, 3, 8).map(lambda ws: " ".join(ws) + end)
