"""The loader's fast path (plain splitting) agrees with the csv module wherever it is used."""

from hypothesis import given, settings
from hypothesis import strategies as st

from regstudio.core.data import _columns_by_csv_module, _columns_by_splitting
from regstudio.core.errors import DataError

cells = st.text(alphabet=st.sampled_from("ab1.-e ;,\t\n\r\u00a0\u2028x"), max_size=6)


def _outcome(parse, path, text, delimiter):
    try:
        return parse(str(path), text, delimiter)
    except DataError as exc:
        return type(exc), str(exc)


@settings(max_examples=400, deadline=None)
@given(rows=st.lists(st.lists(cells, min_size=1, max_size=4), min_size=1, max_size=6),
       delimiter=st.sampled_from([",", ";", "\t"]), crlf=st.booleans())
def test_fast_path_equals_csv_module(rows, delimiter, crlf, tmp_path_factory):
    text = ("\r\n" if crlf else "\n").join(delimiter.join(r) for r in rows)
    if '"' in text or text.count("\r") != text.count("\r\n"):
        return
    path = tmp_path_factory.mktemp("csv") / "f.csv"
    path.write_text(text, encoding="utf-8", newline="")
    assert _outcome(_columns_by_splitting, path, text, delimiter) == _outcome(_columns_by_csv_module, path, text,
                                                                              delimiter)
