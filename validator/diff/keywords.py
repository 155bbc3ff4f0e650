"""The keyword-by-keyword half of the schema walk: one place in the body at a time.

`Place.run` compares what two schema versions say about one location (types, values,
limits, patterns, content, documentation), then hands each child location (properties,
items, members) and each alternative or conditional branch back to the walker. The
keyword families live in scalars, content, objects, arrays and branches; this class puts them in
order.
"""

from __future__ import annotations

from validator.diff.arrays import ArrayKeywords
from validator.diff.branches import BranchKeywords
from validator.diff.content import ContentKeywords
from validator.diff.objects import ObjectKeywords
from validator.diff.scalars import ScalarKeywords
from validator.diff.schema import BREAKING, meet, types_text


class Place(ScalarKeywords, ContentKeywords, ObjectKeywords, ArrayKeywords,
            BranchKeywords):
    """One comparison step: the keywords of one place in the body, then its children."""

    def run(self) -> None:
        old_types = self.walker.types(0, self.old)
        new_types = self.walker.types(1, self.new)
        if old_types is not None and new_types is not None and old_types and new_types \
                and not meet(old_types, new_types):
            self.say(BREAKING, "type-changed", f"type changed from {types_text(old_types)} "
                                               f"to {types_text(new_types)}", "type")
            self.docs()
            return  # the children of a different type would only add noise
        new_values = self.walker.values(1, self.new)
        self.types(old_types, new_types, new_values)
        self.enumerations(self.walker.values(0, self.old), new_values)
        self.limits()
        self.strings()
        self.content()
        self.negation()
        self.discriminator()
        self.others()
        self.docs()
        self.properties()
        self.items()
        self.members()
        self.alternatives()
        self.conditionals()
