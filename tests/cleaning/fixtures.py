"""Text fixtures shared by the cleaning tests (written for them, not taken from a corpus)."""

from __future__ import annotations

# Written for these tests in the style of a 1987 wire story: wrapped at about 65
# columns, paragraphs indented, the first line broken early, a table, a trailer.
WIRE = """\
COFFEE GROWERS SEE LOWER EXPORT QUOTAS
    SAO PAULO, March 3 - Brazilian coffee growers said
the International Coffee Organization was likely to cut export
quotas again next quarter after prices fell for a third month in
a row on the New York futures market, trade sources said.
    The growers association said it expected the cut to be
modest, between one and two mln bags, because stocks held by
consumer countries were already low and roasters were buying
less than a year ago at this time of the season.
    Export figures for the first two months of the year were,
in thousands of bags:
                      1987      1986
    January          1,210     1,405
    February         1,098     1,377
    The figures do not include shipments to countries outside
the quota system, which were estimated at about 300,000 bags.
 Reuter
"""

#: Pages in the shape scrapers hand over: menus, a dated story, share buttons, a
#: footer of links and notices, lines repeated, a line in lower case that goes on.
PAGES = (
    "Home\nNews\nSport\nWeather\nSign in\n\nHarbour works to start in May\n\n"
    "Updated 3 hours ago\n\nThe council said on Tuesday that work on the harbour wall "
    "would begin in May and last two years, at a cost of 4.2 million pounds.\n\n"
    "Residents who asked about the road closures were told that a bus would run "
    "every twenty minutes.\n\nShare on Facebook\nShare on X\n\nRelated stories\n"
    "Harbour works delayed\nNew ferry timetable\n\n"
    "Privacy Policy | Terms of Use | Contact Us | Cookies\n"
    "\u00a9 2024 Coast Media Ltd. All rights reserved.",
    "Skip to main content\n\nRecipes  \u00bb  Baking\n\nA loaf for the week\n\n"
    "You need flour, water, salt and\ntime, which the recipe asks for most of all.\n\n"
    "Photo: J. Smith / Getty Images\n\nPlease enter your comment!\nPlease enter your name here"
    "\n\nA loaf for the week\n\nSubscribe to our mailing list\n\n"
    "Posted by admin on 12/03/2021\n\nTags: bread, baking",
    "  Coffee growers said the quota talks\nwould resume in London next month, a "
    "spokesman\nfor the group told reporters.\n      He said prices had\nfallen 12 pct.\n",
)
