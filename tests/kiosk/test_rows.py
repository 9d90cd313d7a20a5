"""The queue's typed rows are its tables' rows: the same columns in the same order, so that a row read with
Core (``select(*columns)``, ``RETURNING``) builds one field for field."""

from kiosk.models import Counter, CounterRow, Ticket, TicketRow


def test_each_typed_row_has_its_tables_columns_in_order():
    assert TicketRow._fields == tuple(c.name for c in Ticket.__table__.c)
    assert CounterRow._fields == tuple(c.name for c in Counter.__table__.c)
