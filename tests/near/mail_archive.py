"""A small mailing-list archive written for the tests: messages that share a list footer,
signatures and quoted text but say different things, and true resent copies.

Every message ends in the same mailman footer; several are short replies that quote their
parent in full; three people sign every message the same way. ``RESENT`` maps each resent
copy to the message it repeats (new ``Date:`` and ``Message-ID:`` headers, the body re-wrapped
or with its footer dropped by the list software).
"""

from __future__ import annotations

FOOTER = """
_______________________________________________
allotments mailing list
allotments@lists.greenlane.example
https://lists.greenlane.example/mailman/listinfo/allotments
To unsubscribe, send a message to allotments-leave@lists.greenlane.example
"""

ANN = """--
Ann Whitfield
Secretary, Green Lane Allotment Society
Green Lane Allotments, plot 14, Green Lane, Northbridge
Office hours: Saturday mornings in the big shed
Please think of the environment before printing this email"""

# The standard separator is "-- " (dash, dash, space).
BOB = """--\x20
Bob Lee, plot 3
"A weed is a plant whose virtues have not yet been discovered." """

CHI = """--
Chidi Okafor | plot 22 | Green Lane Allotments"""


def _message(headers: str, body: str, signature: str, *, footer: bool = True) -> str:
    return f"{headers.strip()}\n\n{body.strip()}\n\n{signature}\n" + (FOOTER if footer else "")


_BLIGHT = """Has anyone else seen blight on their tomatoes already? Mine started showing brown
patches on the lower leaves last week, and the stems near the soil have gone dark. I grow
Moneymaker and Gardener's Delight under the same cover, and both are affected. The
potatoes in the next bed look healthy so far, but I am worried it will spread once the
weather turns warm and wet again. Last year the whole site lost its tomatoes in August,
and the committee asked everyone to burn infected plants rather than compost them. Is
that still the advice, or has anyone had luck with the resistant varieties the garden
centre sells now? I would rather not give up on tomatoes altogether."""

_WATER = """The water trough by the north gate has been leaking since the frost. I have tied
a bucket under the tap for now, but please close it firmly after use until the committee
can get a plumber in. The trough by the sheds is fine."""

_SWAP = """The spring seed swap is this Sunday from ten until noon in the big shed. Bring
anything you saved last autumn, labelled with the variety and the year it was saved, and
a note if it crossed with anything. I will have runner beans, two kinds of kale, a lot of
calendula and some of the yellow courgettes people asked about last summer. Tea and cake
as usual; the new members are especially welcome, and so are children, who tend to go
home with more sunflower seeds than anyone can plant. If you cannot come, leave your
packets with me beforehand and I will swap them on your behalf."""

# Archive exports often keep the body only: short notes that end in the same signature and
# footer, which on shingles alone outweigh what each note says.
_NOTES = {
    "m15": "Meeting is in the small hall.",
    "m16": "Shed key is back.",
    "m17": "Gate code is now 4471.",
    "m18": "Gate code is now 5820.",
}

