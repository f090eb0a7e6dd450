import datetime
import pickle
import zipfile
from decimal import Decimal

import pytest

from inventories.ingest.errors import ReadError
from inventories.ingest.parse import parse_date, parse_number
from inventories.readers import FileInfo, open_table, sniff

# --- helpers ---------------------------------------------------------------------------------


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def read_all(path, name=None, **kwargs):
    info = sniff(path, name=name or path.name)
    table = open_table(path, info, **kwargs)
    return info, table, list(table.rows())


def raises_read_error(code, func, *args, **kwargs):
    with pytest.raises(ReadError) as caught:
        func(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{sheets}</Types>"
)
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Style 1: built-in date format 14; style 2: a date-time format.
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
    '<xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>'
)


def build_xlsx(path, sheets, extra=None):
    """Write a minimal XLSX whose sheets are (name, sheetData XML), with cached formula values."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SHEET_TYPE}"/>'
        for i in range(1, len(sheets) + 1)
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
        + "".join(
            f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
            for i, (name, _xml) in enumerate(sheets, 1)
        )
        + "</sheets></workbook>"
    )
    workbook_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        + f'<Relationship Id="rId{len(sheets) + 1}" Type="{REL}/styles" Target="styles.xml"/>'
        + "</Relationships>"
    )
    root_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(sheets=overrides))
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/styles.xml", STYLES)
        for i, (_name, xml) in enumerate(sheets, 1):
            archive.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
                f"<sheetData>{xml}</sheetData></worksheet>",
            )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def text_cell(ref, value):
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def row(number, *cells):
    return f'<row r="{number}">{"".join(cells)}</row>'


# --- CSV encodings ---------------------------------------------------------------------------

CSV_TEXT = "Substance;Quantity\nMercure élémentaire;12,5\nHexachlorobenzène;3\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (CSV_TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8"), "utf-8-sig"),
        (CSV_TEXT.encode("utf-16"), "utf-16"),
        (CSV_TEXT.encode("utf-16-le"), "utf-16-le"),
        (CSV_TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_unicode_encodings(tmp_path, data, encoding):
    info, table, rows = read_all(write(tmp_path, "data.csv", data))
    assert info == FileInfo("csv", encoding, ";", (), len(data))
    assert table.header == ["Substance", "Quantity"]
    assert rows == [(2, ["Mercure élémentaire", "12,5"]), (3, ["Hexachlorobenzène", "3"])]


def test_cp1252_with_euro_and_oe(tmp_path):
    data = "Article,Prix\nŒuvre cœur,10 €\n".encode("cp1252")
    info, table, rows = read_all(write(tmp_path, "data.csv", data))
    assert info.encoding == "cp1252"
    assert rows == [(2, ["Œuvre cœur", "10 €"])]


def test_latin1_bytes_undefined_in_cp1252(tmp_path):
    # 0x81 and 0x8D are undefined in cp1252, so only latin-1 decodes the file.
    data = b"Code,Name\n1,Caf\xe9 \x81\x8d\n"
    info, _table, rows = read_all(write(tmp_path, "data.csv", data))
    assert info.encoding == "latin-1"
    assert rows == [(2, ["1", "Café \x81\x8d"])]


def test_utf8_character_cut_at_sample_end_is_still_utf8(tmp_path, monkeypatch):
    import inventories.readers as readers

    monkeypatch.setattr(readers, "ENCODING_SAMPLE_BYTES", 12)
    data = "a,b\n1,xxxxé\n2,ü\n".encode()  # "é" starts at byte 11 and is cut at 12
    info, _table, rows = read_all(write(tmp_path, "data.csv", data))
    assert info.encoding == "utf-8"
    assert rows[0] == (2, ["1", "xxxxé"])


# --- CSV delimiters and quoting --------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_with_quoted_fields(tmp_path, delimiter):
    others = "".join(d for d in ",;\t" if d != delimiter)
    d = delimiter
    text = (
        f"Name{d}Note{d}Amount\n"
        f'"Drum {others}{d} sealed"{d}"line one\nline two"{d}1\n'
        f'Plain{d}"say ""hi"""{d}2\n'
        f"Third{d}x{d}3\n"
    )
    info, table, rows = read_all(write(tmp_path, "data.csv", text))
    assert info.delimiter == delimiter
    assert table.header == ["Name", "Note", "Amount"]
    assert rows == [
        (2, [f"Drum {others}{d} sealed", "line one\nline two", "1"]),
        (4, ["Plain", 'say "hi"', "2"]),
        (5, ["Third", "x", "3"]),
    ]


