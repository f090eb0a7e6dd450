"""Text handling the CSV reader shares with the sniffing: lines split as the csv module counts
them, line breaks counted, the line of the first undecodable byte found, the csv module's field
size limit held for a read, and the header row picked among the first rows."""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
from contextlib import contextmanager


def normalize_header(value) -> str:
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\s_]+", "", text).casefold()


def pick_header(rows, expected_headers) -> int:
    """Return the position in ``rows`` (lists of cells) of the header row.

    The row matching most of ``expected_headers`` wins, the earliest on a tie; with no match at
    all, the first row.
    """
    wanted = {normalize_header(h) for h in expected_headers} - {""}
    best, best_score = 0, 0
    if wanted:
        for position, cells in enumerate(rows):
            score = len(wanted & {normalize_header(cell) for cell in cells})
            if score > best_score:
                best, best_score = position, score
    return best


def count_breaks(text):
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def locate_decode_error(path, encoding, chunk_size=64 * 1024):
    """Return the 1-based physical line holding the first byte that ``encoding`` rejects."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    line = 1
    pending_cr = False
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(chunk_size)
            state = decoder.getstate()
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError:
                decoder.setstate(state)
                text = ""
                for index in range(len(chunk)):
                    try:
                        text += decoder.decode(chunk[index : index + 1])
                    except UnicodeDecodeError:
                        break
                if pending_cr and text.startswith("\n"):
                    line -= 1
                return line + count_breaks(text)
            if pending_cr and text.startswith("\n"):
                line -= 1
            line += count_breaks(text)
            pending_cr = text.endswith("\r")
            if not chunk:
                return line


@contextmanager
def field_size_limit(limit):
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


_LINE_END = re.compile(r"(?<=\r\n)|(?<=\n)|(?<=\r)(?!\n)")


def split_lines(text):
    """Split like a file opened with ``newline=""`` (the way the csv reader counts lines)."""
    return [line for line in _LINE_END.split(text) if line]