MESSAGES: dict[str, str] = {
    "m01": _message("""
From: Bob Lee <bob@example.net>
Date: Mon, 2 Mar 2026 19:02:11 +0000
Subject: [allotments] Tomato blight already?
Message-ID: <20260302190211.bob@example.net>""", _BLIGHT, BOB),
    "m02": _message("""
From: Ann Whitfield <ann@example.org>
Date: Tue, 3 Mar 2026 10:14:02 +0100
Subject: Re: [allotments] Tomato blight already?
In-Reply-To: <20260302190211.bob@example.net>""", """
On Mon, 2 Mar 2026, Bob Lee wrote:
> Has anyone else seen blight on their tomatoes already? Mine started showing brown
> patches on the lower leaves last week, and the stems near the soil have gone dark. I grow
> Moneymaker and Gardener's Delight under the same cover, and both are affected.

Yes, mine too. I pulled the worst plants and sprayed the rest with a copper fungicide,
which seems to have slowed it down. Water at the base, not on the leaves.""", ANN),
    "m03": _message("""
From: Chidi Okafor <chidi@example.com>
Date: Tue, 3 Mar 2026 12:40:55 +0000
Subject: Re: [allotments] Tomato blight already?""", "Bob Lee wrote:\n" + "\n".join(
        f"> {line}" for line in _BLIGHT.split("\n")) + "\n\nSame here.", CHI),
    "m04": _message("""
From: Bob Lee <bob@example.net>
Date: Tue, 3 Mar 2026 18:20:00 +0000
Subject: Re: [allotments] Tomato blight already?""", """
On Tue, 3 Mar 2026, Ann Whitfield wrote:
> Yes, mine too. I pulled the worst plants and sprayed the rest with a copper fungicide,
> which seems to have slowed it down. Water at the base, not on the leaves.

Thanks Ann, I will try that.""", BOB),
    "m05": _message("""
From: Ann Whitfield <ann@example.org>
Date: Wed, 4 Mar 2026 08:05:40 +0100
Subject: [allotments] North gate water trough""", _WATER, ANN),
    "m06": _message("""
From: Chidi Okafor <chidi@example.com>
Date: Wed, 4 Mar 2026 09:12:03 +0000
Subject: Re: [allotments] North gate water trough""", """
Ann Whitfield wrote:
> The water trough by the north gate has been leaking since the frost. I have tied
> a bucket under the tap for now, but please close it firmly after use until the committee
> can get a plumber in. The trough by the sheds is fine.

My brother-in-law is a plumber and could look at it on Saturday morning.""", CHI),
    "m07": _message("""
From: Ann Whitfield <ann@example.org>
Date: Wed, 4 Mar 2026 11:30:12 +0100
Subject: Re: [allotments] North gate water trough""", """
Chidi Okafor wrote:
> My brother-in-law is a plumber and could look at it on Saturday morning.

That would be wonderful, thank you.""", ANN),
    "m08": _message("""
From: Bob Lee <bob@example.net>
Date: Thu, 5 Mar 2026 17:45:00 +0000
Subject: [allotments] Seed swap on Sunday""", _SWAP, BOB),
    "m09": _message("""
From: Bob Lee <bob@example.net>
Date: Thu, 5 Mar 2026 19:01:44 +0000
Subject: Re: [allotments] Seed swap on Sunday""", "On Thu, Bob Lee wrote:\n" + "\n".join(
        f"> {line}" for line in _SWAP.split("\n")) + "\n\nForgot to say: bring envelopes.",
        BOB),
    "m10": _message("""
From: Ann Whitfield <ann@example.org>
Date: Fri, 6 Mar 2026 07:55:21 +0100
Subject: [allotments] Plot inspections""", """
The committee will walk round for the spring plot inspections on the 21st. Plots that
are more than half uncultivated will get a friendly letter first, not a notice to quit.
If you are ill or away, tell me and we will note it.""", ANN),
    "m11": _message("""
From: Ann Whitfield <ann@example.org>
Date: Fri, 6 Mar 2026 16:02:09 +0100
Subject: [allotments] Skip delivery""", """
The green waste skip arrives on the 14th and goes on the 28th.""", ANN),
    "m12": _message("""
From: Ann Whitfield <ann@example.org>
Date: Sat, 7 Mar 2026 09:10:00 +0100
Subject: [allotments] Skip delivery moved""", """
The green waste skip now arrives on the 15th and goes on the 29th.""", ANN),
    "m13": _message("""
From: Bob Lee <bob@example.net>
Date: Sat, 7 Mar 2026 10:00:00 +0000
Subject: Re: [allotments] Plot inspections""", """
-----Original Message-----
From: Ann Whitfield
Sent: Friday, 6 March 2026 07:55
Subject: [allotments] Plot inspections

The committee will walk round for the spring plot inspections on the 21st. Plots that
are more than half uncultivated will get a friendly letter first, not a notice to quit.
If you are ill or away, tell me and we will note it.""", BOB),
    "m14": _message("""
From: Chidi Okafor <chidi@example.com>
Date: Sun, 8 Mar 2026 20:30:00 +0000
Subject: [allotments] Lost: green secateurs""", """
I left a pair of green secateurs on the bench by the sheds. If you find them, please
hang them on the notice board.""", CHI),
    **{key: f"{note}\n\n{ANN}\n{FOOTER}" for key, note in _NOTES.items()},
}

# The same messages sent again: new Date and Message-ID, and the body re-wrapped, or the
# list footer missing (a copy sent to one person directly).
RESENT_COPIES: dict[str, str] = {
    "m01-resent": _message("""
From: Bob Lee <bob@example.net>
Date: Tue, 3 Mar 2026 07:30:45 +0000
Subject: [allotments] Tomato blight already?
Message-ID: <20260303073045.bob@example.net>""", " ".join(_BLIGHT.split()), BOB),
    "m05-resent": _message("""
From: Ann Whitfield <ann@example.org>
Date: Thu, 5 Mar 2026 08:00:00 +0100
Subject: [allotments] North gate water trough (again)""", _WATER.replace("\n", " ").replace(
        "frost. ", "frost.\n"), ANN, footer=False),
    "m10-resent": _message("""
From: Ann Whitfield <ann@example.org>
Date: Mon, 9 Mar 2026 08:00:00 +0100
Subject: [allotments] Plot inspections""", MESSAGES["m10"].split("\n\n")[1], ANN),
}

RESENT = {"m01-resent": "m01", "m05-resent": "m05", "m10-resent": "m10"}