def test_semicolon_file_with_decimal_commas(tmp_path):
    text = "a;b;c\n1,5;2,25;3\n4,5;5;6,75\n"
    info, _table, rows = read_all(write(tmp_path, "data.csv", text))
    assert info.delimiter == ";"
    assert rows[0] == (2, ["1,5", "2,25", "3"])


def test_tsv_and_txt_extensions(tmp_path):
    assert sniff(write(tmp_path, "a.tsv", "x\ty\n1\t2\n"), name="a.tsv").delimiter == "\t"
    assert sniff(write(tmp_path, "a.txt", "x;y\n1;2\n"), name="a.txt").delimiter == ";"


def test_crlf_and_cr_line_endings(tmp_path):
    for newline in ("\r\n", "\r"):
        text = newline.join(["a,b", "1,2", "", "3,4", ""])
        _info, _table, rows = read_all(write(tmp_path, "data.csv", text))
        assert rows == [(2, ["1", "2"]), (4, ["3", "4"])]


# --- header detection and empty rows ---------------------------------------------------------


def test_header_not_on_first_row_and_empty_rows_skipped(tmp_path):
    text = (
        "Customs declarations 2025,,\n"
        "Exported from ASYCUDA,,\n"
        "\n"
        "Déclaration N°,HS_code,Quantité nette\n"
        "D1,2903.82,10\n"
        ",,\n"
        "\n"
        "D2,2903.83,20\n"
    )
    path = write(tmp_path, "data.csv", text)
    _info, table, rows = read_all(
        path, expected_headers=["declaration n°", "hs code", "quantite nette", "absent"]
    )
    assert table.header_row == 4
    assert table.header == ["Déclaration N°", "HS_code", "Quantité nette"]
    assert rows == [(5, ["D1", "2903.82", "10"]), (8, ["D2", "2903.83", "20"])]
    assert table.estimated_rows >= 1


def test_first_non_empty_row_is_header_without_expected_headers(tmp_path):
    _info, table, rows = read_all(write(tmp_path, "data.csv", "\n\na,b\n1,2\n"))
    assert (table.header_row, table.header, rows) == (3, ["a", "b"], [(4, ["1", "2"])])


def test_header_search_is_limited(tmp_path):
    text = "title\n" * 5 + "code,qty\n1,2\n"
    path = write(tmp_path, "data.csv", text)
    info = sniff(path, name="data.csv")
    assert open_table(path, info, expected_headers=["code"]).header_row == 6
    assert open_table(path, info, expected_headers=["code"], header_search_rows=3).header_row == 1


def test_cells_are_not_stripped(tmp_path):
    _info, table, rows = read_all(write(tmp_path, "data.csv", " a , b \n 1 ,2\n"))
    assert table.header == ["a", "b"]
    assert rows == [(2, [" 1 ", "2"])]


def test_estimated_rows_of_a_larger_file(tmp_path):
    text = "a,b\n" + "".join(f"{i},x\n" for i in range(20_000))
    _info, table, rows = read_all(write(tmp_path, "data.csv", text))
    assert len(rows) == 20_000
    assert 18_000 <= table.estimated_rows <= 22_000


# --- CSV errors ------------------------------------------------------------------------------


