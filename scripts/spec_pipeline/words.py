"""Words in names: splitting an identifier into words, singular and plural, Pascal and snake case.

The rules that derive a name the sources do not give (an operationId, a shared parameter, a body
schema) and the renderer that names the client's resources and methods all spell names with these,
so that a name derived in one place is read back the same way in the other.
"""

from __future__ import annotations

import re

# A word is a run of letters and digits: an upper-case run (`V02`, `JWT`), a capitalised or
# lower-case word, or digits; anything else (`-`, `_`, `.`, `/`, `{`) separates words.
_WORD = re.compile(r"[A-Z]+[0-9]*(?![a-z])|[A-Z]?[a-z]+[0-9]*|[0-9]+")


def words(name: str) -> list[str]:
    """The words of an identifier in lower case: ``listUserConversations`` -> ``[list, user,
    conversations]``, ``get-conversations`` -> ``[get, conversations]``, ``listEventsV02`` ->
    ``[list, events, v02]``."""
    return [word.lower() for word in _WORD.findall(name)]


def pascal(name: str) -> str:
    """``getUser`` -> ``GetUser``, ``user_id`` -> ``UserId``, ``v0.2`` -> ``V02``."""
    return "".join(word.capitalize() for word in words(name.replace(".", "")))


def snake(name: str) -> str:
    """``listUserConversations`` -> ``list_user_conversations``."""
    return "_".join(words(name))


def singular(word: str) -> str:
    """The singular of an English plural noun as API paths spell them (``users`` -> ``user``,
    ``entries`` -> ``entry``, ``boxes`` -> ``box``); a word that is not such a plural
    (``status``, ``me``) is returned as it is."""
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def plural(word: str) -> str:
    """The plural of an English noun (``user`` -> ``users``, ``entry`` -> ``entries``, ``box``
    -> ``boxes``); a word that already is a plural (``users``) is returned as it is."""
    if word.endswith("s") and not word.endswith("ss"):
        return word
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("ch", "sh", "ss", "x", "z")):
        return word + "es"
    return word + "s"
