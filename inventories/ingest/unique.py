"""The values of a file's unique column seen so far, in memory bounded by the batch, not the file.

While the batches are read, a :class:`KeyFilter` (eight bits for each value seen, all eight in one
64-bit word: a register-blocked Bloom filter; eight words a value the file is expected to hold, 64
MB at most) tells which accepted rows may repeat an earlier one: those whose value is not the first
of its batch, or whose eight bits earlier rows already set. Only these candidates keep their cells;
:mod:`inventories.ingest.repeats` settles them against the rows written, so a value the filter
names wrongly costs a row in a temporary table and is never refused, but a file with one such
candidate costs one query over its rows. A new value is named about once in ten million tries while
the filter holds one value for eight words, about once in 300,000 once four million values fill the
largest filter (the upload limit holds about that many customs lines); a file without repeats
leaves the database next to nothing to settle."""

from __future__ import annotations

import polars as pl

BITS = 1 << 29  # the largest filter: 64 MB
SMALLEST = 1 << 16
HASHES = 8
WORD = 64
WORDS_A_VALUE = 8
_POWERS = pl.Series([1 << i for i in range(WORD)], dtype=pl.UInt64)


class KeyFilter:
    def __init__(self, bits: int | None = None, *, values: int | None = None):
        """``bits`` of filter, or enough for ``values`` (eight words a value) up to ``BITS``."""
        if bits is None:
            wanted = (values or BITS) * WORDS_A_VALUE * WORD
            bits = min(BITS, max(SMALLEST, 1 << max(wanted - 1, 1).bit_length()))
        self.bits = bits
        self.words = pl.repeat(0, max(bits // WORD, 1), dtype=pl.UInt64, eager=True)
        self.words.scatter([0], [0])  # its own buffer now, changed in place from here on

    def _places(self, keys: pl.Series) -> tuple[pl.Series, pl.Series]:
        """Each key's word and the mask of its eight bits in it: a key costs one read from
        memory, not one a bit. The word is drawn from the key, the bits from six bits each of
        a second hash of it (two bits may coincide: a key then has seven)."""
        key = pl.col("key")
        second = key.hash(seed=1)
        frame = pl.DataFrame({"key": keys.cast(pl.UInt64)}).select(
            (key % len(self.words)).alias("at"),
            *((second // WORD**i % WORD).alias(f"b{i}") for i in range(HASHES)),
        )
        mask = _POWERS.gather(frame["b0"])
        for i in range(1, HASHES):
            mask = mask | _POWERS.gather(frame[f"b{i}"])
        return frame["at"], mask

    def maybe_seen(self, keys: pl.Series, places=None) -> pl.Series:
        """Whether each key may have been added before (never false for one that was)."""
        at, mask = places or self._places(keys)
        return (self.words.gather(at) & mask) == mask

    def add(self, keys: pl.Series, places=None, held: pl.Series | None = None) -> None:
        at, mask = places or self._places(keys)
        while len(at):  # two keys of one word: one wins; set the others again
            self.words.scatter(at, (self.words.gather(at) if held is None else held) | mask)
            held = None
            lost = (self.words.gather(at) & mask) != mask
            at, mask = at.filter(lost), mask.filter(lost)

    def seen_then_add(self, keys: pl.Series) -> pl.Series:
        """:meth:`maybe_seen` of the keys, then :meth:`add` them."""
        places = self._places(keys)
        held = self.words.gather(places[0])
        found = (held & places[1]) == places[1]
        self.add(keys, places, held)
        return found
