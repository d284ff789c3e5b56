"""Hypothesis strategies shared by the tests: scraped-looking documents and raw strings."""

from __future__ import annotations

from hypothesis import strategies as st

_WORDS = (  # noqa: SIM905 - prose is easier to read than a list of words
    "the minister said on thursday that talks with the group would resume in doha after "
    "weeks of violence and both sides agreed to meet again before the end of the month "
    "officials in kabul welcomed a statement from the embassy calling for an end to attacks "
    "on civilians schools and roads while analysts warned that progress remained slow"
).split()

BOILERPLATE_LINES = (
    "Skip to main content", "Latest news", "Share this post", "Please enter your comment!",
    "Leave a reply", "تصویر بندانگشتی", "Advertisement", "Read more", "12 comments",
)

# Characters that exercise normalisation: line and space variants, invisible and
# control characters, mojibake lead bytes, entities, other scripts, surrogates.
_AWKWARD = st.sampled_from(
    ["\r\n", "\r", "\u2028", "\u00a0", "\u200b", "\u200c", "\ufeff", "\x00", "\x07", "\x1b",
     "\u00c3\u00a9", "â€™", "&amp;", "&#3;", "ﬁ", "\t", "  ", "\n\n\n", "。", "؟", "东京",
     "\U0001f600", "\u0301"]
)


_FUNCTION_WORDS = ("the", "of", "and", "to", "in", "that", "with", "on", "was", "for")


@st.composite
def sentences(draw: st.DrawFn, min_words: int = 6, max_words: int = 40) -> str:
    """A sentence of prose, capitalised, with a full stop.

    Every other word is a function word, as in real prose (about half the
    words of English running text are stopwords).
    """
    content = draw(st.lists(st.sampled_from(_WORDS), min_size=(min_words + 1) // 2,
                            max_size=max(1, max_words // 2)))
    glue = draw(st.lists(st.sampled_from(_FUNCTION_WORDS), min_size=len(content),
                         max_size=len(content)))
    pairs = zip(content, glue, strict=True)
    words = [word for pair in pairs for word in pair][:max(min_words, len(content))]
    text = " ".join(words)
    return text[:1].upper() + text[1:] + "."


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    """One to four sentences on one line, as web text puts a paragraph."""
    return " ".join(draw(st.lists(sentences(), min_size=1, max_size=4)))


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A scraped-looking document: prose, boilerplate, short lines, copies, odd characters."""
    pieces = draw(st.lists(
        st.one_of(
            paragraphs(),
            st.sampled_from(BOILERPLATE_LINES),
            sentences(min_words=1, max_words=5),
            _AWKWARD,
            st.text(max_size=30),
        ),
        max_size=12,
    ))
    if pieces and draw(st.booleans()):
        pieces.extend(draw(st.lists(st.sampled_from(pieces), max_size=5)))
    separator = draw(st.sampled_from(["\n", "\n\n", "\r\n"]))
    return separator.join(pieces)


any_text = st.text(
    alphabet=st.characters(blacklist_categories=()), max_size=400
) | documents()
