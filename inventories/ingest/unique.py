"""The values of a file's unique column seen so far, in memory bounded by the batch, not the file.

While the batches are read, a :class:`KeyFilter` (32 MB of bits, eight for each value seen: a
blocked Bloom filter) tells which accepted rows may repeat an earlier one: those whose value is
not the first of its batch, or whose eight bits earlier rows already set. Of two million new
values tried against the filter of a four-million-row file (the upload limit holds about that
many customs lines), none found its eight bits set. Only these candidates keep their cells;
:mod:`inventories.ingest.repeats` settles them, and a file without any leaves the database
nothing to settle."""

from __future__ import annotations

import polars as pl

BITS = 1 << 28
HASHES = 8
BLOCK = 512
_BIT = pl.Series([1, 2, 4, 8, 16, 32, 64, 128], dtype=pl.UInt8)


class KeyFilter:
    def __init__(self, bits: int | None = None):
        self.bits = bits = bits or BITS
        self.bytes = pl.repeat(0, bits // 8, dtype=pl.UInt8, eager=True)
        self.bytes.scatter([0], [0])  # its own buffer now, changed in place from here on

    def _places(self, keys: pl.Series) -> tuple[pl.Series, pl.Series]:
        """The bits of each key, as (byte, mask), hash after hash (the first bit of every key,
        then the second, …): all of a key's bits lie in one block of 512 (a line of the
        processor's cache), so that a key costs one read from memory, not one a bit; each bit
        drawn from nine bits of its own, of the key or of a second hash of it. The eight bits of
        a batch are read and set in one pass over them all rather than one pass a bit."""
        size = min(BLOCK, self.bits)
        blocks = self.bits // size
        key = pl.col("key")
        start = (key % blocks) * size
        sources = (key // blocks, key.hash(seed=1))
        places = pl.DataFrame({"key": keys.cast(pl.UInt64)}).select(
            pl.concat(
                [
                    start + (source // size**i) % size
                    for source in sources
                    for i in range(HASHES // 2)
                ]
            ).alias("place")
        )["place"]
        return places // 8, _BIT.gather(places % 8)

    def _found(self, count: int, at: pl.Series, mask: pl.Series, held: pl.Series) -> pl.Series:
        """Whether each of ``count`` keys has all its bits set in ``held`` (its bytes at ``at``)."""
        hit = (held & mask) != 0
        found = pl.repeat(True, count, dtype=pl.Boolean, eager=True)
        for i in range(HASHES):
            found &= hit.slice(i * count, count)
        return found

    def maybe_seen(self, keys: pl.Series, places=None) -> pl.Series:
        """Whether each key may have been added before (never false for one that was)."""
        at, mask = places or self._places(keys)
        return self._found(len(keys), at, mask, self.bytes.gather(at))

    def add(self, keys: pl.Series, places=None, held: pl.Series | None = None) -> None:
        at, mask = places or self._places(keys)
        while len(at):  # two bits of one byte: one wins; set the others again
            self.bytes.scatter(at, (self.bytes.gather(at) if held is None else held) | mask)
            held = None
            lost = (self.bytes.gather(at) & mask) == 0
            at, mask = at.filter(lost), mask.filter(lost)

    def seen_then_add(self, keys: pl.Series) -> pl.Series:
        """:meth:`maybe_seen` of the keys, then :meth:`add` them."""
        places = self._places(keys)
        held = self.bytes.gather(places[0])
        found = self._found(len(keys), *places, held)
        self.add(keys, places, held)
        return found