def test_empty_file(tmp_path):
    raises_read_error("empty", sniff, write(tmp_path, "data.csv", b""), name="data.csv")
    raises_read_error("empty", sniff, write(tmp_path, "data.xlsx", b""), name="data.xlsx")
    raises_read_error(
        "empty", sniff, write(tmp_path, "blank.csv", b"\xef\xbb\xbf\n\n"), name="x.csv"
    )


def test_unsupported_extension(tmp_path):
    error = raises_read_error(
        "unsupported_type", sniff, write(tmp_path, "a.pdf", "x"), name="a.pdf"
    )
    assert ".pdf" in str(error.message)


def test_png_renamed_csv_is_binary(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02" + bytes(64)
    raises_read_error("binary", sniff, write(tmp_path, "photo.csv", png), name="photo.csv")


def test_text_starting_like_a_signature_is_not_binary(tmp_path):
    _info, table, rows = read_all(write(tmp_path, "data.csv", "BMW,PK\n1,2\n"))
    assert (table.header, rows) == (["BMW", "PK"], [(2, ["1", "2"])])


def test_xlsx_renamed_csv_is_binary(tmp_path):
    path = build_xlsx(tmp_path / "book.csv", [("S", row(1, text_cell("A1", "x")))])
    raises_read_error("binary", sniff, path, name="book.csv")


def test_only_a_header_has_no_rows(tmp_path):
    path = write(tmp_path, "data.csv", "a,b\n\n,\n")
    info = sniff(path, name="data.csv")
    raises_read_error("no_rows", open_table, path, info)


def test_truncated_csv(tmp_path):
    for ending in ("", "\n"):
        path = write(tmp_path, "data.csv", 'a,b\n1,2\n3,"unterminated' + ending)
        info = sniff(path, name="data.csv")
        table = open_table(path, info)
        rows = table.rows()
        assert next(rows) == (2, ["1", "2"])
        error = raises_read_error("truncated", list, rows)
        assert error.row == 3
        assert "row 3" in str(error.message)


def test_truncated_csv_spanning_lines(tmp_path):
    path = write(tmp_path, "data.csv", 'a,b\n1,2\n3,"open\nmore\nstill open\n')
    error = raises_read_error("truncated", read_all, path)
    assert error.row == 3


@pytest.mark.parametrize(
    "text", ['a,b\n1,2\n3,"closed"', 'a,b\n1,2\n3,"closed\nfield"\n', "a,b\n1,2"]
)
def test_complete_last_record_is_not_truncated(tmp_path, text):
    _info, _table, rows = read_all(write(tmp_path, "data.csv", text))
    assert rows[-1][1][0] in {"1", "3"}


def test_decoding_error_mid_file(tmp_path, monkeypatch):
    import inventories.readers as readers

    monkeypatch.setattr(readers, "ENCODING_SAMPLE_BYTES", 64 * 1024)
    lines = ["name,qty"] + [f"Entrée {i},{i}" for i in range(5000)]
    data = "\n".join(lines).encode("utf-8") + b"\n"
    # A cp1252 "é" far beyond the sample that decided on UTF-8, on physical line 5002.
    data += b"Caf\xe9,1\nok,2\n"
    path = write(tmp_path, "data.csv", data)
    assert len(data) > 64 * 1024
    info = sniff(path, name="data.csv")
    assert info.encoding == "utf-8"
    table = open_table(path, info)
    error = raises_read_error("encoding", list, table.rows())
    assert error.row == 5002
    assert "5002" in str(error.message)
    assert "UTF-8" in str(error.message)


def test_decoding_error_mid_file_small_sample(tmp_path, monkeypatch):
    import inventories.readers as readers

    monkeypatch.setattr(readers, "ENCODING_SAMPLE_BYTES", 16)
    data = b"a,b\r\n1,2\r\n3,4\r\nx,\x81\r\n"
    path = write(tmp_path, "data.csv", data)
    info = sniff(path, name="data.csv")
    assert info.encoding == "utf-8"
    error = raises_read_error("encoding", lambda: list(open_table(path, info).rows()))
    assert error.row == 4


def test_megabyte_cell(tmp_path):
    big = "x" * 1_000_000  # one (decimal) megabyte: exactly the default limit
    path = write(tmp_path, "data.csv", f"a,b\n1,2\n3,{big}\n5,6\n")
    info = sniff(path, name="data.csv")
    rows = list(open_table(path, info).rows())
    assert rows[1] == (3, ["3", big])
    # Within the header search the error comes from open_table, later from rows().
    error = raises_read_error("cell_too_large", open_table, path, info, max_cell_chars=100_000)
    assert error.row == 3
    assert "Row 3" in str(error.message)
    later = write(tmp_path, "later.csv", "a,b\n" + "1,2\n" * 30 + f"3,{big}\n")
    table = open_table(later, sniff(later, name="later.csv"), max_cell_chars=100_000)
    error = raises_read_error("cell_too_large", list, table.rows())
    assert error.row == 32
    assert "Row 32" in str(error.message)
    bigger = write(tmp_path, "bigger.csv", f"a,b\n1,2\n3,{big}x\n")
    error = raises_read_error("cell_too_large", read_all, bigger)
    assert error.row == 3


def test_field_size_limit_is_restored(tmp_path):
    import csv

    before = csv.field_size_limit()
    path = write(tmp_path, "data.csv", "a\n1\n")
    read_all(path, max_cell_chars=10)
    assert csv.field_size_limit() == before


# --- XLSX ------------------------------------------------------------------------------------


def customs_sheet():
    return "".join(
        [
            row(1, text_cell("A1", "Customs declarations")),
            row(
                3, text_cell("A3", "HS code"), text_cell("B3", "Quantity"), text_cell("C3", "Date")
            ),
            row(
                4,
                text_cell("A4", "2903.82"),
                '<c r="B4"><v>12</v></c>',
                '<c r="C4" s="1"><v>45747</v></c>',
                '<c r="D4"><f>B4*2</f><v>24</v></c>',
            ),
            row(5),
            row(
                6,
                text_cell("A6", "2903.83"),
                '<c r="B6"><v>0.1</v></c>',
                '<c r="C6" s="2"><v>45747.416666666664</v></c>',
                '<c r="D6" t="str"><f>A6&amp;"x"</f><v>2903.83x</v></c>',
                '<c r="E6" t="b"><v>1</v></c>',
            ),
        ]
    )


def test_xlsx_two_sheets_pick_by_name(tmp_path):
    path = build_xlsx(
        tmp_path / "book.xlsx",
        [("Notes", row(1, text_cell("A1", "read me"))), ("Imports", customs_sheet())],
    )
    info = sniff(path, name="book.xlsx")
    assert info.kind == "xlsx"
    assert info.sheets == ("Notes", "Imports")
    table = open_table(path, info, sheet="Imports", expected_headers=["hs_code", "quantity"])
    assert table.header_row == 3
    assert table.header == ["HS code", "Quantity", "Date", "", ""]
    assert list(table.rows()) == [
        (4, ["2903.82", "12", "2025-03-31", "24", ""]),
        (6, ["2903.83", "0.1", "2025-03-31T10:00:00", "2903.83x", "TRUE"]),
    ]
    assert table.estimated_rows == 3


def test_xlsx_default_sheet_is_first_with_data(tmp_path):
    path = build_xlsx(tmp_path / "book.xlsx", [("Empty", ""), ("Imports", customs_sheet())])
    info = sniff(path, name="book.xlsx")
    table = open_table(path, info, expected_headers=["HS code"])
    assert table.header_row == 3
    assert [number for number, _cells in table.rows()] == [4, 6]


def test_xlsx_header_without_expected_headers_is_first_non_empty_row(tmp_path):
    path = build_xlsx(tmp_path / "book.xlsx", [("S", customs_sheet())])
    _info, table, rows = read_all(path)
    assert table.header_row == 1
    assert rows[0][0] == 3


def test_xlsx_written_by_openpyxl(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(["code", "amount", "when", "flag"])
    sheet.append(["A", 3.0, datetime.date(2025, 1, 2), False])
    naive = datetime.datetime(2025, 1, 2, 3, 4, 5)  # noqa: DTZ001 - a spreadsheet cell has no zone
    sheet.append(["B", 1e20, naive, True])
    sheet.append(["C", -2.5, None, None])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    _info, _table, rows = read_all(path)
    assert rows == [
        (2, ["A", "3", "2025-01-02", "FALSE"]),
        (3, ["B", "100000000000000000000", "2025-01-02T03:04:05", "TRUE"]),
        (4, ["C", "-2.5", "", ""]),
    ]


def test_xlsx_not_a_zip(tmp_path):
    path = write(tmp_path, "book.xlsx", "a,b\n1,2\n")
    raises_read_error("not_xlsx", sniff, path, name="book.xlsx")


def test_xlsx_old_excel_or_encrypted(tmp_path):
    path = write(tmp_path, "book.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    error = raises_read_error("not_xlsx", sniff, path, name="book.xlsx")
    assert "password" in str(error.message)


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")
    raises_read_error("not_xlsx", sniff, path, name="book.xlsx")


def test_damaged_zip(tmp_path):
    good = build_xlsx(tmp_path / "good.xlsx", [("S", customs_sheet())]).read_bytes()
    path = write(tmp_path, "book.xlsx", good[: len(good) // 2])
    raises_read_error("not_xlsx", sniff, path, name="book.xlsx")


def test_xlsx_zip_bomb_by_ratio(tmp_path):
    zeros = bytes(50 * 1024 * 1024)
    path = build_xlsx(
        tmp_path / "bomb.xlsx",
        [("S", customs_sheet())],
        extra={"xl/media/padding.bin": zeros},
    )
    assert path.stat().st_size < 1024 * 1024
    error = raises_read_error("zip_bomb", sniff, path, name="bomb.xlsx")
    assert str(error.message)


def test_xlsx_zip_bomb_by_total_size(tmp_path):
    path = build_xlsx(tmp_path / "book.xlsx", [("S", customs_sheet())])
    raises_read_error("zip_bomb", sniff, path, name="book.xlsx", max_uncompressed_bytes=1000)
    assert sniff(path, name="book.xlsx").sheets == ("S",)


def test_xlsx_sheet_with_no_rows(tmp_path):
    header_only = row(2, text_cell("A2", "code"), text_cell("B2", "qty"))
    path = build_xlsx(tmp_path / "book.xlsx", [("Empty", ""), ("Header", header_only)])
    info = sniff(path, name="book.xlsx")
    error = raises_read_error("no_rows", open_table, path, info, sheet="Empty")
    assert "Empty" in str(error.message)
    raises_read_error("no_rows", open_table, path, info, sheet="Header")
    raises_read_error("no_rows", open_table, path, info)


def test_xlsx_unknown_sheet(tmp_path):
    path = build_xlsx(tmp_path / "book.xlsx", [("Imports", customs_sheet())])
    info = sniff(path, name="book.xlsx")
    error = raises_read_error("no_sheet", open_table, path, info, sheet="Exports")
    assert "Exports" in str(error.message)
    assert "Imports" in str(error.message)


def test_xlsx_cell_too_large(tmp_path):
    big = "y" * 40_000
    sheet = (
        row(1, text_cell("A1", "a")) + row(2, text_cell("A2", "1")) + row(3, text_cell("A3", big))
    )
    path = build_xlsx(tmp_path / "book.xlsx", [("S", sheet)])
    info = sniff(path, name="book.xlsx")
    assert list(open_table(path, info).rows())[1] == (3, [big])
    error = raises_read_error(
        "cell_too_large", list, open_table(path, info, max_cell_chars=1000).rows()
    )
    assert error.row == 3
    assert "Row 3" in str(error.message)


# --- ReadError -------------------------------------------------------------------------------


def test_read_error_is_translatable_and_picklable(tmp_path):
    from django.utils import translation

    path = write(tmp_path, "data.csv", b"")
    error = raises_read_error("empty", sniff, path, name="data.csv")
    with translation.override("en"):
        assert "empty" in str(error)
    copy = pickle.loads(pickle.dumps(ReadError("Row %(row)s is bad.", code="encoding", row=7)))
    assert (copy.code, copy.row, str(copy.message)) == ("encoding", 7, "Row 7 is bad.")


# --- parse_number ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("12", ".", "12"),
        (" -12.50 ", ".", "-12.50"),
        ("+3", ".", "3"),
        (".5", ".", "0.5"),
        ("1e3", ".", "1000"),
        ("1,234.5", ".", "1234.5"),
        ("1,234,567", ".", "1234567"),
        ("1 234 567.25", ".", "1234567.25"),
        ("1\u00a0234,5", ",", "1234.5"),
        ("1\u202f234,5", ",", "1234.5"),
        ("1'234'567", ".", "1234567"),
        ("1.234,5", ",", "1234.5"),
        ("12,5", ",", "12.5"),
        ("-1.234.567,89", ",", "-1234567.89"),
        ("1,5e2", ",", "150"),
    ],
)
def test_parse_number(text, decimal, expected):
    assert parse_number(text, decimal=decimal) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "decimal"),
    [
        ("12,5", "."),
        ("1.5", ","),
        ("abc", "."),
        ("", "."),
        ("1,23.4", "."),
        ("1,2345", "."),
        ("12,34,567", "."),
        ("1.234 567", "."),
        ("NaN", "."),
        ("Infinity", "."),
        ("1_000", "."),
        ("--1", "."),
        ("1.2.3", "."),
        ("- 1", "."),
    ],
)
def test_parse_number_refuses(text, decimal):
    with pytest.raises(ValueError):
        parse_number(text, decimal=decimal)


# --- parse_date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("2025-03-31", True, datetime.date(2025, 3, 31)),
        ("2025-03-31", False, datetime.date(2025, 3, 31)),
        ("2025-03-31T10:00:00", True, datetime.date(2025, 3, 31)),
        ("2025-03-31 10:00", False, datetime.date(2025, 3, 31)),
        ("2025-03-31T10:00:00+02:00", True, datetime.date(2025, 3, 31)),
        ("31/03/2025", True, datetime.date(2025, 3, 31)),
        ("1.4.2025", True, datetime.date(2025, 4, 1)),
        ("01-04-2025", True, datetime.date(2025, 4, 1)),
        ("01-04-2025", False, datetime.date(2025, 1, 4)),
        ("3/31/2025", False, datetime.date(2025, 3, 31)),
        (" 31/03/2025 ", True, datetime.date(2025, 3, 31)),
    ],
)
def test_parse_date(text, day_first, expected):
    assert parse_date(text, day_first=day_first) == expected


@pytest.mark.parametrize(
    ("text", "day_first"),
    [
        ("31/03/25", True),
        ("3/31/2025", True),
        ("31/03/2025", False),
        ("2025-02-30", True),
        ("31/03-2025", True),
        ("yesterday", True),
        ("", True),
    ],
)
def test_parse_date_refuses(text, day_first):
    with pytest.raises(ValueError):
        parse_date(text, day_first=day_first)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_decoding_error_names_the_row(tmp_path, encoding):
    codec = "utf-16-le" if encoding == "utf-16" else encoding
    lone_surrogate = "\ud800".encode(codec, "surrogatepass")
    data = (
        ("\ufeff" if encoding == "utf-16" else "").encode(codec)
        + "a,b\r\n1,2\r\n3,4\r\nx,".encode(codec)
        + lone_surrogate
        + "q\r\n5,6\r\n".encode(codec)
    )
    path = write(tmp_path, "data.csv", data)
    info = sniff(path, name="data.csv")
    assert info.encoding == encoding
    error = raises_read_error("encoding", lambda: list(open_table(path, info).rows()))
    assert error.row == 4
    assert "Row 4" in str(error.message)
