"""How a CSV file's bytes become text and which delimiter it uses.

The exported numpy script (``codegen.numpy_script``) must read a file as regstudio does, yet it
cannot import regstudio: it carries the source of the functions in ``STANDALONE``, copied in with
``inspect.getsource``.  So they use nothing but the standard library modules imported here, call
no other code of this module outside ``STANDALONE``, and raise plain exceptions, which
``data.decode_text`` turns into regstudio's messages.
"""

from __future__ import annotations

import collections
import csv
import re


def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """The text of a CSV file's bytes and the name of its encoding, tried in this order:

    - UTF-16 with a byte-order mark (Excel's "Unicode text"): "UTF-16";
    - UTF-16 without one, from where its NUL bytes are: "UTF-16LE" or "UTF-16BE";
    - UTF-8, with or without a byte-order mark: "UTF-8";
    - GB18030 (what Excel's "CSV" writes on Chinese Windows; a superset of GBK and GB2312), unless
      the text does not look Chinese and Windows-1252 reads the bytes: "GB18030";
    - Windows-1252 (Excel's "CSV" in Western Europe; Latin-1 with more letters): "Windows-1252".

    Plain UTF-8 comes before GB18030 because GB18030 would accept most UTF-8 bytes too, as other
    characters.  Raises ValueError for binary data, UnicodeDecodeError for bytes after a UTF-16
    byte-order mark that are not UTF-16 (``encoding`` "utf-16") or for bytes of none of these
    encodings (the UTF-8 error: ``start`` is the first byte that is not UTF-8).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    if b"\x00" in data:
        # No text but UTF-16 has NUL bytes.  A CSV's delimiters, line breaks and digits are ASCII,
        # so even a Chinese file in UTF-16 has a NUL high byte in a third of its code units or more:
        # at odd offsets little-endian, at even ones big-endian.  At the other parity a NUL is the
        # low byte of a character such as U+4E00, which is rare.  Text with a stray NUL has too
        # few; binary data has NULs at both parities, or decodes to control characters.
        even, odd = data[0::2].count(0), data[1::2].count(0)
        codec, name = ("utf-16-le", "UTF-16LE") if odd > even else ("utf-16-be", "UTF-16BE")
        nuls, strays = max(even, odd), min(even, odd)
        if len(data) % 2 == 0 and 3 * nuls >= len(data) // 2 and 16 * strays <= nuls:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                pass
            else:
                if not re.search("[\x00-\x08\x0e-\x1b]", text):  # control characters but white space
                    return text, name
        raise ValueError("not a text CSV file (it contains binary data)")
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError as utf8_error:
        error = utf8_error
    try:
        chinese: str | None = data.decode("gb18030")
    except UnicodeDecodeError:
        chinese = None
    if chinese is not None and _looks_chinese(chinese):
        return chinese, "GB18030"
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        if chinese is None:
            raise error from None
        return chinese, "GB18030"  # not common Chinese, but not Windows-1252 either


def _looks_chinese(text: str) -> bool:
    """Whether at least half of the characters of ``text`` beyond ASCII (in its first 10,000 runs
    of them) are common Chinese: the 3,755 level-1 hanzi of GB2312 and its punctuation and symbols
    (its lead bytes below 0xD8).

    A Chinese file is mostly those.  Western text read as GB18030 pairs an accented letter with the
    next byte into a rare hanzi ("Größe" → "Gr鲞e", "naïve" → "na飗e") or a private-use character.
    """
    counts: collections.Counter[str] = collections.Counter()
    for n, run in enumerate(re.finditer("[^\x00-\x7f]+", text)):
        if n == 10_000:  # enough to tell, and a long file costs no more
            break
        counts.update(run.group())
    common = 0
    for char, count in counts.items():
        try:
            if char.encode("gb2312")[0] < 0xD8:
                common += count
        except UnicodeEncodeError:
            pass
    return 2 * common >= sum(counts.values())


def sniff_delimiter(text: str) -> str:
    """The delimiter of CSV ``text``, comma, semicolon or tab: what ``csv.Sniffer`` finds in its
    first lines, else the one the first line has most of, else a comma."""
    # csv.Sniffer's quote detection is quadratic in the number of quotes: sniff a short head only.
    sample = "\n".join(text[:4096].splitlines()[:20])
    delimiters = ",;\t"
    try:
        return csv.Sniffer().sniff(sample, delimiters=delimiters).delimiter
    except csv.Error:
        first_line = sample.splitlines()[0] if sample else ""
        counts = {d: first_line.count(d) for d in delimiters}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


STANDALONE = (decode_csv_bytes, _looks_chinese, sniff_delimiter)
