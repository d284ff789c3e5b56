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
